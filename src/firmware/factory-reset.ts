// Factory reset (long press of the board button): everything in the state directory goes: jobs and spool, users,
// printer identity (a new printer-uuid), TLS key and certificates, SNMP engine, web settings. /etc (board config,
// update key) and the installed slots stay. The next start is a first boot and prints a new admin password.
// SPDX-License-Identifier: Apache-2.0
import { readdir, rm } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import { syncDir } from '../state-dir.js';

/** Exit code after a factory reset: non-zero, so systemd's Restart=on-failure starts the printer again (EX_TEMPFAIL). */
export const FACTORY_RESET_EXIT_CODE = 75;

/** Empty `stateDir` (the folder itself stays: systemd's StateDirectory= owns it); returns the entries removed. */
export async function factoryReset(stateDir: string, log: Logger): Promise<string[]> {
  const dir = resolve(stateDir);
  // Never empty a file system root or a top-level folder by a misconfigured --state-dir.
  if (dir === parse(dir).root || dir.split('/').filter((p) => p !== '').length < 2) {
    throw new ConfigError(`refusing to factory-reset ${dir}: not a state directory`);
  }
  const entries = await readdir(dir);
  for (const entry of entries) await rm(join(dir, entry), { recursive: true, force: true });
  await syncDir(dir);
  log.warn({ stateDir: dir, removed: entries.length }, 'factory reset: state directory emptied');
  return entries;
}
