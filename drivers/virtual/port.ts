// The `virtual:` transport port: parses the byte stream as concatenated PNG files and stores each one crash-safely
// (temp file, fsync, link) as <outDir>/job-<job>-page-<page>.png, named from its tEXt entries; a page printed again
// (another copy, a reprint) is kept beside it as job-<job>-page-<page>-<n>.png. Optional pacing and faults.
// SPDX-License-Identifier: Apache-2.0
import { link, open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import type { TransportMetrics, TransportPort } from '../transports/transport.js';
import type { FaultWatcher } from './faults.js';
import { PngSplitter, type PngStreamEvent } from './png-splitter.js';

/** tEXt keywords the virtual driver writes and the port names files by. */
export const TEXT_JOB = 'ippbridge-job';
export const TEXT_PAGE = 'ippbridge-page';

/** Settings of one port. */
export interface VirtualPortOptions {
  readonly outDir: string;
  readonly log: Logger;
  readonly preferredChunk: number;
  /** bytes per second the "engine" takes, 0 = unlimited; asked before every write */
  readonly pace: () => Promise<number>;
  /** the engine's faults: a vanished engine disconnects the port, a stalled one holds writes */
  readonly faults?: Pick<FaultWatcher, 'current' | 'notePage'>;
}

/** How often a stalled write looks at the faults again. */
const STALL_CHECK_MS = 50;

interface OpenFile {
  readonly handle: FileHandle;
  readonly tmpPath: string;
  job: string | undefined;
  page: string | undefined;
}

let fileSeq = 0;

/** A port whose engine writes PNG pages to disk. One write in flight; write() resolves once bytes are on file. */
export class VirtualPort implements TransportPort {
  readonly uri = 'virtual:';
  readonly preferredChunk: number;
  readonly #opts: VirtualPortOptions;
  readonly #splitter = new PngSplitter();
  readonly #disconnect = new AbortController();
  #file: OpenFile | undefined;
  #isClosed = false;
  /** the engine vanished under this port */
  #isLost = false;
  #queue: Promise<void> = Promise.resolve();
  #paceUntil = 0;
  #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  /** Paths of the pages completed through this port, in order. */
  readonly completed: string[] = [];

  constructor(opts: VirtualPortOptions) {
    this.#opts = opts;
    this.preferredChunk = opts.preferredChunk;
  }

  get isOpen(): boolean {
    return !this.#isClosed && !this.#isLost;
  }
  get metrics(): TransportMetrics {
    return { ...this.#metrics };
  }
  get disconnected(): AbortSignal {
    return this.#disconnect.signal;
  }

  /** Write bytes; resolves when they are in the page file (after pacing). */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('disconnected', 'virtual port is closed'));
    const run = this.#queue.then(() => this.#write(data, signal));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(data: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    const started = performance.now();
    if (signal?.aborted === true) throw new TransportError('canceled', 'write canceled');
    await this.#awaitEngine(signal);
    await this.#pace(data.length, signal);
    for (const event of this.#splitter.feed(data)) await this.#apply(event);
    this.#metrics.bytesWritten += data.length;
    this.#metrics.writeMs += performance.now() - started;
  }

  /** Fail when the engine vanished (the port is then lost for good); wait while it is stalled. */
  async #awaitEngine(signal: AbortSignal | undefined): Promise<void> {
    const faults = this.#opts.faults;
    if (faults === undefined) return;
    for (;;) {
      const state = await faults.current();
      if (state.vanished) {
        const err = new TransportError('disconnected', 'the virtual engine vanished', { bytesAccepted: 0 });
        this.#isLost = true;
        if (!this.#disconnect.signal.aborted) this.#disconnect.abort(err);
        throw err;
      }
      if (!state.stalled) return;
      try {
        await sleep(STALL_CHECK_MS, undefined, signal === undefined ? {} : { signal });
      } catch (err) {
        throw new TransportError('canceled', 'write canceled', { cause: err, bytesAccepted: 0 });
      }
    }
  }

  /** Token-bucket pacing: each write ends no earlier than bytes / rate after the previous one. */
  async #pace(bytes: number, signal: AbortSignal | undefined): Promise<void> {
    const rate = await this.#opts.pace();
    if (!(rate > 0)) return;
    const now = performance.now();
    this.#paceUntil = Math.max(now, this.#paceUntil) + (bytes * 1000) / rate;
    const wait = this.#paceUntil - now;
    if (wait < 1) return;
    try {
      await sleep(wait, undefined, signal === undefined ? {} : { signal });
    } catch (err) {
      throw new TransportError('canceled', 'write canceled', { cause: err, bytesAccepted: 0 });
    }
  }

  async #apply(event: PngStreamEvent): Promise<void> {
    switch (event.type) {
      case 'start': {
        const tmpPath = path.join(this.#opts.outDir, `.page-${process.pid}-${++fileSeq}.png.tmp`);
        this.#file = { handle: await open(tmpPath, 'w'), tmpPath, job: undefined, page: undefined };
        return;
      }
      case 'data':
        if (this.#file !== undefined) await this.#file.handle.write(event.bytes);
        return;
      case 'text':
        if (this.#file !== undefined && event.keyword === TEXT_JOB) this.#file.job = event.text;
        if (this.#file !== undefined && event.keyword === TEXT_PAGE) {
          this.#file.page = event.text;
          if (/^\d+$/.test(event.text)) this.#opts.faults?.notePage(Number(event.text));
        }
        return;
      case 'end':
        await this.#finishFile();
        return;
      default: {
        const never: never = event;
        throw new TransportError('disconnected', `unknown event ${String(never)}`);
      }
    }
  }

  async #finishFile(): Promise<void> {
    const file = this.#file;
    if (file === undefined) return;
    this.#file = undefined;
    await file.handle.sync();
    await file.handle.close();
    const isNamed = /^\d+$/.test(file.job ?? '') && /^\d+$/.test(file.page ?? '');
    const base = isNamed ? `job-${file.job}-page-${file.page}` : `unnamed-${process.pid}-${fileSeq}`;
    // Never replace a printed page: a page printed twice must show as two files, as two sheets would.
    let finalPath = path.join(this.#opts.outDir, `${base}.png`);
    for (let n = 2; ; n++) {
      try {
        await link(file.tmpPath, finalPath);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        finalPath = path.join(this.#opts.outDir, `${base}-${n}.png`);
      }
    }
    await unlink(file.tmpPath);
    this.completed.push(finalPath);
    this.#opts.log.debug({ file: path.basename(finalPath) }, 'virtual engine printed page');
  }

  /** Every queued write has finished. */
  async drain(): Promise<void> {
    await this.#queue;
  }

  /** Drop the partial page file and expect a new PNG. */
  async discard(): Promise<void> {
    await this.#queue;
    this.#splitter.reset();
    this.#paceUntil = 0;
    const file = this.#file;
    this.#file = undefined;
    if (file === undefined) return;
    await file.handle.close();
    await unlink(file.tmpPath).catch((err: unknown) => this.#opts.log.warn({ err }, 'partial page file not removed'));
  }

  /** The virtual engine has no device id of its own beyond the driver's. */
  async deviceId(): Promise<string | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    await this.discard();
    this.#isClosed = true;
  }
}
