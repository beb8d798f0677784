// TIFF PackBits encoder for PCL raster compression mode 2: header n in 0..127 is followed by n+1 literal bytes,
// n in 129..255 (signed -127..-1) by one byte repeated 257-n times. Writes into a caller's buffer, no allocation.
// SPDX-License-Identifier: Apache-2.0
import { wordsOf } from './row-words.js';

/** Most bytes packBits can write for `n` input bytes. */
export function packBitsBound(n: number): number {
  return n + Math.ceil(n / 128) + 1;
}

/**
 * Encode `src[0..len)` as PackBits into `out` from `at`; returns the end offset. Two or more equal bytes become a
 * repeat, other bytes literals of up to 128 that end where a run of three begins (a pair inside stays literal).
 */
export function packBits(src: Uint8Array, len: number, out: Uint8Array, at: number): number {
  return packBitsWithin(src, len, out, at, Infinity);
}

/**
 * {@link packBits}, giving up with -1 as soon as the output exceeds `limit` bytes (the caller has something
 * shorter already); otherwise the same bytes and end offset.
 */
export function packBitsWithin(src: Uint8Array, len: number, out: Uint8Array, at: number, limit: number): number {
  const words = len >= 16 ? wordsOf(src) : undefined;
  const base = src.byteOffset;
  const stop = at + limit;
  let o = at;
  let i = 0;
  while (i < len) {
    if (o > stop) return -1;
    // Run at i (zero runs skip whole zero words).
    const v = src[i] as number;
    const lim = Math.min(len, i + 128);
    let j = i + 1;
    if (v === 0 && words !== undefined) {
      while (j < lim && ((base + j) & 3) !== 0 && src[j] === 0) j++;
      if (((base + j) & 3) === 0) while (j + 4 <= lim && words[(base + j) >> 2] === 0) j += 4;
    }
    while (j < lim && src[j] === v) j++;
    if (j - i >= 2) {
      out[o++] = 257 - (j - i);
      out[o++] = v;
      i = j;
      continue;
    }
    // Literal from i up to where three equal bytes begin.
    let k = i + 1;
    while (k < lim && !(k + 2 < len && src[k] === src[k + 1] && src[k] === src[k + 2])) k++;
    out[o++] = k - i - 1;
    for (let x = i; x < k; x++) out[o++] = src[x] as number;
    i = k;
  }
  return o > stop ? -1 : o;
}
