// Streamed page shared by the PWG and Apple raster readers: line groups (repeat byte + runs) decoded on demand.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { decodeLine, decodeLineIn, type LineFormat } from './line-rle.js';
import type { RasterColorSpace, RasterPage, RasterPageHeader } from './types.js';

/** Byte value of white in a colour space (RasterColorSpace docs: 0 is no ink for black and CMYK). */
export function whiteByte(space: RasterColorSpace): number {
  switch (space) {
    case 'black':
    case 'cmyk':
      return 0x00;
    case 'sgray':
    case 'srgb':
    case 'adobe-rgb':
      return 0xff;
    default: {
      const never: never = space;
      throw new RasterError(`unknown colour space ${String(never)}`);
    }
  }
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Line buffers of streamed pages -> the page that writes them. */
const LINE_OWNERS = new WeakMap<Uint8Array, StreamedPage>();

/** Buffers whose lines are never rewritten while yielded (decoded-line batches from the decoder thread). */
const UNCHANGING_BUFFERS = new WeakSet<ArrayBufferLike>();

/**
 * How many times a line buffer yielded by a streamed page was rewritten (-1 for a buffer no streamed page owns).
 * The same buffer with the same revision holds the same bytes, so a consumer may reuse what it computed from it.
 */
export function lineRevision(line: Uint8Array): number {
  // Batch buffers first: a streamed page's line has a buffer of its own, never marked unchanging.
  if (UNCHANGING_BUFFERS.has(line.buffer)) return 0;
  return LINE_OWNERS.get(line)?.revision ?? -1;
}

/** Declare that lines viewed in `buffer` are never rewritten while yielded (a repeated line is the same view). */
export function markUnchangingBuffer(buffer: ArrayBufferLike): void {
  UNCHANGING_BUFFERS.add(buffer);
}

/**
 * A page whose lines are decoded from the shared byte source while the consumer pulls them. A line group held in
 * the current chunk is decoded synchronously (one resolved promise per line, no generator); only a group that
 * straddles chunks awaits.
 */
export class StreamedPage implements RasterPage {
  readonly number: number;
  readonly header: RasterPageHeader;
  readonly #src: ByteSource;
  readonly #swap16: boolean;
  readonly #format: LineFormat;
  readonly #line: Uint8Array;
  #linesDone = 0;
  #repeatLeft = 0;
  #revision = 0;
  /** the error that broke the page; later pulls fail with it too */
  #failure: unknown;

  /** `swap16`: the stream is byte-swapped (2SaR) and 16-bit samples must be turned big-endian. */
  constructor(number: number, header: RasterPageHeader, src: ByteSource, swap16: boolean) {
    this.number = number;
    this.header = header;
    this.#src = src;
    this.#swap16 = swap16;
    this.#format = {
      bytesPerLine: header.bytesPerLine,
      unit: Math.max(1, header.bitsPerPixel >>> 3),
      white: whiteByte(header.colorSpace),
    };
    this.#line = new Uint8Array(header.bytesPerLine);
    LINE_OWNERS.set(this.#line, this);
  }

  /** Bumped whenever the line buffer is rewritten (see {@link lineRevision}). */
  get revision(): number {
    return this.#revision;
  }

  /** True once every line was decoded from the stream. */
  get isComplete(): boolean {
    return this.#linesDone >= this.header.height;
  }

  /** Lines in order. Pulling again after an early stop continues where the last pull stopped. */
  lines(): AsyncIterable<Uint8Array> {
    const iterator: AsyncIterator<Uint8Array> = {
      next: () => this.#next(),
      // Stopping early keeps the position: a later pull (or skipRest) continues from there.
      return: () => Promise.resolve(DONE),
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  /** Decode and drop whatever lines the consumer did not pull, so the next page header is in reach. */
  async skipRest(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    while (!this.isComplete) {
      // Repeats of the current line need no decoding.
      this.#linesDone += this.#repeatLeft;
      this.#repeatLeft = 0;
      if (this.isComplete) return;
      if (!this.#decodeBuffered()) await this.#decodeSlow();
    }
  }

  takeLine(): Uint8Array | undefined {
    if (this.#failure !== undefined || this.#linesDone >= this.header.height) return undefined;
    if (this.#repeatLeft === 0 && !this.#decodeBuffered()) return undefined;
    return this.#take().value;
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#linesDone >= this.header.height) return Promise.resolve(DONE);
    if (this.#repeatLeft === 0 && !this.#decodeBuffered()) return this.#decodeSlow().then(() => this.#take());
    return Promise.resolve(this.#take());
  }

  #take(): IteratorYieldResult<Uint8Array> {
    this.#repeatLeft--;
    this.#linesDone++;
    return { done: false, value: this.#line };
  }

  /** Decode the next line group from the current chunk when it is all there; false when more bytes are needed. */
  #decodeBuffered(): boolean {
    const src = this.#src;
    const buf = src.chunk;
    const at = src.offset;
    if (at >= buf.length) return false;
    this.#revision++;
    const end = decodeLineIn(buf, at + 1, buf.length, this.#line, this.#format);
    if (end < 0) return false;
    src.advance(end - at);
    this.#startGroup(buf[at] as number);
    return true;
  }

  /** Decode the next line group across chunk boundaries. */
  async #decodeSlow(): Promise<void> {
    const src = this.#src;
    try {
      // Line-repeat byte: the decoded line is used r + 1 times, cut at the page end.
      let r = src.takeByte();
      if (r < 0) {
        if (await src.fill()) {
          if (this.#decodeBuffered()) return;
          r = src.takeByte();
        }
      }
      if (r < 0) {
        throw new RasterError(`page ${this.number} ends after ${this.#linesDone} of ${this.header.height} lines`);
      }
      this.#revision++;
      await decodeLine(src, this.#line, this.#format);
      this.#startGroup(r);
    } catch (err) {
      this.#failure = err;
      throw err;
    }
  }

  #startGroup(r: number): void {
    if (this.#swap16) swapPairs(this.#line);
    this.#repeatLeft = Math.min(r + 1, this.header.height - this.#linesDone);
  }
}

function swapPairs(line: Uint8Array): void {
  for (let i = 0; i + 1 < line.length; i += 2) {
    const a = line[i] ?? 0;
    line[i] = line[i + 1] ?? 0;
    line[i + 1] = a;
  }
}

/** Reads the next page header, or returns undefined at a clean end of the document. */
export type NextHeader = (src: ByteSource, pageNumber: number) => Promise<RasterPageHeader | undefined>;

/**
 * Page loop shared by the streaming readers: header, lines, and at least one page. Lines the consumer skipped
 * are decoded and dropped; the source iterator is closed when the consumer stops early or an error is thrown.
 */
export async function* streamPages(
  src: ByteSource,
  nextHeader: NextHeader,
  isSwapped16: (header: RasterPageHeader) => boolean,
): AsyncGenerator<RasterPage> {
  let number = 0;
  try {
    for (;;) {
      const header = await nextHeader(src, number + 1);
      if (header === undefined) break;
      number++;
      const page = new StreamedPage(number, header, src, isSwapped16(header));
      yield page;
      await page.skipRest();
    }
    if (number === 0) throw new RasterError('raster document has no pages');
  } finally {
    await src.close();
  }
}
