// Printer icons for printer-icons (PNG, drawn at start-up: a stylised printer, no binary assets in the repo).
// SPDX-License-Identifier: Apache-2.0
import { deflateSync, crc32 } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Colour of pixel (x, y) of a printer glyph on a size x size canvas: RGBA. */
function glyph(x: number, y: number, size: number): readonly [number, number, number, number] {
  const u = x / size;
  const v = y / size;
  const inBody = u > 0.1 && u < 0.9 && v > 0.38 && v < 0.75;
  const inPaperIn = u > 0.25 && u < 0.75 && v > 0.12 && v <= 0.38;
  const inPaperOut = u > 0.25 && u < 0.75 && v >= 0.68 && v < 0.9;
  const inLight = u > 0.75 && u < 0.82 && v > 0.45 && v < 0.5;
  if (inLight) return [40, 200, 90, 255];
  if (inPaperOut) return v > 0.75 && Math.floor(v * size) % Math.max(2, Math.floor(size / 16)) === 0 ? [120, 120, 120, 255] : [250, 250, 250, 255];
  if (inBody) return [60, 72, 88, 255];
  if (inPaperIn) return [235, 235, 235, 255];
  return [0, 0, 0, 0];
}

/** A size x size RGBA PNG of the printer glyph. */
export function printerIconPng(size: number): Buffer {
  const row = size * 4 + 1;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = glyph(x, y, size);
      raw.set([r, g, b, a], y * row + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Icon sizes served under /icons/printer-<size>.png. */
export const ICON_SIZES = [48, 128, 512] as const;
