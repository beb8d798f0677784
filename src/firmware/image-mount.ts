// Loop-mounts a Raspberry Pi OS style disk image (partition 1 FAT boot, partition 2 ext4 root) for `ippbridge flash
// --image`; needs root, losetup and mount. Not exercised by the tests (they use --root).
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.js';

const run = promisify(execFile);

/** A mounted image: `root` is the root file system with the boot partition at root/boot/firmware. */
export interface MountedImage {
  readonly root: string;
  unmount(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Attach `image` to a loop device with partition scanning and mount its root and boot partitions. */
export async function mountImage(image: string): Promise<MountedImage> {
  if (process.getuid?.() !== 0) throw new ConfigError('flash --image needs root (loop devices and mount); run it with sudo, or mount the image yourself and use --root DIR', { code: 'ERR_USAGE' });
  if (!(await exists(image))) throw new ConfigError(`image ${image} not found`, { code: 'ERR_USAGE' });
  const { stdout } = await run('losetup', ['--find', '--show', '--partscan', image]);
  const loop = stdout.trim();
  const root = await mkdtemp(join(tmpdir(), 'ippbridge-flash-'));
  const mounted: string[] = [];
  const unmount = async (): Promise<void> => {
    for (const dir of mounted.reverse()) await run('umount', [dir]).catch(() => undefined);
    mounted.length = 0;
    await run('losetup', ['--detach', loop]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    // Partition device nodes may appear a moment after losetup returns.
    await run('udevadm', ['settle']).catch(() => undefined);
    const boot = `${loop}p1`;
    const rootPart = `${loop}p2`;
    if (!(await exists(rootPart))) throw new ConfigError(`${image} has no second partition (${rootPart}); is it a Raspberry Pi OS image?`, { code: 'ERR_USAGE' });
    await run('mount', [rootPart, root]);
    mounted.push(root);
    const bootDir = (await exists(join(root, 'boot/firmware'))) ? join(root, 'boot/firmware') : join(root, 'boot');
    await mkdir(bootDir, { recursive: true });
    await run('mount', [boot, bootDir]);
    mounted.push(bootDir);
    return { root, unmount };
  } catch (err) {
    await unmount();
    throw err;
  }
}
