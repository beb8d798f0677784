// The printer's persisted identity (printer.json): printer-uuid, generated once, and the DNS-SD instance name
// after conflict renames.
// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { readJsonTolerant, writeJsonAtomic } from '../state-dir.js';

/** What printer.json holds. */
export interface PrinterIdentity {
  readonly uuid: string;
  /** the DNS-SD instance name last used (after renames); undefined = the configured name */
  readonly dnsSdName: string | undefined;
  /** the configured name dnsSdName was derived from (a new configured name resets the rename) */
  readonly configuredName: string | undefined;
}

const UUID_RE = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Load printer.json, creating it (with a fresh printer-uuid) when missing or unreadable. */
export async function loadIdentity(stateDir: string, log: Logger): Promise<PrinterIdentity> {
  const file = join(stateDir, 'printer.json');
  const doc = await readJsonTolerant(file, log);
  const rec = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const uuid = typeof rec['uuid'] === 'string' && UUID_RE.test(rec['uuid']) ? rec['uuid'] : undefined;
  const identity: PrinterIdentity = {
    uuid: uuid ?? `urn:uuid:${randomUUID()}`,
    dnsSdName: typeof rec['dnsSdName'] === 'string' ? rec['dnsSdName'] : undefined,
    configuredName: typeof rec['configuredName'] === 'string' ? rec['configuredName'] : undefined,
  };
  if (!uuid) {
    await writeJsonAtomic(file, identity);
    log.info({ uuid: identity.uuid }, 'new printer identity');
  }
  return identity;
}

/** Persist a changed identity. */
export async function saveIdentity(stateDir: string, identity: PrinterIdentity): Promise<void> {
  await writeJsonAtomic(join(stateDir, 'printer.json'), identity);
}
