// Delta-row encoder for PCL raster compression mode 3: only the bytes that differ from the seed row are sent, as
// commands of 1..8 replacement bytes with a relative offset (5-bit, extended by bytes while 255). No allocation.
// SPDX-License-Identifier: Apache-2.0
import { wordsOf } from './row-words.js';

/** Int32Array words are little-endian here (byte k of a word is bits 8k..8k+7); else only bytes are compared. */
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const EMPTY_WORDS = new Int32Array(0);

/** Most bytes deltaRow can write for a row of `n` bytes (every other byte changed, long offsets). */
export function deltaRowBound(n: number): number {
  return 2 * n + 8;
}

/** Write one command replacing row[start..end) at `offset` bytes after the previous one; returns the new end. */
function command(row: Uint8Array, start: number, end: number, offset: number, out: Uint8Array, at: number): number {
  let o = at;
  out[o++] = ((end - start - 1) << 5) | (offset < 31 ? offset : 31);
  if (offset >= 31) {
    let rest = offset - 31;
    while (rest >= 255) {
      out[o++] = 255;
      rest -= 255;
    }
    out[o++] = rest;
  }
  for (let k = start; k < end; k++) out[o++] = row[k] as number;
  return o;
}

/**
 * Encode `row[0..len)` against `seed[0..len)` into `out` from `at`; returns the end offset (== at when the rows are
 * equal, which PCL sends as a zero-length transfer that repeats the seed). Changed bytes are grouped greedily, at
 * most eight per command.
 */
export function deltaRow(row: Uint8Array, seed: Uint8Array, len: number, out: Uint8Array, at: number): number {
  const rb = row.byteOffset;
  const sb = seed.byteOffset;
  // Whole words are XORed when both rows share their alignment; bytes before the first word boundary and after
  // the last whole word one by one.
  const isWords = IS_LITTLE_ENDIAN && ((rb - sb) & 3) === 0 && len >= 16;
  const rowWords = isWords ? wordsOf(row) : EMPTY_WORDS;
  const seedWords = isWords ? wordsOf(seed) : EMPTY_WORDS;
  const head = isWords ? (4 - (rb & 3)) & 3 : len;
  const wordEnd = isWords ? head + ((len - head) & ~3) : len;
  const seedShift = (sb - rb) >> 2;
  let o = at;
  let pos = 0; // byte after the last replaced one
  let start = -1; // pending command: row[start..end)
  let end = -1;
  let i = 0;
  while (i < len) {
    // x: which bytes of i..i+3 changed (byte k at bits 8k).
    let x = 0;
    let next = i + 4;
    if (i >= head && i < wordEnd) {
      // Skip equal words, then take the first changed one.
      let w = (rb + i) >> 2;
      const last = (rb + wordEnd) >> 2;
      while (w < last && rowWords[w] === seedWords[w + seedShift]) w++;
      i = (w << 2) - rb;
      if (i >= wordEnd) continue;
      x = (rowWords[w] as number) ^ (seedWords[w + seedShift] as number);
      next = i + 4;
    } else {
      // Head or tail bytes, up to four at a time.
      const stop = Math.min(i < head ? head : len, i + 4);
      for (let b = i; b < stop; b++) if (row[b] !== seed[b]) x |= 0xff << ((b - i) << 3);
      next = stop;
    }
    // Each changed byte, lowest address first, extends the pending command or starts a new one.
    while (x !== 0) {
      const k = (31 - Math.clz32(x & -x)) >> 3;
      x &= ~(0xff << (k << 3));
      const p = i + k;
      if (p === end && end - start < 8) {
        end++;
        continue;
      }
      if (start >= 0) {
        o = command(row, start, end, start - pos, out, o);
        pos = end;
      }
      start = p;
      end = p + 1;
    }
    i = next;
  }
  if (start >= 0) o = command(row, start, end, start - pos, out, o);
  return o;
}
