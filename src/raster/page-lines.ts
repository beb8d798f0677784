// Streamed page shared by the PWG and Apple raster readers: line groups (repeat byte + runs) decoded on demand.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { decodeLine, type LineFormat } from './line-rle.js';
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

/** A page whose lines are decoded from the shared byte source while the consumer pulls them. */
export class StreamedPage implements RasterPage {
  readonly number: number;
  readonly header: RasterPageHeader;
  readonly #src: ByteSource;
  readonly #swap16: boolean;
  readonly #format: LineFormat;
  readonly #line: Uint8Array;
  #linesDone = 0;
  #repeatLeft = 0;

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
  }

  /** True once every line was decoded from the stream. */
  get isComplete(): boolean {
    return this.#linesDone >= this.header.height;
  }

  /** Lines in order. Pulling again after an early stop continues where the last pull stopped. */
  lines(): AsyncIterable<Uint8Array> {
    return this.#decode();
  }

  /** Decode and drop whatever lines the consumer did not pull, so the next page header is in reach. */
  async skipRest(): Promise<void> {
    if (this.isComplete) return;
    for await (const line of this.#decode()) void line;
  }

  async *#decode(): AsyncGenerator<Uint8Array> {
    const h = this.header;
    const src = this.#src;
    while (this.#linesDone < h.height) {
      if (this.#repeatLeft === 0) {
        // Line-repeat byte: the decoded line is used r + 1 times, cut at the page end.
        let r = src.takeByte();
        if (r < 0) r = await src.readByte();
        if (r < 0) {
          throw new RasterError(`page ${this.number} ends after ${this.#linesDone} of ${h.height} lines`);
        }
        await decodeLine(src, this.#line, this.#format);
        if (this.#swap16) swapPairs(this.#line);
        this.#repeatLeft = Math.min(r + 1, h.height - this.#linesDone);
      }
      this.#repeatLeft--;
      this.#linesDone++;
      yield this.#line;
    }
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
