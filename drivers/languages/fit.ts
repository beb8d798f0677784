// Scaling and centering of a raster page onto an engine's printable area (print-scaling, PWG 5100.13):
// a column map table for x and a monotonic row mapping for y, both nearest-neighbour. Pure.
// SPDX-License-Identifier: Apache-2.0
import { DriverError } from '../../src/errors.js';
import type { MonoTarget } from './mono-page.js';

/** Largest printable width/length in dots a target may state (about 27 m at 600 dpi). */
export const MAX_TARGET_DOTS = 0xffff;
/** Output rows are never more than this, whatever a (lying) header says. */
export const MAX_OUTPUT_ROWS = 0xffffff;

/** The source page's geometry, as the page header states it. */
export interface FitSource {
  readonly width: number;
  readonly height: number;
  readonly xDpi: number;
  readonly yDpi: number;
}

/** Where the page lands on the printable area. */
export interface PageFit {
  /** output dots per row (= target.widthDots) */
  readonly width: number;
  /** output rows (= target.heightDots, or the scaled page length on a roll) */
  readonly height: number;
  /** scaled page size in output dots */
  readonly contentWidth: number;
  readonly contentHeight: number;
  /** output position of the scaled page's top-left corner (negative: the page is cropped) */
  readonly left: number;
  readonly top: number;
  /** output column -> source column, -1 where the page does not reach (white) */
  readonly xMap: Int32Array;
  /** true when the page is not scaled across: xMap[x] = x - left wherever it is not -1 */
  readonly isUnitX: boolean;
}

/** Scale factor k applied on top of the dpi ratio, per print-scaling; device raster is never enlarged. */
function scaleFor(scaling: string, fitK: number, fillK: number): number {
  switch (scaling) {
    case 'fit':
    case 'auto-fit':
      return Math.min(1, fitK);
    case 'fill':
      return Math.min(1, fillK);
    default:
      // 'none', 'auto' and anything unknown: natural size, cropped centred.
      return 1;
  }
}

function checkTarget(target: MonoTarget): void {
  const isDots = (n: number | undefined): boolean => n !== undefined && Number.isInteger(n) && n > 0 && n <= MAX_TARGET_DOTS;
  const isDpi = (n: number): boolean => Number.isFinite(n) && n > 0 && n <= 10000;
  if (!isDots(target.widthDots)) throw new DriverError(`printable width ${target.widthDots} dots is out of range`);
  if (target.heightDots !== undefined && !isDots(target.heightDots)) {
    throw new DriverError(`printable length ${target.heightDots} dots is out of range`);
  }
  if (!isDpi(target.xDpi) || !isDpi(target.yDpi)) throw new DriverError(`engine resolution ${target.xDpi}x${target.yDpi} is out of range`);
}

/**
 * Map a page onto the target. The page is first scaled by engine dpi / page dpi, then by print-scaling
 * ('fit'/'auto-fit' shrink to fit keeping the aspect ratio, 'fill' shrinks to cover and crops, 'none'/'auto' keep the
 * natural size) and centred; whatever falls outside the printable area is cropped, the rest is white. With
 * `alignX` > 1 an unscaled page's left edge is rounded to a multiple of it (8: whole bytes of 1-bit rows).
 */
export function fitPage(src: FitSource, target: MonoTarget, alignX = 1): PageFit {
  checkTarget(target);
  const rx = target.xDpi / src.xDpi;
  const ry = target.yDpi / src.yDpi;
  const nw = src.width * rx;
  const nh = src.height * ry;
  const isValid = src.width > 0 && src.height > 0 && Number.isFinite(nw) && Number.isFinite(nh) && nw > 0 && nh > 0;
  const W = target.widthDots;
  const fitK = isValid ? Math.min(W / nw, target.heightDots === undefined ? Infinity : target.heightDots / nh) : 1;
  const fillK = isValid ? (target.heightDots === undefined ? W / nw : Math.max(W / nw, target.heightDots / nh)) : 1;
  const k = scaleFor(target.scaling, fitK, fillK);
  // Unit scale must stay exact so device raster at the engine's dpi is copied pixel for pixel.
  const cw = isValid ? Math.max(1, Math.min(MAX_OUTPUT_ROWS, rx * k === 1 ? src.width : Math.round(nw * k))) : 0;
  const ch = isValid ? Math.max(1, Math.min(MAX_OUTPUT_ROWS, ry * k === 1 ? src.height : Math.round(nh * k))) : 0;
  const H = target.heightDots ?? Math.max(1, ch);
  const isUnitX = cw === src.width;
  // An unscaled 1-bit page placed on a byte boundary is copied byte for byte instead of bit-shifted (at most
  // alignX/2 dots off centre: a third of a millimetre at 600 dpi).
  const centred = Math.floor((W - cw) / 2);
  const left = isUnitX && alignX > 1 ? Math.round(centred / alignX) * alignX : centred;
  const top = target.heightDots === undefined ? 0 : Math.floor((H - ch) / 2);
  const xMap = new Int32Array(W);
  for (let x = 0; x < W; x++) {
    const c = x - left;
    if (c < 0 || c >= cw) xMap[x] = -1;
    else xMap[x] = isUnitX ? c : Math.min(src.width - 1, Math.floor(((2 * c + 1) * src.width) / (2 * cw)));
  }
  return { width: W, height: H, contentWidth: cw, contentHeight: ch, left, top, xMap, isUnitX };
}

/** Source line that output row `r` shows, or -1 for a white row above/below the page. Monotonic in r. */
export function sourceRow(fit: PageFit, srcHeight: number, r: number): number {
  const c = r - fit.top;
  if (c < 0 || c >= fit.contentHeight) return -1;
  if (fit.contentHeight === srcHeight) return c;
  return Math.min(srcHeight - 1, Math.floor(((2 * c + 1) * srcHeight) / (2 * fit.contentHeight)));
}

/** Output rows due when a source line arrives: white rows before, rows showing the page, white rows after. */
export interface RowSpan {
  before: number;
  /** first output row showing the page, and how many */
  first: number;
  rows: number;
  after: number;
}

/** Walks output rows as source lines arrive in order (a skipped line's rows are shown from the next one). */
export class RowCursor {
  readonly #fit: PageFit;
  readonly #srcHeight: number;
  readonly #span: RowSpan = { before: 0, first: 0, rows: 0, after: 0 };
  #next = 0;

  constructor(fit: PageFit, srcHeight: number) {
    this.#fit = fit;
    this.#srcHeight = srcHeight;
  }

  /** The rows source line y accounts for; the returned object is reused by the next call. */
  advance(y: number): RowSpan {
    const span = this.#span;
    const h = this.#fit.height;
    const start = this.#next;
    while (this.#next < h && this.#next < this.#fit.top) this.#next++;
    span.before = this.#next - start;
    span.first = this.#next;
    while (this.#next < h) {
      const s = sourceRow(this.#fit, this.#srcHeight, this.#next);
      if (s < 0 || s > y) break;
      this.#next++;
    }
    span.rows = this.#next - span.first;
    const afterStart = this.#next;
    if (y >= this.#srcHeight - 1) this.#next = h;
    span.after = this.#next - afterStart;
    return span;
  }
}
