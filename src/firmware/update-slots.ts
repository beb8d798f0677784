// The A/B slots of an installed system: which one is active, filling the other, switching the `current` symlink
// atomically (a new symlink renamed over it, then the folder fsynced), and the pending-update marker.
// SPDX-License-Identifier: Apache-2.0
import { readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir, writeFileAtomic } from '../state-dir.js';
import { LAYOUT, SLOTS, type Slot } from './layout.js';

function isSlot(name: string): name is Slot {
  return (SLOTS as readonly string[]).includes(name);
}

/** The slot `current` points at under `root`, or undefined when nothing is installed. */
export async function activeSlot(root: string): Promise<Slot | undefined> {
  const target = await readlink(join(root, LAYOUT.current)).catch(() => undefined);
  return target !== undefined && isSlot(target) ? target : undefined;
}

/** Make `current` point at `slot` in one rename; after a crash it points at the old or the new slot. */
export async function switchCurrent(root: string, slot: Slot): Promise<void> {
  const current = join(root, LAYOUT.current);
  const temp = `${current}.new-${process.pid}`;
  await unlink(temp).catch(() => undefined);
  await symlink(slot, temp);
  await rename(temp, current);
  await syncDir(join(root, LAYOUT.installDir));
}

/** Replace slot `slot` with the verified bundle folder `staged` (same file system: a rename). */
export async function fillSlot(root: string, slot: Slot, staged: string): Promise<string> {
  const dir = join(root, LAYOUT.installDir, slot);
  await rm(dir, { recursive: true, force: true });
  await rename(staged, dir);
  await syncDir(join(root, LAYOUT.installDir));
  return dir;
}

/** Record that an update from `previous` is being tried (the rollback unit's cue). */
export async function markPending(root: string, previous: Slot): Promise<void> {
  await writeFileAtomic(join(root, LAYOUT.pending), `${previous}\n`);
}

/** The update was confirmed or rolled back: drop the marker. */
export async function clearPending(root: string): Promise<void> {
  await rm(join(root, LAYOUT.pending), { force: true });
}
