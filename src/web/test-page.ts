// The test page behind the Status page's "Print test page" button: one Apple raster (image/urf) page of the
// default media with a frame, the printer glyph and colour patches, built in memory and run-length encoded.
// SPDX-License-Identifier: Apache-2.0
import { rasterize } from './icon.js';
import { PRINTER_ICON } from './icon-shape.js';

/** Colour patches across the page: cyan, magenta, yellow, black, red, green, blue. */
const PATCHES: readonly (readonly [number, number, number])[] = [
  [0, 255, 255],
  [255, 0, 255],
  [255, 255, 0],
  [0, 0, 0],
  [255, 0, 0],
  [0, 160, 0],
  [0, 0, 255],
];

/** What the page is drawn for. Sizes in hundredths of a millimetre (PWG media units). */
export interface TestPageSpec {
  readonly widthHmm: number;
  readonly lengthHmm: number;
  readonly dpi: number;
  /** largest engine margin, hundredths of a millimetre */
  readonly marginHmm: number;
}

/** Encode one RGB line with the PWG/URF run codes (0..127 repeat, 129..255 literal). */
function encodeLine(line: Uint8Array, width: number, out: number[]): void {
  const same = (a: number, b: number): boolean => line[a * 3] === line[b * 3] && line[a * 3 + 1] === line[b * 3 + 1] && line[a * 3 + 2] === line[b * 3 + 2];
  const pixel = (i: number): number[] => [line[i * 3] ?? 255, line[i * 3 + 1] ?? 255, line[i * 3 + 2] ?? 255];
  let x = 0;
  while (x < width) {
    let run = 1;
    while (x + run < width && run < 128 && same(x, x + run)) run++;
    if (run > 1 || x + 1 === width) {
      out.push(run - 1, ...pixel(x));
      x += run;
      continue;
    }
    let lit = 1;
    while (x + lit < width && lit < 128 && !(x + lit + 1 < width && same(x + lit, x + lit + 1))) lit++;
    if (lit === 1) out.push(0, ...pixel(x));
    else {
      out.push(257 - lit);
      for (let i = 0; i < lit; i++) out.push(...pixel(x + i));
    }
    x += lit;
  }
}

function fillRect(px: Uint8Array, width: number, x0: number, y0: number, w: number, h: number, rgb: readonly number[]): void {
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) px.set(rgb, (y * width + x) * 3);
  }
}

/** Draw the page as packed 8-bit sRGB pixels. */
function drawPage(width: number, height: number, spec: TestPageSpec): Uint8Array {
  const px = new Uint8Array(width * height * 3).fill(255);
  const m = Math.ceil(((spec.marginHmm + 300) / 2540) * spec.dpi);
  const line = Math.max(2, Math.round(spec.dpi / 75));
  for (const [x, y, w, h] of [
    [m, m, width - 2 * m, line],
    [m, height - m - line, width - 2 * m, line],
    [m, m, line, height - 2 * m],
    [width - m - line, m, line, height - 2 * m],
  ] as const) fillRect(px, width, x, y, w, h, [0, 0, 0]);
  const iconSize = Math.floor(Math.min(width, height) / 2.5);
  const icon = rasterize(PRINTER_ICON, iconSize);
  const ix = Math.floor((width - iconSize) / 2);
  const iy = m * 3;
  for (let y = 0; y < iconSize; y++) {
    for (let x = 0; x < iconSize; x++) {
      const s = (y * iconSize + x) * 4;
      const a = (icon[s + 3] ?? 0) / 255;
      if (a === 0) continue;
      const d = ((iy + y) * width + ix + x) * 3;
      for (let c = 0; c < 3; c++) px[d + c] = Math.round((icon[s + c] ?? 0) * a + (px[d + c] ?? 255) * (1 - a));
    }
  }
  const patch = Math.floor((width - 4 * m) / PATCHES.length);
  PATCHES.forEach((rgb, i) => fillRect(px, width, 2 * m + i * patch, iy + iconSize + m, patch, Math.min(patch, height - iy - iconSize - 3 * m), rgb));
  return px;
}

/** The test page as a one-page image/urf document. */
export function testPageUrf(spec: TestPageSpec): Buffer {
  const width = Math.round((spec.widthHmm / 2540) * spec.dpi);
  const height = Math.round((spec.lengthHmm / 2540) * spec.dpi);
  const px = drawPage(width, height, spec);
  const head = Buffer.alloc(12 + 32);
  head.write('UNIRAST\0', 0, 'latin1');
  head.writeUInt32BE(1, 8);
  head.set([24, 1, 1, 4], 12);
  head.writeUInt32BE(width, 24);
  head.writeUInt32BE(height, 28);
  head.writeUInt32BE(spec.dpi, 32);
  const out: number[] = [];
  const parts: Buffer[] = [head];
  const bytesPerLine = width * 3;
  for (let y = 0; y < height; ) {
    const row = px.subarray(y * bytesPerLine, (y + 1) * bytesPerLine);
    let repeat = 1;
    while (y + repeat < height && repeat < 256 && Buffer.compare(row, px.subarray((y + repeat) * bytesPerLine, (y + repeat + 1) * bytesPerLine)) === 0) repeat++;
    out.length = 0;
    out.push(repeat - 1);
    encodeLine(row, width, out);
    parts.push(Buffer.from(out));
    y += repeat;
  }
  return Buffer.concat(parts);
}
