// Crash-safe persistence in the state directory: write temp, fsync, rename, fsync the directory.
// SPDX-License-Identifier: Apache-2.0
import { open, rename, mkdir, readFile, unlink, readdir } from 'node:fs/promises';
import { join, dirname, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { StateError } from './errors.js';

const TEMP_SUFFIX = '.tmp';

/** fsync a directory so a rename inside it survives power loss. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replace `file` atomically with `data`: after a crash it holds either the old or the new content. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncDir(dir);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new StateError(`cannot write ${file}`, { cause: err });
  }
}

/** Write a JSON document atomically. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
}

/**
 * Read a JSON document. Missing -> undefined. Corrupt -> renamed aside (never deleted), logged at warn, undefined:
 * the printer still starts.
 */
export async function readJsonTolerant(file: string, log: Logger): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateError(`cannot read ${file}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const aside = `${file}.corrupt-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    log.warn({ err, file, aside }, 'corrupt state file moved aside');
    return undefined;
  }
}

/** Create the directory (and parents) if needed; remove temp files a crash left behind. */
export async function prepareDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const entry of await readdir(dir)) {
      if (entry.startsWith('.') && entry.endsWith(TEMP_SUFFIX)) await unlink(join(dir, entry)).catch(() => undefined);
    }
  } catch (err) {
    throw new StateError(`cannot prepare state directory ${dir}`, { cause: err });
  }
}
