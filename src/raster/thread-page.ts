// A page whose decoded lines arrive in batches from the decoder thread (off-thread.ts): lines are views into the
// batch, a repeated line is the same view, and a consumed batch's buffer goes back to the thread for reuse.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import { markUnchangingBuffer } from './page-lines.js';
import type { RasterPage, RasterPageHeader } from './types.js';
import type { FromDecoder } from './worker-protocol.js';

/** A batch of decoded lines as the thread sent it. */
export type LinesEvent = Extract<FromDecoder, { t: 'lines' }>;
/** What a document hands its pages: the next event, and a way to give a batch buffer back. */
export interface BatchSource {
  nextEvent(): Promise<Exclude<FromDecoder, { t: 'consumed' } | { t: 'error' }>>;
  credit(data: Uint8Array): void;
}

/** A page whose lines arrive in batches from the decoder thread. */
export class ThreadPage implements RasterPage {
  readonly number: number;
  readonly header: RasterPageHeader;
  readonly #doc: BatchSource;
  #linesDone = 0;
  #batch: LinesEvent | undefined;
  #index = 0;
  #slot = -1;
  #view: Uint8Array = new Uint8Array(0);

  constructor(doc: BatchSource, number: number, header: RasterPageHeader) {
    this.#doc = doc;
    this.number = number;
    this.header = header;
  }

  get isComplete(): boolean {
    return this.#linesDone >= this.header.height;
  }

  lines(): AsyncIterable<Uint8Array> {
    const iterator: AsyncIterator<Uint8Array> = {
      next: () => this.#next(),
      // Stopping early keeps the position, as a streamed page does.
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  /** Take and drop the lines the consumer did not pull. */
  async skipRest(): Promise<void> {
    while (!this.isComplete) {
      const batch = this.#batch;
      if (batch !== undefined && this.#index < batch.count) {
        this.#linesDone += batch.count - this.#index;
        this.#index = batch.count;
      } else await this.#nextBatch();
    }
    this.#release();
  }

  takeLine(): Uint8Array | undefined {
    const batch = this.#batch;
    if (batch === undefined || this.#index >= batch.count || this.isComplete) return undefined;
    return this.#take().value;
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.isComplete) {
      this.#release();
      return Promise.resolve({ done: true, value: undefined });
    }
    const batch = this.#batch;
    if (batch === undefined || this.#index >= batch.count) return this.#nextBatch().then(() => this.#take());
    return Promise.resolve(this.#take());
  }

  #take(): IteratorYieldResult<Uint8Array> {
    const batch = this.#batch as LinesEvent;
    const slot = batch.slots[this.#index++] as number;
    if (slot !== this.#slot) {
      // One view per distinct line; a repeated line is the same view, unchanged (lineRevision stays 0).
      const bpl = this.header.bytesPerLine;
      this.#view = batch.data.subarray(slot * bpl, (slot + 1) * bpl);
      this.#slot = slot;
    }
    this.#linesDone++;
    return { done: false, value: this.#view };
  }

  async #nextBatch(): Promise<void> {
    this.#release();
    const event = await this.#doc.nextEvent();
    if (event.t !== 'lines') {
      throw new RasterError(`page ${this.number} ends after ${this.#linesDone} of ${this.header.height} lines`);
    }
    this.#batch = event;
    this.#index = 0;
    this.#slot = -1;
    markUnchangingBuffer(event.data.buffer);
  }

  /** Give the consumed batch's buffer back to the decoder thread. */
  #release(): void {
    if (this.#batch === undefined) return;
    this.#doc.credit(this.#batch.data);
    this.#batch = undefined;
  }
}
