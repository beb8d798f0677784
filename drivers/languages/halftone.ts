// Halftoning of ink levels to 1-bit rows (MSB first, 1 = ink): ordered dither with Bayer matrices and
// Floyd–Steinberg error diffusion with serpentine scan, chosen per print-quality; plus the 1-bit copy with a bit shift.
// SPDX-License-Identifier: Apache-2.0
import { dataViewOf } from './row-words.js';

/** 'ordered-8' (draft), 'ordered-16' (normal), 'diffusion' (high). */
export type HalftoneMethod = 'ordered-8' | 'ordered-16' | 'diffusion';

/** print-quality (3 draft, 4 normal, 5 high, 0 default = normal) -> halftone method. */
export function methodForQuality(printQuality: number): HalftoneMethod {
  if (printQuality === 3) return 'ordered-8';
  if (printQuality === 5) return 'diffusion';
  return 'ordered-16';
}

/** Recursive Bayer index matrix of size n (power of two), values 0..n²-1. */
function bayer(n: number): Uint16Array {
  const m = new Uint16Array(n * n);
  for (let size = 1; size < n; size *= 2) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = (m[y * n + x] as number) * 4;
        m[y * n + x] = v;
        m[y * n + x + size] = v + 2;
        m[(y + size) * n + x] = v + 3;
        m[(y + size) * n + x + size] = v + 1;
      }
    }
  }
  return m;
}

/** Thresholds 0..254: a dot is inked where ink > threshold, so ink 0 is never inked and 255 always. */
function thresholds(n: number): Uint8Array {
  const index = bayer(n);
  const out = new Uint8Array(n * n);
  for (let i = 0; i < index.length; i++) out[i] = Math.floor(((index[i] as number) * 255) / (n * n));
  return out;
}

const THRESHOLDS_8 = thresholds(8);
const THRESHOLDS_16 = thresholds(16);

/** Turns rows of ink levels into 1-bit rows; keeps the error-diffusion state between rows of one page. */
export class Halftoner {
  readonly method: HalftoneMethod;
  readonly #width: number;
  readonly #n: number;
  readonly #matrix: Uint8Array;
  /** error for the current row and the next one, with one guard column each side */
  #errCur: Int32Array;
  #errNext: Int32Array;

  constructor(width: number, method: HalftoneMethod) {
    this.method = method;
    this.#width = width;
    this.#n = method === 'ordered-8' ? 8 : 16;
    this.#matrix = method === 'ordered-8' ? THRESHOLDS_8 : THRESHOLDS_16;
    const errLen = method === 'diffusion' ? width + 2 : 0;
    this.#errCur = new Int32Array(errLen);
    this.#errNext = new Int32Array(errLen);
  }

  /**
   * Halftone `ink` (at least ceil(width/8)*8 entries, 0 beyond width) as output row `r` into `out`
   * (ceil(width/8) bytes). `isPad[x]` (optional) marks columns outside the page: always white, no error carried.
   */
  dither(ink: Uint8Array, r: number, out: Uint8Array, isPad?: Uint8Array): void {
    if (this.method === 'diffusion') this.#diffuse(ink, r, out, isPad);
    else this.#ordered(ink, r, out);
  }

  #ordered(ink: Uint8Array, r: number, out: Uint8Array): void {
    const n = this.#n;
    const mask = n - 1;
    const m = this.#matrix;
    const rowOff = (r & mask) * n;
    const bytes = out.length;
    for (let b = 0, x = 0; b < bytes; b++) {
      let acc = 0;
      for (let k = 0; k < 8; k++, x++) acc = (acc << 1) | ((ink[x] as number) > (m[rowOff + (x & mask)] as number) ? 1 : 0);
      out[b] = acc;
    }
  }

  /** Floyd–Steinberg (7, 3, 5, 1)/16, left-to-right on even rows, right-to-left on odd rows. */
  #diffuse(ink: Uint8Array, r: number, out: Uint8Array, isPad?: Uint8Array): void {
    const w = this.#width;
    const cur = this.#errCur;
    const next = this.#errNext;
    next.fill(0);
    out.fill(0);
    const isLtr = (r & 1) === 0;
    const dir = isLtr ? 1 : -1;
    for (let i = 0; i < w; i++) {
      const x = isLtr ? i : w - 1 - i;
      const e = x + 1; // error index (guard column at 0)
      if (isPad !== undefined && isPad[x] === 1) continue;
      const v = (ink[x] as number) + (cur[e] as number);
      let err = v;
      if (v >= 128) {
        out[x >> 3] = (out[x >> 3] as number) | (0x80 >> (x & 7));
        err = v - 255;
      }
      cur[e + dir] = (cur[e + dir] as number) + ((err * 7) >> 4);
      next[e - dir] = (next[e - dir] as number) + ((err * 3) >> 4);
      next[e] = (next[e] as number) + ((err * 5) >> 4);
      next[e + dir] = (next[e + dir] as number) + (err >> 4);
    }
    this.#errCur = next;
    this.#errNext = cur;
  }
}

