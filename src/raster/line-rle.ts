// PWG raster / Apple raster line compression decoder (PWG 5102.4 §4.3.2, CUPS raster v2). NOT TIFF PackBits:
// here a control byte 0..127 repeats one pixel unit and 129..255 introduces literal units.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../errors.js';
import type { ByteSource } from './byte-source.js';

/** Fixed parameters of one page's lines. */
export interface LineFormat {
  readonly bytesPerLine: number;
  /** bytes per pixel unit: ceil(bitsPerPixel / 8) */
  readonly unit: number;
  /** byte value of white (0xFF for gray/RGB, 0x00 for black/CMYK) used by the fill code 128 */
  readonly white: number;
}

/** Runs shorter than this are filled or copied byte by byte (cheaper than a builtin call or a subarray view). */
const SHORT_RUN = 24;

function truncated(): RasterError {
  return new RasterError('raster data ends inside a line');
}

/** Replicate the unit at `line[at..at+unit)` until `end` by doubling copies. */
function replicate(line: Uint8Array, at: number, unit: number, end: number): void {
  if (unit === 1) {
    line.fill(line[at] ?? 0, at + 1, end);
    return;
  }
  let filled = Math.min(unit, end - at);
  while (at + filled < end) {
    const n = Math.min(filled, end - at - filled);
    line.copyWithin(at + filled, at, at + n);
    filled += n;
  }
}

/**
 * Decode one compressed line (runs only) from `buf[at..end)` into `line` when all of its bytes are there; returns
 * the offset after the line, or -1 when the bytes run out first (`line` is then partly overwritten, nothing else).
 * Synchronous and allocation-free: the fast path for a line held in one chunk.
 */
export function decodeLineIn(buf: Uint8Array, at: number, end: number, line: Uint8Array, format: LineFormat): number {
  const { bytesPerLine, unit } = format;
  if (unit !== 1) return decodeUnitsIn(buf, at, end, line, format);
  let p = at;
  let pos = 0;
  while (pos < bytesPerLine) {
    if (p >= end) return -1;
    const c = buf[p++] as number;
    if (c < 128) {
      // One byte repeated c + 1 times, clamped to the line.
      if (p >= end) return -1;
      const v = buf[p++] as number;
      const stop = Math.min(bytesPerLine, pos + c + 1);
      if (stop - pos < SHORT_RUN) while (pos < stop) line[pos++] = v;
      else {
        line.fill(v, pos, stop);
        pos = stop;
      }
    } else if (c > 128) {
      // 257 - c literal bytes, clamped to the line.
      const n = Math.min(bytesPerLine - pos, 257 - c);
      if (p + n > end) return -1;
      if (n < SHORT_RUN) for (let k = 0; k < n; k++) line[pos++] = buf[p++] as number;
      else {
        line.set(buf.subarray(p, p + n), pos);
        pos += n;
        p += n;
      }
    } else {
      // Apple raster fill-to-white: the rest of the line is white.
      line.fill(format.white, pos, bytesPerLine);
      return p;
    }
  }
  return p;
}

/** {@link decodeLineIn} for pixel units of several bytes (colour and 16-bit data). */
function decodeUnitsIn(buf: Uint8Array, at: number, end: number, line: Uint8Array, format: LineFormat): number {
  const { bytesPerLine, unit } = format;
  let p = at;
  let pos = 0;
  while (pos < bytesPerLine) {
    if (p >= end) return -1;
    const c = buf[p++] as number;
    if (c === 128) {
      line.fill(format.white, pos, bytesPerLine);
      return p;
    }
    const stop = Math.min(bytesPerLine, pos + (c < 128 ? c + 1 : 257 - c) * unit);
    const n = c < 128 ? Math.min(unit, stop - pos) : stop - pos;
    if (p + n > end) return -1;
    for (let k = 0; k < n; k++) line[pos + k] = buf[p + k] as number;
    p += n;
    if (c < 128) replicate(line, pos, n, stop);
    pos = stop;
  }
  return p;
}

/** Read one repeat unit into `line` at `pos`; the unit is cut at the line end (1-bit data has unit 1). */
async function readUnit(src: ByteSource, line: Uint8Array, pos: number, n: number): Promise<void> {
  if (n === 1) {
    let b = src.takeByte();
    if (b < 0) b = await src.readByte();
    if (b < 0) throw truncated();
    line[pos] = b;
    return;
  }
  const first = src.copyBuffered(line, pos, n);
  if (first === n) return;
  // Slow path: the unit straddles a chunk boundary.
  const got = first + (await src.readInto(line, pos + first, n - first));
  if (got < n) throw truncated();
}

/**
 * Decode one compressed line (runs only; the line-repeat byte is read by the caller) into `line`, awaiting more
 * chunks as needed (the slow path for a line that straddles chunks). Counts are clamped to the bytes left on the
 * line, as CUPS does, so a 1-bit run may overshoot the width.
 */
export async function decodeLine(src: ByteSource, line: Uint8Array, format: LineFormat): Promise<void> {
  const { bytesPerLine, unit } = format;
  let pos = 0;
  while (pos < bytesPerLine) {
    let c = src.takeByte();
    if (c < 0) c = await src.readByte();
    if (c < 0) throw truncated();
    if (c === 128) {
      // Apple raster fill-to-white: the rest of the line is white.
      line.fill(format.white, pos, bytesPerLine);
      return;
    }
    if (c < 128) {
      // One unit repeated c + 1 times.
      const end = Math.min(bytesPerLine, pos + (c + 1) * unit);
      const n = Math.min(unit, end - pos);
      await readUnit(src, line, pos, n);
      replicate(line, pos, n, end);
      pos = end;
      continue;
    }
    // 257 - c literal units, clamped to the line.
    const n = Math.min(bytesPerLine - pos, (257 - c) * unit);
    let got = src.copyBuffered(line, pos, n);
    if (got < n) got += await src.readInto(line, pos + got, n - got);
    if (got < n) throw truncated();
    pos += n;
  }
}
