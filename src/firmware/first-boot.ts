// First boot of a flashed board (`ippbridge serve` at start, when the state dir has firstboot.json or no identity yet):
// printer-uuid, TLS key, SNMPv3 engineID, and the administrator from firstboot.json's password, which is hashed into
// the user store and never kept: the file is deleted. No default password exists; without one the caller generates it.
// SPDX-License-Identifier: Apache-2.0
import { readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadIdentity } from '../printer/identity.js';
import { ensureKey } from '../security/tls-files.js';
import { FIRST_ADMIN_NAME, UserStore, type UserStoreOptions } from '../security/users.js';
import { ensureSnmpEngineId } from '../snmp/engine-id.js';
import { prepareDir, syncDir } from '../state-dir.js';

/** The first-boot file's name inside the state dir (LAYOUT.firstBoot on a board). */
export const FIRST_BOOT_FILE = 'firstboot.json';

/** What the first boot did (no secrets). */
export interface FirstBootReport {
  readonly uuid: string;
  /** hex */
  readonly engineId: string;
  /** 'from-firstboot': firstboot.json's password became the admin's; 'kept': an admin existed; 'none': the caller generates one */
  readonly admin: 'from-firstboot' | 'kept' | 'none';
  readonly hadSettings: boolean;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** firstboot.json's admin password, or undefined (a malformed file is reported and treated as having none). */
async function readAdminPassword(file: string, log: Logger): Promise<string | undefined> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    log.warn({ file, err: { message: (err as Error).message } }, 'first-boot settings unreadable; ignored');
    return undefined;
  }
  const password = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['admin-password'] : undefined;
  return typeof password === 'string' && password !== '' ? password : undefined;
}

/** Whether `stateDir` still needs its first boot. */
export async function needsFirstBoot(stateDir: string): Promise<boolean> {
  return (await exists(join(stateDir, FIRST_BOOT_FILE))) || !(await exists(join(stateDir, 'printer.json')));
}

/** Hash `password` into the store as the first administrator unless one exists. */
async function provisionAdmin(stateDir: string, password: string | undefined, log: Logger, users: UserStoreOptions): Promise<FirstBootReport['admin']> {
  const store = await UserStore.open(stateDir, { ...users, log });
  if (store.hasAdmin()) {
    if (password !== undefined) log.warn('first-boot admin password ignored: an administrator already exists');
    return 'kept';
  }
  if (password === undefined) return 'none';
  await store.add(FIRST_ADMIN_NAME, password, true);
  log.info({ user: FIRST_ADMIN_NAME }, 'administrator created from the first-boot settings');
  return 'from-firstboot';
}

/**
 * Run the first boot when needed (see needsFirstBoot); undefined when it was not. firstboot.json is deleted even when
 * a step fails, so the password it may hold never outlives the first start.
 */
export async function runFirstBoot(stateDir: string, log: Logger, users: UserStoreOptions = {}): Promise<FirstBootReport | undefined> {
  if (!(await needsFirstBoot(stateDir))) return undefined;
  await prepareDir(stateDir);
  const file = join(stateDir, FIRST_BOOT_FILE);
  const hadSettings = await exists(file);
  try {
    const password = hadSettings ? await readAdminPassword(file, log) : undefined;
    const identity = await loadIdentity(stateDir, log);
    await ensureKey(stateDir, log);
    const engineId = (await ensureSnmpEngineId(stateDir, log)).toString('hex');
    const admin = await provisionAdmin(stateDir, password, log, users);
    log.info({ uuid: identity.uuid, engineId, admin }, 'first boot done');
    return { uuid: identity.uuid, engineId, admin, hadSettings };
  } finally {
    if (hadSettings) {
      await unlink(file).catch((err: unknown) => log.error({ err }, 'cannot delete the first-boot settings'));
      await syncDir(stateDir).catch(() => undefined);
    }
  }
}
