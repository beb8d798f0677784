// A fake serial print engine on the far end of a pty pair: reads paced to a baud rate by a token bucket, records
// every byte with arrival times (for tests and the serial benchmark), answers status queries from a table
// (ESC/POS DLE EOT n by default), and can run out of paper, stall or vanish mid-job.
// SPDX-License-Identifier: Apache-2.0
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the engine's status answers depend on. */
export interface EngineState {
  readonly paperOut: boolean;
  readonly paperLow: boolean;
  readonly coverOpen: boolean;
}

/** One real-time query the engine answers: `match` bytes in the stream, answered by `reply`. */
export interface StatusQuery {
  readonly match: Uint8Array;
  reply(state: EngineState): Uint8Array;
}

/** ESC/POS real-time status (DLE EOT n, n = 1…4): one status byte each, fixed bits 1 and 4 set (0x12). */
export const ESCPOS_STATUS_QUERIES: readonly StatusQuery[] = [
  // n=1 printer status: bit 3 offline.
  { match: Uint8Array.of(0x10, 0x04, 0x01), reply: (s) => Uint8Array.of(0x12 | (s.paperOut || s.coverOpen ? 0x08 : 0)) },
  // n=2 offline cause: bit 2 cover open, bit 5 stopped by paper end, bit 6 error.
  {
    match: Uint8Array.of(0x10, 0x04, 0x02),
    reply: (s) => Uint8Array.of(0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.paperOut || s.coverOpen ? 0x40 : 0)),
  },
  // n=3 error cause: no cutter or unrecoverable errors in this fake.
  { match: Uint8Array.of(0x10, 0x04, 0x03), reply: () => Uint8Array.of(0x12) },
  // n=4 roll paper sensor: bits 2-3 near end, bits 5-6 paper end.
  { match: Uint8Array.of(0x10, 0x04, 0x04), reply: (s) => Uint8Array.of(0x12 | (s.paperLow ? 0x0c : 0) | (s.paperOut ? 0x60 : 0)) },
];

/** Settings of a fake engine. */
export interface PtyEngineOptions {
  /** the engine end of the pair (PtyPair.pathB) */
  readonly path: string;
  /** line rate to pace to; 0 = read as fast as the pty delivers */
  readonly baud: number;
  /** bits per byte on the wire (8N1 = 10) */
  readonly bitsPerByte?: number;
  /** token bucket depth in ms of line time (default 10) */
  readonly burstMs?: number;
  /** read loop period in ms (default 2) */
  readonly tickMs?: number;
  /** status queries answered (default ESC/POS DLE EOT 1…4) */
  readonly queries?: readonly StatusQuery[];
  /** when paper runs out, stop taking bytes (default true; queries then go unanswered, as with a full input buffer) */
  readonly stallOnPaperOut?: boolean;
}

/** One read: when (performance.now() ms) and how many bytes. */
export interface Arrival {
  readonly at: number;
  readonly bytes: number;
}

/** Throughput figures from the arrivals (what the serial benchmark reports). */
export interface ArrivalStats {
  readonly bytes: number;
  /** first and last arrival, performance.now() ms (NaN when nothing arrived) */
  readonly firstAt: number;
  readonly lastAt: number;
  /** bytes per second between first and last arrival */
  readonly rate: number;
  /** longest time between two arrivals (ms) */
  readonly maxGapMs: number;
  /** time the engine had room (tokens) but found no byte, after the first arrival and before the last (ms) */
  readonly starvedMs: number;
}

/** The fake engine. Create with PtyEngine.open(); close() in teardown. */
export class PtyEngine {
  /** every read, in order */
  readonly arrivals: Arrival[] = [];
  readonly #opts: Required<PtyEngineOptions>;
  readonly #fh: FileHandle;
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  #state: EngineState = { paperOut: false, paperLow: false, coverOpen: false };
  #isPaused = false;
  #isClosed = false;
  #tail = Buffer.alloc(0);
  #starved: { at: number; ms: number }[] = [];
  #hangup: string | undefined;
  readonly #loop: Promise<void>;
  #waiters: { bytes: number; resolve: () => void }[] = [];

  private constructor(opts: PtyEngineOptions, fh: FileHandle) {
    this.#opts = { bitsPerByte: 10, burstMs: 10, tickMs: 2, queries: ESCPOS_STATUS_QUERIES, stallOnPaperOut: true, ...opts };
    this.#fh = fh;
    this.#loop = this.#run();
  }

