// Shared 1-bit page pipeline for monochrome engines: maps each source raster line to 0..n output rows scaled and
// centred on the printable area (fit.ts), halftoned per print-quality (halftone.ts); black_1 is copied, not dithered.
// SPDX-License-Identifier: Apache-2.0
import { lineRevision } from '../../src/raster/page-lines.js';
import type { RasterPageHeader } from '../../src/raster/types.js';
import { fitPage, RowCursor, type PageFit } from './fit.js';
import { Halftoner, mapCopyBits, methodForQuality, shiftCopyBits } from './halftone.js';
import { byteOffsets, sampleInk } from './ink-sample.js';
import { wordsOf } from './row-words.js';

/** The engine's printable area and resolution, and how pages are fitted onto it. */
export interface MonoTarget {
  /** printable width of the engine in dots */
  readonly widthDots: number;
  /** printable length (undefined: continuous roll — keep the page's length) */
  readonly heightDots?: number;
  readonly xDpi: number;
  readonly yDpi: number;
  /** print-scaling: 'auto' | 'auto-fit' | 'fit' | 'fill' | 'none' */
  readonly scaling: string;
}

/** A page being turned into 1-bit output rows. */
export interface MonoPage {
  /** output dots per row (<= widthDots) */
  readonly width: number;
  /** output rows expected (the printable length, or the mapped page length on a roll) */
  readonly height: number;
  /** ceil(width/8) */
  readonly bytesPerRow: number;
  /** Output rows (1 bit, MSB first, 1 = black) produced by source line y; 0..n rows; buffers valid until next call. */
  rows(line: Uint8Array, y: number): readonly Uint8Array[];
  /**
   * How many times rows() wrote into one of its row buffers so far: a row that is the same buffer as an earlier one
   * with this count unchanged in between holds the same dots.
   */
  readonly rewrites: number;
  /**
   * Render black_1 rows straight into `row` (bytesPerRow long, e.g. an encoder's input buffer, so it need not copy
   * them); other pages keep their own buffers. Call before the first rows().
   */
  renderInto(row: Uint8Array): void;
}

/** Distinct dithered rows one source line can yield at once; beyond it buffers are reused (extreme upscaling). */
const ROW_POOL = 16;

class MonoPageImpl implements MonoPage {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  readonly #header: RasterPageHeader;
  readonly #fit: PageFit;
  readonly #isBlack1: boolean;
  readonly #halftoner: Halftoner | undefined;
  readonly #offsets: Int32Array;
  readonly #ink: Uint8Array;
  readonly #isPad: Uint8Array;
  readonly #pool: Uint8Array[] = [];
  readonly #blank: Uint8Array;
  readonly #out: Uint8Array[] = [];
  #black1Row: Uint8Array;
  readonly #cursor: RowCursor;
  /** source bytes [#srcFrom, #srcTo) of a black_1 line that reach the output */
  readonly #srcFrom: number;
  readonly #srcTo: number;
  /** the line last rendered and its reader revision (-1: not a reader's buffer) */
  #lastLine: Uint8Array | undefined;
  #lastRevision = -1;
  rewrites = 0;

