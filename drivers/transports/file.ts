// The `file:` transport: `file:///path` writes a regular file (created or truncated per open, `?append=1` appends,
// `?sync=1` fsyncs at the end of each job); a character device or FIFO (e.g. /dev/usb/lp0) is written non-blocking with backpressure.
// SPDX-License-Identifier: Apache-2.0
import { promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, TransportError } from '../../src/errors.js';
import { abortKind } from './race-transfer.js';
import { DeviceFilePort, openDeviceFile } from './device-file-port.js';
import type { DeviceInfo, Transport, TransportMetrics, TransportPort } from './transport.js';
import { localPath, UriOptions } from './uri-options.js';
import { listUsblp } from './usblp.js';

/** Write size for a regular file. */
export const FILE_CHUNK = 64 * 1024;

/** A regular output file. */
class RegularFilePort implements TransportPort {
  readonly uri: string;
  readonly preferredChunk = FILE_CHUNK;
  readonly #fh: FileHandle;
  readonly #disconnect = new AbortController();
  readonly #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  readonly #isSynced: boolean;
  #isClosed = false;

  constructor(uri: string, fh: FileHandle, isSynced: boolean) {
    this.uri = uri;
    this.#fh = fh;
    this.#isSynced = isSynced;
  }

  get isOpen(): boolean {
    return !this.#isClosed && !this.#disconnect.signal.aborted;
  }
  get metrics(): TransportMetrics {
    return { ...this.#metrics };
  }
  get disconnected(): AbortSignal {
    return this.#disconnect.signal;
  }

  /** Resolves when the bytes are in the file (page cache; drain() makes them durable). */
  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.isOpen) throw new TransportError('disconnected', 'file is not open', { bytesAccepted: 0 });
    const started = performance.now();
    let done = 0;
    while (done < data.length) {
      if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'file write canceled', { bytesAccepted: done });
      try {
        done += (await this.#fh.write(data, done, data.length - done)).bytesWritten;
      } catch (err) {
        // Disk full or I/O error: the output is lost like a vanished device.
        const lost = new TransportError('disconnected', `file write failed: ${(err as Error).message}`, { cause: err, bytesAccepted: done });
        this.#disconnect.abort(lost);
        throw lost;
      }
    }
    this.#metrics.bytesWritten += data.length;
    this.#metrics.writeMs += performance.now() - started;
  }

  /**
   * Every write already reached the file (the page cache, as CUPS' file backend leaves it); with `sync=1` also fsync,
   * so the output is on stable storage when the job completes.
   */
  async drain(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'file drain canceled');
    if (this.#isClosed || !this.#isSynced) return;
    try {
      await this.#fh.sync();
    } catch (err) {
      throw new TransportError('disconnected', `fsync failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Nothing is queued: every write went straight to the file. */
  async discard(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.#fh.close();
  }
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fsp.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot use ${file}: ${(err as Error).message}`, { pointer: '/engine/uri', cause: err });
  }
}

/** Create or truncate (or append to) a regular file; a missing directory or no permission is a ConfigError. */
async function openRegular(file: string, append: boolean): Promise<FileHandle> {
  const dir = path.dirname(file);
  const dirStats = await statOrUndefined(dir);
  if (dirStats === undefined) throw new ConfigError(`cannot write ${file}: directory ${dir} does not exist`, { pointer: '/engine/uri' });
  if (!dirStats.isDirectory()) throw new ConfigError(`cannot write ${file}: ${dir} is not a directory`, { pointer: '/engine/uri' });
  try {
    return await fsp.open(file, append ? 'a' : 'w', 0o644);
  } catch (err) {
    throw new ConfigError(`cannot write ${file}: ${(err as Error).message}`, { pointer: '/engine/uri', cause: err });
  }
}

async function openDevice(uri: URL, file: string, settings: { writeTimeoutMs: number; readTimeoutMs: number }, log: Logger): Promise<TransportPort> {
  try {
    const { fh, isReadable } = await openDeviceFile(file);
    log.info({ path: file, isReadable }, 'device file open');
    return new DeviceFilePort(uri.href, fh, isReadable, { path: file, ...settings }, log);
  } catch (err) {
    // ENXIO: a FIFO without reader, or a device whose hardware is gone; both may come back later.
    throw new TransportError('disconnected', `cannot open ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The file transport; list() shows kernel usblp printers. */
export function createFileTransport(): Transport {
  return {
    scheme: 'file',
    list: async (): Promise<DeviceInfo[]> => listUsblp(),
    async open(uri: URL, options: Readonly<Record<string, unknown>>, log: Logger, signal?: AbortSignal): Promise<TransportPort> {
      const opts = new UriOptions(uri, options, ['append', 'sync', 'timeout', 'read-timeout']);
      const file = localPath(uri);
      const append = opts.flag('append', false);
      const settings = { writeTimeoutMs: opts.seconds('timeout', 86_400, 0), readTimeoutMs: opts.seconds('read-timeout', 600, 2000) };
      if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'file open canceled', { cause: signal.reason });
      const portLog = log.child({ uri: uri.href });
      const stats = await statOrUndefined(file);
      if (stats?.isDirectory() === true) throw new ConfigError(`${uri.href} names a directory, not a file`, { pointer: '/engine/uri' });
      if (stats !== undefined && (stats.isCharacterDevice() || stats.isFIFO())) return openDevice(uri, file, settings, portLog);
      // Never create files under /dev: a missing node there is an unplugged device, not an output file.
      if (stats === undefined && file.startsWith('/dev/')) throw new TransportError('disconnected', `device ${file} is not present`);
      return new RegularFilePort(uri.href, await openRegular(file, append), opts.flag('sync', false));
    },
  };
}
