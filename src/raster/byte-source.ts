// Pull reader over an async stream of byte chunks: exact-count and single-byte reads without joining the stream.
// Synchronous fast paths (takeByte, copyBuffered) let decoders await only when the current chunk runs out.
// SPDX-License-Identifier: Apache-2.0

const EMPTY = new Uint8Array(0);

/** A cursor over `AsyncIterable<Uint8Array>` that holds at most the current chunk (plus bytes peeked ahead). */
export class ByteSource {
  readonly #iterator: AsyncIterator<Uint8Array>;
  #chunk: Uint8Array = EMPTY;
  #pos = 0;
  #isDone = false;
  #consumed = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Bytes consumed so far (stream offset of the next byte). */
  get position(): number {
    return this.#consumed;
  }

  /** Bytes readable without awaiting. */
  get buffered(): number {
    return this.#chunk.length - this.#pos;
  }

  /** Load the next non-empty chunk when the current one is used up; false at end of stream. */
  async fill(): Promise<boolean> {
    while (this.#pos >= this.#chunk.length) {
      if (this.#isDone) return false;
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#isDone = true;
        this.#chunk = EMPTY;
        this.#pos = 0;
        return false;
      }
      this.#chunk = next.value;
      this.#pos = 0;
    }
    return true;
  }

  /** The current chunk; its bytes from {@link offset} on are unread (for decoders that parse in place). */
  get chunk(): Uint8Array {
    return this.#chunk;
  }

  /** Offset of the next unread byte in {@link chunk}. */
  get offset(): number {
    return this.#pos;
  }

  /** Consume `n` bytes of the current chunk that were parsed in place (n <= buffered). */
  advance(n: number): void {
    this.#pos += n;
    this.#consumed += n;
  }

  /** Next byte if one is buffered, else -1 (never awaits). */
  takeByte(): number {
    if (this.#pos >= this.#chunk.length) return -1;
    this.#consumed++;
    return this.#chunk[this.#pos++] ?? -1;
  }

  /** Next byte, or -1 at end of stream. */
  async readByte(): Promise<number> {
    if (this.#pos >= this.#chunk.length && !(await this.fill())) return -1;
    return this.takeByte();
  }

  /** Copy up to `n` buffered bytes into `dest` at `offset` without awaiting; returns the count copied. */
  copyBuffered(dest: Uint8Array, offset: number, n: number): number {
    const count = Math.min(n, this.#chunk.length - this.#pos);
    if (count <= 0) return 0;
    // Short copies by hand: a subarray view per copy costs more than the copy.
    if (count < 32) {
      const chunk = this.#chunk;
      for (let k = 0, p = this.#pos; k < count; k++) dest[offset + k] = chunk[p + k] as number;
    } else dest.set(this.#chunk.subarray(this.#pos, this.#pos + count), offset);
    this.#pos += count;
    this.#consumed += count;
    return count;
  }

  /** Copy exactly `n` bytes into `dest` at `offset`; returns fewer only when the stream ended. */
  async readInto(dest: Uint8Array, offset: number, n: number): Promise<number> {
    let done = this.copyBuffered(dest, offset, n);
    while (done < n && (await this.fill())) done += this.copyBuffered(dest, offset + done, n - done);
    return done;
  }

  /** Read `n` bytes into a new array; shorter only when the stream ended. */
  async read(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    const got = await this.readInto(out, 0, n);
    return got === n ? out : out.subarray(0, got);
  }

  /** Up to `n` buffered bytes as a view (valid until the next read), loading a chunk if none is buffered. */
  async readChunk(n: number): Promise<Uint8Array> {
    if (!(await this.fill())) return EMPTY;
    const count = Math.min(n, this.#chunk.length - this.#pos);
    const view = this.#chunk.subarray(this.#pos, this.#pos + count);
    this.#pos += count;
    this.#consumed += count;
    return view;
  }

  /** Skip `n` bytes; returns how many were skipped. */
  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n && (await this.fill())) {
      const count = Math.min(n - done, this.#chunk.length - this.#pos);
      this.#pos += count;
      this.#consumed += count;
      done += count;
    }
    return done;
  }

  /** The next `n` bytes without consuming them (fewer at end of stream); joins chunks only for these bytes. */
  async peek(n: number): Promise<Uint8Array> {
    while (this.#chunk.length - this.#pos < n && !this.#isDone) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#isDone = true;
        break;
      }
      const rest = this.#chunk.subarray(this.#pos);
      const joined = new Uint8Array(rest.length + next.value.length);
      joined.set(rest, 0);
      joined.set(next.value, rest.length);
      this.#chunk = joined;
      this.#pos = 0;
    }
    return this.#chunk.subarray(this.#pos, Math.min(this.#chunk.length, this.#pos + n));
  }

  /** True when no byte is left. */
  async isAtEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** Stop the underlying iterator early (e.g. after an error), ignoring its own errors. */
  async close(): Promise<void> {
    this.#chunk = EMPTY;
    this.#pos = 0;
    if (this.#isDone) return;
    this.#isDone = true;
    try {
      await this.#iterator.return?.();
    } catch {
      // The stream is being abandoned; its cleanup failure changes nothing for the reader.
    }
  }
}
