// Bytes an engine sent back (status replies), held until a driver reads them. Bounded: the owner stops reading the
// link while it is full and resumes when a read makes room.
// SPDX-License-Identifier: Apache-2.0
import { TransportError } from '../../src/errors.js';
import { raceTransfer, type RaceOptions } from './race-transfer.js';

interface Waiter {
  readonly maxBytes: number;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (err: unknown) => void;
}

/** FIFO of received bytes with promise-based, cancelable reads. */
export class ReadBuffer {
  readonly limit: number;
  readonly #onRoom: () => void;
  #chunks: Buffer[] = [];
  #length = 0;
  #waiters: Waiter[] = [];
  #ended: TransportError | undefined;

  /** `onRoom` runs when a read takes the buffer below `limit` again. */
  constructor(limit: number, onRoom: () => void = () => undefined) {
    this.limit = limit;
    this.#onRoom = onRoom;
  }

  /** Bytes waiting to be read. */
  get length(): number {
    return this.#length;
  }

  /** True when the owner should stop reading the link. */
  get isFull(): boolean {
    return this.#length >= this.limit;
  }

  /** Add received bytes; a pending read gets them at once. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.#ended !== undefined) return;
    this.#chunks.push(Buffer.from(chunk));
    this.#length += chunk.length;
    while (this.#length > 0) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) break;
      waiter.resolve(this.#take(waiter.maxBytes));
    }
  }

  /** No more bytes will come: pending and later reads reject with `err` once the buffer is empty. */
  end(err: TransportError): void {
    this.#ended ??= err;
    if (this.#length > 0) return;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(err);
  }

  /** Drop what was received and not read (cancel, or before a status query). */
  clear(): void {
    const wasFull = this.isFull;
    this.#chunks = [];
    this.#length = 0;
    if (wasFull) this.#onRoom();
  }

  /** Up to `maxBytes` bytes, as soon as at least one is there. */
  async read(maxBytes: number, race: RaceOptions): Promise<Uint8Array> {
    if (!(maxBytes >= 1)) throw new RangeError('read needs maxBytes >= 1');
    if (this.#length > 0) return this.#take(maxBytes);
    if (this.#ended !== undefined) throw this.#ended;
    let waiter: Waiter | undefined;
    const arrival = new Promise<Uint8Array>((resolve, reject) => {
      waiter = { maxBytes, resolve, reject };
      this.#waiters.push(waiter);
    });
    try {
      return await raceTransfer(arrival, race);
    } finally {
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
    }
  }

  #take(maxBytes: number): Uint8Array {
    const wasFull = this.isFull;
    const parts: Buffer[] = [];
    let need = maxBytes;
    while (need > 0) {
      const head = this.#chunks[0];
      if (head === undefined) break;
      if (head.length <= need) {
        parts.push(head);
        this.#chunks.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.#chunks[0] = head.subarray(need);
        need = 0;
      }
    }
    const out = parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts);
    this.#length -= out.length;
    if (wasFull && !this.isFull) this.#onRoom();
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }
}