/** Bit i of a 1-bit line, 0 outside it. */
function bitAt(line: Uint8Array, i: number): number {
  if (i < 0 || i >= line.length * 8) return 0;
  return ((line[i >> 3] as number) >> (7 - (i & 7))) & 1;
}

/** Output bytes [b0, b1) of a byte-aligned copy (output byte b = source byte b + base), dots outside [from, to) cleared. */
function alignedEdge(line: Uint8Array, base: number, from: number, to: number, out: Uint8Array, b0: number, b1: number): void {
  for (let b = b0; b < b1; b++) {
    const lo = Math.max(from, b * 8);
    const hi = Math.min(to, b * 8 + 8);
    const src = b + base;
    if (lo >= hi || src < 0 || src >= line.length) {
      out[b] = 0;
      continue;
    }
    // Keep bits lo..hi-1 of the byte (bit 0 of the byte is dot b*8, the MSB).
    const mask = (0xff >> (lo - b * 8)) & (0xff << (b * 8 + 8 - hi));
    out[b] = (line[src] as number) & mask;
  }
}

/** Slow path of shiftCopyBits for output bytes [b0, b1): zero outside [from, to), else bit by bit. */
function shiftCopyEdge(line: Uint8Array, left: number, from: number, to: number, out: Uint8Array, b0: number, b1: number): void {
  for (let b = b0; b < b1; b++) {
    if (b * 8 + 8 <= from || b * 8 >= to) {
      out[b] = 0;
      continue;
    }
    let acc = 0;
    for (let k = 0; k < 8; k++) {
      const x = b * 8 + k;
      acc = (acc << 1) | (x >= from && x < to ? bitAt(line, x - left) : 0);
    }
    out[b] = acc;
  }
}

/**
 * Copy a 1-bit line unscaled: output bit x = source bit (x - left) for x - left in [0, srcWidth), else 0.
 * Whole bytes are moved with a shift in a branch-free loop (one native copy when byte-aligned); only the edge bytes
 * go bit by bit.
 */
export function shiftCopyBits(line: Uint8Array, srcWidth: number, left: number, out: Uint8Array, outWidth: number): void {
  const bytes = out.length;
  const from = Math.max(0, left);
  const to = Math.min(outWidth, left + srcWidth);
  const sh = (((-left) % 8) + 8) % 8;
  const base = Math.floor(-left / 8);
  // Output bytes [lo, hi) lie wholly inside [from, to) and read only source bytes that exist.
  const lo = Math.min(bytes, Math.ceil(from / 8));
  const hi = Math.max(lo, Math.min(Math.floor(to / 8), line.length - base - (sh === 0 ? 0 : 1)));
  if (sh === 0) {
    // Byte-aligned: one native copy, and edge bytes masked whole.
    alignedEdge(line, base, from, to, out, 0, lo);
    out.set(line.subarray(base + lo, base + hi), lo);
    alignedEdge(line, base, from, to, out, hi, bytes);
    return;
  }
  shiftCopyEdge(line, left, from, to, out, 0, lo);
  let b = lo;
  let i = base + lo;
  if (hi - lo >= 16) {
    // Four bytes at a time as big-endian words (MSB first matches the bit order); the next word is read ahead.
    const src = dataViewOf(line);
    const dst = dataViewOf(out);
    const so = line.byteOffset;
    const oo = out.byteOffset;
    const wordEnd = Math.min(hi - 4, line.length - 8 - base);
    let cur = b <= wordEnd ? src.getUint32(so + i) : 0;
    const rw = 32 - sh;
    for (; b <= wordEnd; b += 4, i += 4) {
      const next = src.getUint32(so + i + 4);
      dst.setUint32(oo + b, ((cur << sh) | (next >>> rw)) >>> 0);
      cur = next;
    }
  }
  const rs = 8 - sh;
  for (; b < hi; b++, i++) out[b] = (((line[i] as number) << sh) | ((line[i + 1] as number) >> rs)) & 0xff;
  shiftCopyEdge(line, left, from, to, out, hi, bytes);
}

/** Copy a 1-bit line through a column map (xMap[x] = source column or -1). */
export function mapCopyBits(line: Uint8Array, xMap: Int32Array, out: Uint8Array): void {
  const w = xMap.length;
  for (let b = 0, x = 0; b < out.length; b++) {
    let acc = 0;
    for (let k = 0; k < 8; k++, x++) {
      const s = x < w ? (xMap[x] as number) : -1;
      acc = (acc << 1) | (s < 0 ? 0 : ((line[s >> 3] as number) >> (7 - (s & 7))) & 1);
    }
    out[b] = acc;
  }
}
