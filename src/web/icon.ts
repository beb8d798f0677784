// Printer icons for printer-icons (PNG at 48/128/512 px) and the favicon (SVG and ICO), all from the one shape
// list in icon-shape.ts: a tiny anti-aliased rasterizer (4x4 samples per pixel) and a PNG encoder, no native code.
// SPDX-License-Identifier: Apache-2.0
import { deflateSync, crc32 } from 'node:zlib';
import { ICON_GRID, PRINTER_ICON, shapeBounds, shapeContains, shapesToSvg, type Shape } from './icon-shape.js';

/** Icon sizes served under /icons/printer-<size>.png. */
export const ICON_SIZES = [48, 128, 512] as const;

/** Samples per pixel side when rasterizing. */
const SUPERSAMPLE = 4;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Paint convex `shapes` onto a transparent size x size RGBA canvas (straight alpha, source-over). */
export function rasterize(shapes: readonly Shape[], size: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(size * size * 4);
  const scale = size / ICON_GRID;
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (const s of shapes) {
    const [r, g, b] = rgb(s.fill);
    const [bx0, by0, bx1, by1] = shapeBounds(s);
    const x0 = Math.max(0, Math.floor(bx0 * scale));
    const y0 = Math.max(0, Math.floor(by0 * scale));
    const x1 = Math.min(size, Math.ceil(bx1 * scale));
    const y1 = Math.min(size, Math.ceil(by1 * scale));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        // Every shape is convex: a pixel whose four corners are inside is covered completely.
        const gx0 = x / scale;
        const gy0 = y / scale;
        const gx1 = (x + 1) / scale;
        const gy1 = (y + 1) / scale;
        const full = shapeContains(s, gx0, gy0) && shapeContains(s, gx1, gy0) && shapeContains(s, gx0, gy1) && shapeContains(s, gx1, gy1);
        let hits = full ? n : 0;
        for (let sy = 0; !full && sy < SUPERSAMPLE; sy++) {
          for (let sx = 0; sx < SUPERSAMPLE; sx++) {
            if (shapeContains(s, (x + (sx + 0.5) / SUPERSAMPLE) / scale, (y + (sy + 0.5) / SUPERSAMPLE) / scale)) hits++;
          }
        }
        if (hits === 0) continue;
        const a = hits / n;
        const i = (y * size + x) * 4;
        const da = ((px[i + 3] ?? 0) / 255) * (1 - a);
        const oa = a + da;
        px[i] = (r * a + (px[i] ?? 0) * da) / oa;
        px[i + 1] = (g * a + (px[i + 1] ?? 0) * da) / oa;
        px[i + 2] = (b * a + (px[i + 2] ?? 0) * da) / oa;
        px[i + 3] = oa * 255;
      }
    }
  }
  return px;
}

/** Encode size x size RGBA pixels as a PNG. */
export function encodePng(rgba: Uint8ClampedArray, size: number): Buffer {
  const row = size * 4 + 1;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * row + 1);
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

/** A size x size RGBA PNG of the printer glyph. */
export function printerIconPng(size: number): Buffer {
  return encodePng(rasterize(PRINTER_ICON, size), size);
}

/** The printer glyph as SVG (favicon.svg, page logo). */
export function printerIconSvg(size = ICON_GRID): string {
  return shapesToSvg(PRINTER_ICON, size);
}

/** favicon.ico: one 48 px PNG image in an ICO container (PNG entries are valid since Windows Vista). */
export function faviconIco(): Buffer {
  const png = printerIconPng(48);
  const head = Buffer.alloc(6 + 16);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(1, 4);
  head.set([48, 48, 0, 0], 6);
  head.writeUInt16LE(1, 10);
  head.writeUInt16LE(32, 12);
  head.writeUInt32LE(png.length, 14);
  head.writeUInt32LE(head.length, 18);
  return Buffer.concat([head, png]);
}
