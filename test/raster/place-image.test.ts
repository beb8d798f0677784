// Tests for placing image documents on the media (print-scaling, rotation, monochrome).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { placeImage, type PageFrame } from '../../src/raster/place-image.js';
import type { RasterPage, RasterPageHeader } from '../../src/raster/types.js';

/** A w x h sRGB image page at `dpi` whose pixel (x, y) is (x, y, 7). */
function image(w: number, h: number, dpi: number): RasterPage {
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set([x, y, 7], (y * w + x) * 3);
  const header: RasterPageHeader = {
    width: w, height: h, xDpi: dpi, yDpi: dpi, colorSpace: 'srgb', bitsPerColor: 8, numColors: 3, bitsPerPixel: 24,
    bytesPerLine: w * 3, pageSizeName: '', pageWidthPt: 0, pageHeightPt: 0, duplex: false, tumble: false,
    printQuality: 0, totalPageCount: 1,
  };
  return { number: 1, header, lines: () => { throw new Error('not used'); }, image: { rgb } };
}

/** A frame of w x h pixels at 100 dpi (media size derived from it). */
function frame(w: number, h: number): PageFrame {
  return { width: (w * 2540) / 100, length: (h * 2540) / 100, xDpi: 100, yDpi: 100, pageSizeName: 'custom' };
}

async function pixels(page: RasterPage): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const line of page.lines()) out.push(Uint8Array.from(line));
  return out;
}

t.test('fit scales a small picture up to the page width and centres it vertically', async (t) => {
  const placed = placeImage(image(10, 5, 100), frame(20, 20), 'fit', false);
  t.equal(placed.header.width, 20);
  t.equal(placed.header.height, 20);
  const rows = await pixels(placed);
  t.equal(rows.length, 20);
  t.same([...rows[0]!.subarray(0, 3)], [255, 255, 255], 'band above the picture is white');
  t.same([...rows[5]!.subarray(0, 3)], [0, 0, 7], 'first picture row starts at (0,0)');
  t.same([...rows[5]!.subarray(57, 60)], [9, 0, 7], 'last column maps to the last source column');
  t.same([...rows[14]!.subarray(0, 3)], [0, 4, 7]);
  t.same([...rows[15]!.subarray(0, 3)], [255, 255, 255], 'band below is white');
});

t.test('none keeps the natural size (image dpi onto printer dpi) and centres the picture', async (t) => {
  const rows = await pixels(placeImage(image(4, 4, 50), frame(20, 20), 'none', false));
  // 4 px at 50 dpi = 8 px at 100 dpi, centred in 20: columns 6..13.
  t.same([...rows[6]!.subarray(15, 18)], [255, 255, 255]);
  t.same([...rows[6]!.subarray(18, 21)], [0, 0, 7]);
  t.same([...rows[13]!.subarray(39, 42)], [3, 3, 7]);
  t.same([...rows[14]!.subarray(18, 21)], [255, 255, 255]);
});

t.test('auto-fit never enlarges; fill covers the whole page and crops', async (t) => {
  const small = await pixels(placeImage(image(4, 4, 100), frame(20, 20), 'auto-fit', false));
  t.same([...small[0]!.subarray(0, 3)], [255, 255, 255]);
  t.same([...small[8]!.subarray(24, 27)], [0, 0, 7]);
  const filled = await pixels(placeImage(image(10, 20, 100), frame(20, 20), 'fill', false));
  for (const row of filled) t.notOk(row.subarray(0, 3).every((b) => b === 255), 'no white margin');
});

t.test('a landscape picture on portrait media is turned a quarter clockwise', async (t) => {
  const rows = await pixels(placeImage(image(6, 4, 100), frame(4, 6), 'fit', false));
  // Rotated clockwise: output (x, y) shows source (u = y, v = H - 1 - x).
  t.same([...rows[0]!.subarray(0, 3)], [0, 3, 7]);
  t.same([...rows[0]!.subarray(9, 12)], [0, 0, 7], 'top right is the source top left');
  t.same([...rows[5]!.subarray(9, 12)], [5, 0, 7]);
});

t.test('monochrome output is one luma byte per pixel', async (t) => {
  const placed = placeImage(image(2, 2, 100), frame(2, 2), 'none', true);
  t.equal(placed.header.colorSpace, 'sgray');
  t.equal(placed.header.bytesPerLine, 2);
  const rows = await pixels(placed);
  t.equal(rows[1]![1], (1 * 77 + 1 * 150 + 7 * 29) >> 8);
});

t.test('a page that is not an image passes through untouched', async (t) => {
  const page = image(2, 2, 100);
  const plain: RasterPage = { number: 1, header: page.header, lines: page.lines };
  t.equal(placeImage(plain, frame(2, 2), 'fit', false), plain);
});
