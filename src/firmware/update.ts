// Applying a verified update with rollback: fill the inactive slot, mark the update pending, switch `current`,
// restart the service and wait until it reports healthy twice (a settle time apart); otherwise switch back,
// restart the previous version and report the rollback. State (/var/lib/ippbridge) and /etc are never touched.
// SPDX-License-Identifier: Apache-2.0
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { BoardArch } from './board-hardware.js';
import type { HealthResult } from './health.js';
import { LAYOUT, inactiveSlot, type Slot } from './layout.js';
import { loadPublicKey } from './signing.js';
import { activeSlot, clearPending, fillSlot, markPending, switchCurrent } from './update-slots.js';
import { verifyBundle } from './update-verify.js';

/** Restarts the printer service so that it runs what `current` points at. */
export interface ServiceControl {
  restart(): Promise<void>;
}

/** What `applyUpdate` needs. */
export interface UpdateOptions {
  /** "/" on the board, a mounted image or a test folder otherwise */
  readonly root: string;
  readonly bundle: string;
  /** the trusted Ed25519 public key (PEM); default root/etc/ippbridge/update.pub */
  readonly publicKey?: string;
  /** the arch this machine runs (a bundle for another is refused); undefined: not checked (--root) */
  readonly hostArch: BoardArch | undefined;
  /** undefined: install and switch only (nothing running to restart, e.g. an image) */
  readonly service: ServiceControl | undefined;
  /** waits (up to its own timeout) until the restarted service answers, or says why it does not */
  readonly waitHealthy: () => Promise<HealthResult>;
  /** after the first healthy answer, wait this long and ask again (a version that crashes right after start) */
  readonly settleMs: number;
  readonly progress: (line: string) => void;
}

/** How an update ended (a refused bundle throws ConfigError instead and changes nothing). */
export type UpdateOutcome =
  | { readonly kind: 'switched'; readonly slot: Slot; readonly version: string; readonly previous: Slot | undefined }
  | { readonly kind: 'installed'; readonly slot: Slot; readonly version: string; readonly previous: Slot | undefined }
  | { readonly kind: 'rolled-back'; readonly slot: Slot; readonly failed: Slot; readonly version: string; readonly reason: string };

async function confirmHealthy(opts: UpdateOptions): Promise<HealthResult> {
  const first = await opts.waitHealthy();
  if (!first.isHealthy) return first;
  await new Promise((resolveWait) => setTimeout(resolveWait, opts.settleMs));
  const second = await opts.waitHealthy();
  return second.isHealthy ? second : { isHealthy: false, reason: `healthy at first, then: ${second.reason}` };
}

/** Verify `opts.bundle`, install it into the inactive slot, switch, and roll back when it does not come up healthy. */
export async function applyUpdate(opts: UpdateOptions): Promise<UpdateOutcome> {
  const key = await loadPublicKey(opts.publicKey ?? join(opts.root, LAYOUT.updateKey));
  const installDir = join(opts.root, LAYOUT.installDir);
  const verified = await verifyBundle(opts.bundle, key, installDir);
  const { version, arch } = verified.manifest;
  const previous = await activeSlot(opts.root);
  const slot = inactiveSlot(previous);
  try {
    if (opts.hostArch !== undefined && arch !== opts.hostArch) throw new ConfigError(`the bundle is for ${arch}, this machine is ${opts.hostArch}`);
    opts.progress(`verified ippbridge ${version} (${arch}): signature and ${verified.manifest.files.length} files`);
    await fillSlot(opts.root, slot, verified.dir);
  } finally {
    await rm(verified.dir, { recursive: true, force: true });
  }
  opts.progress(`unpacked into slot ${slot}`);
  if (previous !== undefined) await markPending(opts.root, previous);
  await switchCurrent(opts.root, slot);
  opts.progress(`current -> ${slot}${previous === undefined ? '' : ` (previous: ${previous})`}`);
  if (opts.service === undefined) return { kind: 'installed', slot, version, previous };
  const health = await opts.service.restart().then(
    () => confirmHealthy(opts),
    (err: unknown): HealthResult => ({ isHealthy: false, reason: `restart failed: ${(err as Error).message}` }),
  );
  if (health.isHealthy) {
    await clearPending(opts.root);
    opts.progress(`ippbridge ${version} is healthy`);
    return { kind: 'switched', slot, version, previous };
  }
  if (previous === undefined) {
    await clearPending(opts.root);
    throw new ConfigError(`ippbridge ${version} did not become healthy (${health.reason}) and there is no previous version to go back to`);
  }
  opts.progress(`ippbridge ${version} is not healthy (${health.reason}): rolling back to slot ${previous}`);
  await rollBack(opts.root, previous, opts.service).catch((err: unknown) => opts.progress(`restarting slot ${previous} failed: ${(err as Error).message}`));
  const after = await opts.waitHealthy();
  opts.progress(after.isHealthy ? `slot ${previous} serves again` : `slot ${previous} is not healthy either: ${after.reason}`);
  return { kind: 'rolled-back', slot: previous, failed: slot, version, reason: health.reason };
}

/** Switch back to `slot`, clear the pending marker and restart the service. */
export async function rollBack(root: string, slot: Slot, service: ServiceControl | undefined): Promise<void> {
  await switchCurrent(root, slot);
  await clearPending(root);
  await service?.restart();
}
