// The raster decoder thread: runs the document readers (PWG, Apple raster) on bytes the pipeline sends, and sends
// the decoded lines back in batches, so decoding runs on another core while the main thread drives the engine.
// Bounded both ways: the pipeline sends at most INPUT_AHEAD_BYTES not yet taken, this thread at most BATCHES_AHEAD
// batches not yet consumed (their buffers come back for reuse).
// SPDX-License-Identifier: Apache-2.0
import { parentPort } from 'node:worker_threads';
import { FirmwareError } from '../errors.js';
import { readDocument } from './document.js';
import { LineReader } from './line-reader.js';
import { lineRevision } from './page-lines.js';
import type { RasterLimits } from './types.js';
import { BATCH_LINES, BATCHES_AHEAD, type FromDecoder, type ToDecoder } from './worker-protocol.js';

/** Most bytes of line data in one batch (a batch holds at least one line whatever its size). */
const BATCH_BYTES = 512 * 1024;

const port = parentPort;
if (port === null) throw new Error('decode-worker.ts runs as a worker thread');

function post(msg: FromDecoder, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(msg, transfer);
}

/** One document being decoded. */
class DecodeTask {
  readonly #doc: number;
  readonly #queue: Uint8Array[] = [];
  #isEnded = false;
  #isClosed = false;
  #wake: (() => void) | undefined;
  #credits = BATCHES_AHEAD;
  readonly #spare: Uint8Array[] = [];

  constructor(doc: number) {
    this.#doc = doc;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  push(data: Uint8Array): void {
    this.#queue.push(data);
    this.#notify();
  }

  end(): void {
    this.#isEnded = true;
    this.#notify();
  }

  credit(data: Uint8Array | undefined): void {
    this.#credits++;
    if (data !== undefined && this.#spare.length < BATCHES_AHEAD) this.#spare.push(data);
    this.#notify();
  }

  close(): void {
    this.#isClosed = true;
    this.#queue.length = 0;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  async *#source(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (this.#queue.length === 0 && !this.#isEnded && !this.#isClosed) await this.#sleep();
      const chunk = this.#queue.shift();
      if (chunk === undefined || this.#isClosed) return;
      post({ t: 'consumed', doc: this.#doc, bytes: chunk.length });
      yield chunk;
    }
  }

  /** A batch buffer of `size` bytes, reused from a consumed batch when one fits. */
  #buffer(size: number): Uint8Array {
    const i = this.#spare.findIndex((b) => b.byteLength === size);
    if (i >= 0) return this.#spare.splice(i, 1)[0] as Uint8Array;
    return new Uint8Array(size);
  }

  async #send(data: Uint8Array, slots: Int32Array, count: number): Promise<void> {
    while (this.#credits <= 0 && !this.#isClosed) await this.#sleep();
    if (this.#isClosed) return;
    this.#credits--;
    post({ t: 'lines', doc: this.#doc, data, slots, count }, [data.buffer as ArrayBuffer, slots.buffer as ArrayBuffer]);
  }

  async run(format: string, limits: RasterLimits): Promise<void> {
    try {
      for await (const page of readDocument(format, this.#source(), limits)) {
        if (this.#isClosed) return;
        post({ t: 'page', doc: this.#doc, number: page.number, header: page.header });
        const bpl = page.header.bytesPerLine;
        const perBatch = Math.max(1, Math.min(BATCH_LINES, Math.floor(BATCH_BYTES / Math.max(1, bpl))));
        let data = this.#buffer(perBatch * bpl);
        let slots = new Int32Array(perBatch);
        let count = 0;
        let rows = 0;
        let last: Uint8Array | undefined;
        let lastRevision = -1;
        const reader = new LineReader(page);
        for (;;) {
          const line = reader.take() ?? (await reader.next());
          if (line === undefined) break;
          const revision = lineRevision(line);
          // A line the reader repeated (same buffer, not rewritten) is sent once per batch.
          if (count === 0 || line !== last || revision !== lastRevision || revision < 0) {
            data.set(line, rows * bpl);
            rows++;
            last = line;
            lastRevision = revision;
          }
          slots[count++] = rows - 1;
          if (count === perBatch) {
            await this.#send(data, slots, count);
            if (this.#isClosed) return;
            data = this.#buffer(perBatch * bpl);
            slots = new Int32Array(perBatch);
            count = 0;
            rows = 0;
          }
        }
        if (count > 0) await this.#send(data, slots, count);
        if (this.#isClosed) return;
      }
      if (!this.#isClosed) post({ t: 'done', doc: this.#doc });
    } catch (err) {
      if (this.#isClosed) return;
      const code = err instanceof FirmwareError ? err.code : undefined;
      post({ t: 'error', doc: this.#doc, message: err instanceof Error ? err.message : String(err), code });
    }
  }
}

const tasks = new Map<number, DecodeTask>();

port.on('message', (msg: ToDecoder) => {
  switch (msg.t) {
    case 'open': {
      const task = new DecodeTask(msg.doc);
      tasks.set(msg.doc, task);
      void task.run(msg.format, msg.limits).finally(() => {
        if (tasks.get(msg.doc) === task) tasks.delete(msg.doc);
      });
      return;
    }
    case 'chunk':
      tasks.get(msg.doc)?.push(msg.data);
      return;
    case 'end':
      tasks.get(msg.doc)?.end();
      return;
    case 'credit':
      tasks.get(msg.doc)?.credit(msg.data);
      return;
    case 'close': {
      tasks.get(msg.doc)?.close();
      tasks.delete(msg.doc);
      return;
    }
  }
});
