// Samples one raster line at mapped columns into ink levels (0 = no ink, 255 = full), per colour space:
// gray luminance for 1-bit engines (Rec. 601 weights) or one of the C, M, Y, K planes for colour engines.
// SPDX-License-Identifier: Apache-2.0
import { DriverError } from '../../src/errors.js';
import type { RasterPageHeader } from '../../src/raster/types.js';

/** Which ink to extract: 'gray' = black for a 1-bit engine, or one process colour. */
export type InkChannel = 'gray' | 'c' | 'm' | 'y' | 'k';

/** Byte offset of each output column's pixel in the source line, -1 for white; built once per page. */
export function byteOffsets(header: RasterPageHeader, xMap: Int32Array): Int32Array {
  const unit = Math.max(1, header.bitsPerPixel >> 3);
  const out = new Int32Array(xMap.length);
  for (let x = 0; x < xMap.length; x++) {
    const s = xMap[x] ?? -1;
    out[x] = s < 0 ? -1 : s * unit;
  }
  return out;
}

/** Luminance (0 black .. 255 white) of an RGB triple, Rec. 601 weights summing to 256. */
function luma(r: number, g: number, b: number): number {
  return (77 * r + 150 * g + 29 * b + 128) >> 8;
}

/** Ink of one RGB pixel for a channel: gray is 255 - luma; c/m/y are the complements; k is the common part. */
function rgbInk(channel: InkChannel, r: number, g: number, b: number): number {
  switch (channel) {
    case 'gray':
      return 255 - luma(r, g, b);
    case 'c':
      return 255 - r;
    case 'm':
      return 255 - g;
    case 'y':
      return 255 - b;
    case 'k':
      return 255 - Math.max(r, g, b);
    default: {
      const never: never = channel;
      return never;
    }
  }
}

function cmykInk(channel: InkChannel, c: number, m: number, y: number, k: number): number {
  switch (channel) {
    case 'gray':
      return Math.min(255, k + ((77 * c + 150 * m + 29 * y) >> 8));
    // Black folds into each process colour (the CMY planes carry composite black).
    case 'c':
      return Math.min(255, c + k);
    case 'm':
      return Math.min(255, m + k);
    case 'y':
      return Math.min(255, y + k);
    case 'k':
      return k;
    default: {
      const never: never = channel;
      return never;
    }
  }
}

/**
 * Fill `ink[0..offsets.length)` with the channel's ink for each output column of `line`. 8-bit and 16-bit
 * (big-endian, high byte used) gray/RGB/CMYK, and 1-bit black (0 or 255); gray and black inputs give the same ink
 * on every channel (composite gray on CMY). No allocation.
 */
export function sampleInk(
  header: RasterPageHeader,
  line: Uint8Array,
  offsets: Int32Array,
  xMap: Int32Array,
  channel: InkChannel,
  ink: Uint8Array,
): void {
  const n = offsets.length;
  const step = header.bitsPerColor === 16 ? 2 : 1;
  switch (header.colorSpace) {
    case 'black':
      for (let x = 0; x < n; x++) {
        const s = xMap[x] as number;
        ink[x] = s >= 0 && ((line[s >> 3] as number) & (0x80 >> (s & 7))) !== 0 ? 255 : 0;
      }
      return;
    case 'sgray':
      for (let x = 0; x < n; x++) {
        const o = offsets[x] as number;
        ink[x] = o < 0 ? 0 : 255 - (line[o] as number);
      }
      return;
    case 'srgb':
    case 'adobe-rgb':
      for (let x = 0; x < n; x++) {
        const o = offsets[x] as number;
        ink[x] = o < 0 ? 0 : rgbInk(channel, line[o] as number, line[o + step] as number, line[o + 2 * step] as number);
      }
      return;
    case 'cmyk':
      for (let x = 0; x < n; x++) {
        const o = offsets[x] as number;
        ink[x] =
          o < 0
            ? 0
            : cmykInk(channel, line[o] as number, line[o + step] as number, line[o + 2 * step] as number, line[o + 3 * step] as number);
      }
      return;
    default: {
      const never: never = header.colorSpace;
      throw new DriverError(`unknown colour space ${String(never)}`);
    }
  }
}