  /** Open the engine end (non-blocking) and start reading. */
  static async open(opts: PtyEngineOptions): Promise<PtyEngine> {
    const fh = await fsp.open(opts.path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    return new PtyEngine(opts, fh);
  }

  /** Bytes per second the engine takes (baud / bits per byte; Infinity when unpaced). */
  get rate(): number {
    return this.#opts.baud > 0 ? this.#opts.baud / this.#opts.bitsPerByte : Infinity;
  }
  /** Everything received so far, in order. */
  get received(): Buffer {
    return Buffer.concat(this.#chunks);
  }
  get bytesReceived(): number {
    return this.#bytes;
  }
  get state(): EngineState {
    return this.#state;
  }
  /** Why the engine stopped reading on its own (the link hung up), if it did. */
  get hangup(): string | undefined {
    return this.#hangup;
  }

  /** Stop or resume taking bytes (a busy engine; the host's writes back up). */
  setPaused(isPaused: boolean): void {
    this.#isPaused = isPaused;
  }

  /** Change sensors; paper out also stalls the engine unless stallOnPaperOut is false. */
  setState(change: Partial<EngineState>): void {
    this.#state = { ...this.#state, ...change };
  }

  /** Resolve once `bytes` bytes have arrived; reject after `timeoutMs`. */
  async waitForBytes(bytes: number, timeoutMs = 5000): Promise<void> {
    if (this.#bytes >= bytes) return;
    const arrived = new Promise<void>((resolve) => this.#waiters.push({ bytes, resolve }));
    const timer = sleep(timeoutMs, 'timeout' as const);
    if ((await Promise.race([arrived, timer])) === 'timeout') {
      throw new Error(`engine got ${this.#bytes} of ${bytes} bytes within ${timeoutMs} ms`);
    }
  }

  /** Summary of the arrivals (optionally only those at or after `fromMs`). */
  stats(fromMs = -Infinity): ArrivalStats {
    const list = this.arrivals.filter((a) => a.at >= fromMs);
    const first = list[0];
    const last = list[list.length - 1];
    const bytes = list.reduce((sum, a) => sum + a.bytes, 0);
    let maxGapMs = 0;
    for (let i = 1; i < list.length; i++) maxGapMs = Math.max(maxGapMs, (list[i]?.at ?? 0) - (list[i - 1]?.at ?? 0));
    const span = first && last ? last.at - first.at : 0;
    const starvedMs = first && last ? this.#starved.filter((s) => s.at > first.at && s.at < last.at).reduce((sum, s) => sum + s.ms, 0) : 0;
    return {
      bytes,
      firstAt: first?.at ?? NaN,
      lastAt: last?.at ?? NaN,
      rate: span > 0 ? ((bytes - (first?.bytes ?? 0)) * 1000) / span : NaN,
      maxGapMs,
      starvedMs,
    };
  }

  /** Close the engine end (the engine vanishes; kill the pair's socat too for a full hang-up). */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.#loop;
    await this.#fh.close().catch(() => undefined);
  }

  #isStalled(): boolean {
    return this.#isPaused || (this.#state.paperOut && this.#opts.stallOnPaperOut);
  }

  async #run(): Promise<void> {
    const buf = Buffer.alloc(64 * 1024);
    const burst = Number.isFinite(this.rate) ? Math.max(1, Math.round((this.rate * this.#opts.burstMs) / 1000)) : buf.length;
    let tokens = 0;
    let last = performance.now();
    while (!this.#isClosed) {
      const now = performance.now();
      tokens = this.#isStalled() ? 0 : Math.min(burst, tokens + ((now - last) * this.rate) / 1000);
      const tick = now - last;
      last = now;
      const want = Math.min(buf.length, Math.floor(tokens));
      if (want >= 1) {
        const got = await this.#read(buf, want);
        if (got === undefined) return;
        if (got === 0) this.#starved.push({ at: now, ms: tick });
        else tokens -= got;
      }
      await sleep(this.#opts.tickMs);
    }
  }

  /** One non-blocking read; 0 = nothing there, undefined = hung up or closed. */
  async #read(buf: Buffer, want: number): Promise<number | undefined> {
    try {
      const { bytesRead } = await this.#fh.read(buf, 0, want, null);
      if (bytesRead === 0) {
        this.#hangup = 'end of file';
        return undefined;
      }
      this.#record(buf.subarray(0, bytesRead));
      return bytesRead;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 0;
      this.#hangup = code ?? String(err);
      return undefined;
    }
  }

  #record(chunk: Buffer): void {
    const copy = Buffer.from(chunk);
    this.#chunks.push(copy);
    this.#bytes += copy.length;
    this.arrivals.push({ at: performance.now(), bytes: copy.length });
    this.#answer(copy);
    this.#waiters = this.#waiters.filter((w) => (this.#bytes >= w.bytes ? (w.resolve(), false) : true));
  }

  /** Find complete queries that end in this chunk (they may start in the previous one) and reply to each. */
  #answer(chunk: Buffer): void {
    const queries = this.#opts.queries;
    if (queries.length === 0) return;
    const keep = Math.max(...queries.map((q) => q.match.length)) - 1;
    const text = Buffer.concat([this.#tail, chunk]);
    for (let end = this.#tail.length + 1; end <= text.length; end++) {
      for (const query of queries) {
        const start = end - query.match.length;
        if (start >= 0 && text.subarray(start, end).equals(query.match)) {
          void this.#fh.write(query.reply(this.#state)).catch(() => undefined);
        }
      }
    }
    this.#tail = text.subarray(Math.max(0, text.length - keep));
  }
}
