// A character device (e.g. /dev/usb/lp0) opened non-blocking: writes retry on EAGAIN with a short back-off, so
// backpressure comes from the device, cancel is prompt and every accepted byte is counted; read-back when readable.
// SPDX-License-Identifier: Apache-2.0
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import { abortKind, pause } from './race-transfer.js';
import type { TransportMetrics, TransportPort } from './transport.js';
import { usblpDeviceId } from './usblp.js';

/** Write size for a device file. */
export const DEVICE_CHUNK = 64 * 1024;
/** Back-off steps (ms) while the device answers EAGAIN. */
const BACKOFF_MS = [0, 1, 1, 2, 4, 8, 16, 20];

/** Settings of a device port. */
export interface DeviceFileSettings {
  readonly path: string;
  /** stall limit in ms (0: none) */
  readonly writeTimeoutMs: number;
  readonly readTimeoutMs: number;
}

function isWouldBlock(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Open read-write when allowed (read-back), else write-only; always non-blocking. */
export async function openDeviceFile(devicePath: string): Promise<{ fh: FileHandle; isReadable: boolean }> {
  const flags = constants.O_NONBLOCK | constants.O_NOCTTY;
  try {
    return { fh: await fsp.open(devicePath, constants.O_RDWR | flags), isReadable: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EROFS') throw err;
    return { fh: await fsp.open(devicePath, constants.O_WRONLY | flags), isReadable: false };
  }
}

/** A TransportPort on a non-blocking device file. */
export class DeviceFilePort implements TransportPort {
  readonly uri: string;
  readonly preferredChunk = DEVICE_CHUNK;
  /** present when the device was opened readable */
  readonly read?: (maxBytes: number, signal?: AbortSignal) => Promise<Uint8Array>;
  readonly #fh: FileHandle;
  readonly #settings: DeviceFileSettings;
  readonly #log: Logger;
  readonly #disconnect = new AbortController();
  readonly #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  #isClosed = false;
  #busy: Promise<void> = Promise.resolve();

  constructor(uri: string, fh: FileHandle, isReadable: boolean, settings: DeviceFileSettings, log: Logger) {
    this.uri = uri;
    this.#fh = fh;
    this.#settings = settings;
    this.#log = log;
    if (isReadable) this.read = (maxBytes, signal) => this.#read(maxBytes, signal);
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

  #lose(cause: unknown, bytesAccepted: number): TransportError {
    const err = new TransportError('disconnected', `device ${this.#settings.path} failed: ${(cause as Error).message}`, { cause, bytesAccepted });
    if (!this.#disconnect.signal.aborted) {
      this.#log.warn({ err: cause }, 'device file lost');
      this.#disconnect.abort(err);
    }
    return err;
  }

  /** Wait one back-off step; cancel, loss or the stall limit end the wait with a TransportError. */
  async #backoff(step: number, stalledSince: number, signal: AbortSignal | undefined, done: number, what: string): Promise<void> {
    const limit = what === 'read' ? this.#settings.readTimeoutMs : this.#settings.writeTimeoutMs;
    if (limit > 0 && performance.now() - stalledSince > limit) throw new TransportError('timeout', `device ${what} timed out`, { bytesAccepted: done });
    if (this.#disconnect.signal.aborted || this.#isClosed) {
      throw new TransportError('disconnected', `device ${what}: port closed or device gone`, { bytesAccepted: done });
    }
    try {
      await pause(BACKOFF_MS[Math.min(step, BACKOFF_MS.length - 1)] ?? 20, signal);
    } catch (err) {
      const kind = signal?.aborted === true ? abortKind(signal) : 'canceled';
      throw new TransportError(kind, `device ${what} ${kind === 'timeout' ? 'timed out' : 'canceled'}`, { cause: err, bytesAccepted: done });
    }
  }

  /** Resolves when the device took every byte; rejections carry the exact bytesAccepted. */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    const run = this.#busy.then(() => this.#write(data, signal));
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #write(data: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    if (!this.isOpen) throw new TransportError('disconnected', 'device is not open', { bytesAccepted: 0 });
    const started = performance.now();
    let done = 0;
    let step = 0;
    let stalledSince = started;
    while (done < data.length) {
      if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'device write canceled', { bytesAccepted: done });
      try {
        const { bytesWritten } = await this.#fh.write(data, done, data.length - done);
        done += bytesWritten;
        this.#metrics.bytesWritten += bytesWritten;
        step = 0;
        stalledSince = performance.now();
      } catch (err) {
        if (!isWouldBlock(err)) throw this.#lose(err, done);
        await this.#backoff(step++, stalledSince, signal, done, 'write');
      }
    }
    this.#metrics.writeMs += performance.now() - started;
  }

  async #read(maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (!this.isOpen) throw new TransportError('disconnected', 'device is not open');
    const buf = Buffer.alloc(maxBytes);
    const started = performance.now();
    for (let step = 0; ; step++) {
      if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'device read canceled');
      try {
        const { bytesRead } = await this.#fh.read(buf, 0, maxBytes, null);
        if (bytesRead > 0) {
          this.#metrics.bytesRead += bytesRead;
          return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
        }
      } catch (err) {
        if (!isWouldBlock(err)) throw this.#lose(err, 0);
      }
      await this.#backoff(step, started, signal, 0, 'read');
    }
  }

  /** Bytes leave user space inside write(); nothing is queued here. */
  async drain(signal?: AbortSignal): Promise<void> {
    await this.#busy;
    if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'device drain canceled');
  }

  /** Nothing is queued in user space; bytes the kernel driver holds cannot be recalled through a file. */
  async discard(): Promise<void> {
    await this.#busy;
  }

  /** The IEEE 1284 ID for usblp devices (from sysfs). */
  async deviceId(): Promise<string | undefined> {
    return usblpDeviceId(this.#settings.path);
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.#busy;
    await this.#fh.close().catch((err: unknown) => this.#log.debug({ err }, 'device close failed'));
  }
}
