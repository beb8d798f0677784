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
 * Decode one compressed line (runs only; the line-repeat byte is read by the caller) into `line`.
 * Counts are clamped to the bytes left on the line, as CUPS does, so a 1-bit run may overshoot the width.
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
