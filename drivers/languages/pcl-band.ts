// Output band for the PCL driver: PCL commands and row data are encoded straight into a byte buffer; full bands of
// port.preferredChunk bytes are handed to the port (never reused afterwards), so writes are link-sized, and one write
// stays in flight while the next band is encoded.
// SPDX-License-Identifier: Apache-2.0
import type { TransportPort } from '../transports/transport.js';

const ESC = 0x1b;

/** A growing run of output bytes cut into pieces of `chunk` bytes. */
export class PclBand {
  readonly chunk: number;
  readonly #slack: number;
  #buf: Uint8Array;
  /** start of the bytes not yet handed out */
  #start = 0;
  /** end of the bytes written */
  pos = 0;
  readonly #ready: Uint8Array[] = [];
  /** the port write started last and not yet waited for */
  #inFlight: Promise<void> | undefined;

  /** `slack` = the most bytes one step (a row with its commands) may add. */
  constructor(chunk: number, slack: number) {
    this.chunk = Math.max(1, Math.floor(chunk));
    this.#slack = slack + 64;
    this.#buf = new Uint8Array(this.chunk + this.#slack);
  }

  /** The buffer to encode into; room for `n` bytes from `pos` is guaranteed after `reserve(n)`. */
  get buf(): Uint8Array {
    return this.#buf;
  }

  /** Make room for `n` more bytes (n <= slack unless the band is empty). */
  reserve(n: number): void {
    if (this.pos + n <= this.#buf.length) return;
    const rest = this.#buf.subarray(this.#start, this.pos);
    const next = new Uint8Array(Math.max(this.chunk, rest.length + n) + this.#slack);
    next.set(rest);
    this.#buf = next;
    this.#start = 0;
    this.pos = rest.length;
  }

  /** Cut every full chunk off as ready to write; true when something is ready. */
  cut(): boolean {
    if (this.pos - this.#start < this.chunk) return this.#ready.length > 0;
    while (this.pos - this.#start >= this.chunk) {
      this.#ready.push(this.#buf.subarray(this.#start, this.#start + this.chunk));
      this.#start += this.chunk;
    }
    // The handed-out buffer is the port's now: continue in a fresh one.
    const rest = this.#buf.subarray(this.#start, this.pos);
    const next = new Uint8Array(this.chunk + this.#slack);
    next.set(rest);
    this.#buf = next;
    this.#start = 0;
    this.pos = rest.length;
    return true;
  }

  /**
   * Hand the cut chunks to the port, one write in flight: each waits for the one before it, and the last is left
   * running while the caller encodes the next band (its failure is thrown by the next writeReady or flush).
   */
  async writeReady(port: TransportPort, signal: AbortSignal): Promise<void> {
    while (this.#ready.length > 0) {
      if (this.#inFlight !== undefined) await this.#inFlight;
      const piece = this.#ready.shift() as Uint8Array;
      const write = port.write(piece, signal);
      // Handled here so a failure waiting for the next await is not an unhandled rejection; awaiting it rethrows.
      write.catch(() => undefined);
      this.#inFlight = write;
    }
  }

  /** Write everything, including a last partial chunk, and wait until the port took it. */
  async flush(port: TransportPort, signal: AbortSignal): Promise<void> {
    this.cut();
    if (this.pos > this.#start) {
      this.#ready.push(this.#buf.subarray(this.#start, this.pos));
      this.#buf = new Uint8Array(this.chunk + this.#slack);
      this.#start = 0;
      this.pos = 0;
    }
    await this.writeReady(port, signal);
    const last = this.#inFlight;
    this.#inFlight = undefined;
    await last;
  }

  /** Drop everything not yet written (cancel); a write already in flight is waited for but its failure forgotten. */
  clear(): void {
    this.#ready.length = 0;
    this.#start = 0;
    this.pos = 0;
    this.#inFlight = this.#inFlight?.catch(() => undefined);
  }

  /** Append raw bytes. */
  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.#buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Append ASCII text. */
  text(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.pos++] = s.charCodeAt(i) & 0xff;
  }

  /** Append a parameterized PCL command ESC g1 g2 <n> term, e.g. ESC * b 12 W (g1, g2, term are char codes). */
  cmd(g1: number, g2: number, n: number, term: number): void {
    this.reserve(24);
    const b = this.#buf;
    b[this.pos++] = ESC;
    b[this.pos++] = g1;
    b[this.pos++] = g2;
    let v = Math.trunc(n);
    if (v < 0) {
      b[this.pos++] = 0x2d;
      v = -v;
    }
    let d = 1;
    while (d * 10 <= v) d *= 10;
    for (; d >= 1; d = Math.floor(d / 10)) b[this.pos++] = 0x30 + (Math.floor(v / d) % 10);
    b[this.pos++] = term;
  }
}