  constructor(header: RasterPageHeader, target: MonoTarget, printQuality: number) {
    this.#header = header;
    this.#isBlack1 = header.colorSpace === 'black' && header.bitsPerColor === 1;
    this.#fit = fitPage(header, target, this.#isBlack1 ? 8 : 1);
    this.#cursor = new RowCursor(this.#fit, header.height);
    this.width = this.#fit.width;
    this.height = this.#fit.height;
    this.bytesPerRow = Math.ceil(this.width / 8);
    this.#blank = new Uint8Array(this.bytesPerRow);
    KNOWN_BLANK.add(this.#blank);
    this.#black1Row = this.#blank;
    const isCropX = this.#fit.isUnitX && this.#fit.left < 0;
    this.#srcFrom = isCropX ? Math.floor(-this.#fit.left / 8) : 0;
    this.#srcTo = isCropX ? Math.ceil((this.width - this.#fit.left) / 8) : header.bytesPerLine;
    const poolSize = this.#isBlack1 ? 1 : ROW_POOL;
    for (let i = 0; i < poolSize; i++) this.#pool.push(new Uint8Array(this.bytesPerRow));
    if (this.#isBlack1) {
      this.#halftoner = undefined;
      this.#offsets = new Int32Array(0);
      this.#ink = new Uint8Array(0);
      this.#isPad = new Uint8Array(0);
    } else {
      this.#halftoner = new Halftoner(this.width, methodForQuality(printQuality));
      this.#offsets = byteOffsets(header, this.#fit.xMap);
      this.#ink = new Uint8Array(this.bytesPerRow * 8);
      this.#isPad = new Uint8Array(this.width);
      for (let x = 0; x < this.width; x++) this.#isPad[x] = (this.#fit.xMap[x] as number) < 0 ? 1 : 0;
    }
  }

  rows(line: Uint8Array, y: number): readonly Uint8Array[] {
    const out = this.#out;
    out.length = 0;
    const span = this.#cursor.advance(y);
    for (let i = 0; i < span.before; i++) out.push(this.#blank);
    for (let i = 0; i < span.rows; i++) out.push(this.#render(line, span.first + i, i));
    for (let i = 0; i < span.after; i++) out.push(this.#blank);
    return out;
  }

  renderInto(row: Uint8Array): void {
    if (this.#isBlack1 && row.length === this.bytesPerRow) this.#pool[0] = row;
  }

  /** True when `line` is the buffer last rendered and the reader has not rewritten it since; remembers it. */
  #isSameLine(line: Uint8Array): boolean {
    const revision = lineRevision(line);
    const isSame = revision >= 0 && line === this.#lastLine && revision === this.#lastRevision;
    this.#lastLine = line;
    this.#lastRevision = revision;
    return isSame;
  }

  /** Output row r, the `index`-th produced from this line. */
  #render(line: Uint8Array, r: number, index: number): Uint8Array {
    const fit = this.#fit;
    // A line the reader repeated unchanged needs no new copy or ink sampling.
    const isSame = index === 0 && this.#isSameLine(line);
    if (this.#halftoner === undefined) {
      // Rows repeated from one line share its copy; a blank line needs none.
      if (index > 0 || isSame) return this.#black1Row;
      const buf = this.#pool[0] as Uint8Array;
      // Only the source bytes that reach the output matter (a cropped margin may hold dots).
      if (isBlankSpan(line, this.#srcFrom, Math.min(line.length, this.#srcTo))) this.#black1Row = this.#blank;
      else {
        if (fit.isUnitX) shiftCopyBits(line, this.#header.width, fit.left, buf, this.width);
        else mapCopyBits(line, fit.xMap, buf);
        this.#black1Row = buf;
        this.rewrites++;
      }
      return this.#black1Row;
    }
    if (index === 0 && !isSame) sampleInk(this.#header, line, this.#offsets, fit.xMap, 'gray', this.#ink);
    const buf = this.#pool[index % ROW_POOL] as Uint8Array;
    this.#halftoner.dither(this.#ink, r, buf, this.#isPad);
    this.rewrites++;
    return buf;
  }
}

/** Start turning a page into 1-bit rows for `target`, halftoned per print-quality (3 draft, 4 normal, 5 high). */
export function createMonoPage(header: RasterPageHeader, target: MonoTarget, printQuality: number): MonoPage {
  return new MonoPageImpl(header, target, printQuality);
}

/** White rows handed out by mono pages: never written, so known blank without a scan. */
const KNOWN_BLANK = new WeakSet<Uint8Array>();

/** True when the row has no black dot. */
export function isBlankRow(row: Uint8Array): boolean {
  return KNOWN_BLANK.has(row) || isBlankSpan(row, 0, row.length);
}

/** True when bytes [from, to) of the row are all zero. */
export function isBlankSpan(row: Uint8Array, from: number, to: number): boolean {
  const base = row.byteOffset;
  let i = from;
  // Bytes up to a word boundary, whole words, then the tail.
  while (i < to && ((base + i) & 3) !== 0) if (row[i++] !== 0) return false;
  if (to - i >= 16) {
    const words = wordsOf(row);
    const end = (base + to) >> 2;
    for (let w = (base + i) >> 2; w < end; w++) if (words[w] !== 0) return false;
    i = ((base + to) & ~3) - base;
  }
  for (; i < to; i++) if (row[i] !== 0) return false;
  return true;
}
