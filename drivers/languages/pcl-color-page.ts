// Colour page pipeline for PCL CMY raster: each source line becomes 0..n output rows of three 1-bit planes
// (cyan, magenta, yellow), scaled and centred like mono-page.ts and halftoned per plane.
// SPDX-License-Identifier: Apache-2.0
import type { RasterPageHeader } from '../../src/raster/types.js';
import { fitPage, RowCursor, type PageFit } from './fit.js';
import { Halftoner, methodForQuality } from './halftone.js';
import { byteOffsets, sampleInk, type InkChannel } from './ink-sample.js';
import type { MonoTarget } from './mono-page.js';

/** Plane order sent for ESC*r-3U (CMY): cyan, magenta, yellow. */
export const CMY_CHANNELS: readonly InkChannel[] = ['c', 'm', 'y'];

/** Distinct rows one source line can yield at once; beyond it buffers are reused (extreme upscaling). */
const ROW_POOL = 16;

/** A page being turned into rows of 1-bit colour planes. */
export interface ColorPage {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  /** Output rows for source line y, each an array of planes (C, M, Y); buffers valid until the next call. */
  rows(line: Uint8Array, y: number): readonly (readonly Uint8Array[])[];
}

class ColorPageImpl implements ColorPage {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  readonly #header: RasterPageHeader;
  readonly #fit: PageFit;
  readonly #cursor: RowCursor;
  readonly #offsets: Int32Array;
  readonly #halftoners: Halftoner[];
  /** ink per channel for the current line */
  readonly #inks: Uint8Array[];
  readonly #isPad: Uint8Array;
  /** pool of rows, each with one buffer per plane */
  readonly #pool: Uint8Array[][] = [];
  readonly #blank: Uint8Array[];
  readonly #out: (readonly Uint8Array[])[] = [];

  constructor(header: RasterPageHeader, target: MonoTarget, printQuality: number) {
    this.#header = header;
    this.#fit = fitPage(header, target);
    this.#cursor = new RowCursor(this.#fit, header.height);
    this.width = this.#fit.width;
    this.height = this.#fit.height;
    this.bytesPerRow = Math.ceil(this.width / 8);
    const method = methodForQuality(printQuality);
    const planes = CMY_CHANNELS.length;
    this.#offsets = byteOffsets(header, this.#fit.xMap);
    this.#halftoners = CMY_CHANNELS.map(() => new Halftoner(this.width, method));
    this.#inks = CMY_CHANNELS.map(() => new Uint8Array(this.bytesPerRow * 8));
    this.#isPad = new Uint8Array(this.width);
    for (let x = 0; x < this.width; x++) this.#isPad[x] = (this.#fit.xMap[x] as number) < 0 ? 1 : 0;
    this.#blank = Array.from({ length: planes }, () => new Uint8Array(this.bytesPerRow));
    for (let i = 0; i < ROW_POOL; i++) this.#pool.push(Array.from({ length: planes }, () => new Uint8Array(this.bytesPerRow)));
  }

  rows(line: Uint8Array, y: number): readonly (readonly Uint8Array[])[] {
    const out = this.#out;
    out.length = 0;
    const span = this.#cursor.advance(y);
    for (let i = 0; i < span.before; i++) out.push(this.#blank);
    if (span.rows > 0) {
      for (let p = 0; p < CMY_CHANNELS.length; p++) {
        sampleInk(this.#header, line, this.#offsets, this.#fit.xMap, CMY_CHANNELS[p] as InkChannel, this.#inks[p] as Uint8Array);
      }
    }
    for (let i = 0; i < span.rows; i++) {
      const planes = this.#pool[i % ROW_POOL] as Uint8Array[];
      for (let p = 0; p < planes.length; p++) {
        (this.#halftoners[p] as Halftoner).dither(this.#inks[p] as Uint8Array, span.first + i, planes[p] as Uint8Array, this.#isPad);
      }
      out.push(planes);
    }
    for (let i = 0; i < span.after; i++) out.push(this.#blank);
    return out;
  }
}

/** Start turning a page into CMY 1-bit planes for `target`, halftoned per print-quality. */
export function createColorPage(header: RasterPageHeader, target: MonoTarget, printQuality: number): ColorPage {
  return new ColorPageImpl(header, target, printQuality);
}
