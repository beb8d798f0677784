// The one crash-safe store of the state directory: every file is written to a temp name, fsynced, renamed over the
// target and the directory fsynced, so after a crash or power loss a file holds its old or its new content, never less.
// SPDX-License-Identifier: Apache-2.0
import { open, rename, mkdir, readFile, unlink, readdir, type FileHandle } from 'node:fs/promises';
import { join, dirname, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { FirmwareError, StateError } from './errors.js';

const TEMP_SUFFIX = '.tmp';

/** Whether a directory entry is a temp file of this store (a crash may leave one behind). */
export function isTempName(entry: string): boolean {
  return entry.startsWith('.') && entry.endsWith(TEMP_SUFFIX);
}

function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

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
  const temp = tempPathFor(file);
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

/** Write a JSON document atomically. The value is serialized at call time. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError' });
}

/** Iterate `source`, ending at once with an AbortError when `signal` fires, even while the source waits for data. */
async function* abortable(source: AsyncIterable<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (signal.aborted) throw abortError(signal);
  const it = source[Symbol.asyncIterator]();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  let done = false;
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next.done === true) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A source stuck waiting would never finish return(): let it go without waiting.
    if (!done) void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}

/**
 * Write a stream to `file` the same crash-safe way (temp, fsync, rename, fsync dir); resolves with the byte count once
 * the file is durable. Errors of the source (FirmwareError, AbortError) pass through as they are; file-system errors
 * become StateError with the errno error as cause. The temp file is removed on any failure.
 */
export async function writeStreamAtomic(file: string, source: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<number> {
  const temp = tempPathFor(file);
  let handle: FileHandle | undefined;
  let bytes = 0;
  try {
    handle = await open(temp, 'w', 0o600);
    for await (const chunk of abortable(source, signal)) {
      for (let off = 0; off < chunk.length; ) off += (await handle.write(chunk, off, chunk.length - off)).bytesWritten;
      bytes += chunk.length;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
    await syncDir(dirname(file));
    return bytes;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    if (err instanceof FirmwareError || (err as Error).name === 'AbortError') throw err;
    throw new StateError(`cannot write ${file}`, { cause: err });
  }
}

/** Move a damaged state file aside as `<file>.corrupt-<ms>` (never deleted) and log it at warn. */
export async function quarantine(file: string, log: Logger, why: string, err?: unknown): Promise<void> {
  const aside = `${file}.corrupt-${Date.now()}`;
  await rename(file, aside).catch(() => undefined);
  log.warn({ err, file, aside, why }, 'corrupt state file moved aside');
}

/**
 * Read a JSON document. Missing -> undefined. Corrupt or empty -> renamed aside (never deleted), logged at warn,
 * undefined: the printer still starts.
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
    await quarantine(file, log, text.length === 0 ? 'empty' : 'not JSON', err);
    return undefined;
  }
}

/** Create the directory (and parents) if needed; remove temp files a crash left behind and return their names. */
export async function prepareDir(dir: string): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const removed: string[] = [];
    for (const entry of await readdir(dir)) {
      if (!isTempName(entry)) continue;
      await unlink(join(dir, entry)).catch(() => undefined);
      removed.push(entry);
    }
    return removed;
  } catch (err) {
    throw new StateError(`cannot prepare state directory ${dir}`, { cause: err });
  }
}
