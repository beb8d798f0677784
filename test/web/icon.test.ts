// The printer icons: PNGs and the SVG favicon come from the same shapes; the ICO wraps the 48 px PNG.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { inflateSync } from 'node:zlib';
import { ICON_SIZES, faviconIco, printerIconPng, printerIconSvg, rasterize } from '../../src/web/icon.js';
import { PRINTER_ICON, shapeContains, type Shape } from '../../src/web/icon-shape.js';

/** RGBA of pixel (x, y) of one of our PNGs (filter type 0 on every row, as encodePng writes). */
function pixel(png: Buffer, x: number, y: number): number[] {
  const size = png.readUInt32BE(16);
  let pos = 8;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    if (png.toString('latin1', pos + 4, pos + 8) === 'IDAT') idat.push(png.subarray(pos + 8, pos + 8 + len));
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const at = y * (size * 4 + 1) + 1 + x * 4;
  return [...raw.subarray(at, at + 4)];
}

t.test('each icon size is a PNG of that size', async (t) => {
  for (const size of ICON_SIZES) {
    const png = printerIconPng(size);
    t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    t.equal(png.readUInt32BE(16), size);
    t.equal(png.readUInt32BE(20), size);
  }
});

t.test('the PNG shows the body colour inside the body and is transparent outside every shape', async (t) => {
  const png = printerIconPng(128);
  // Grid (30, 35) is inside the body rectangle and nothing is drawn over it there.
  t.same(pixel(png, 60, 70), [0x3c, 0x48, 0x58, 255]);
  t.equal(pixel(png, 1, 1)[3], 0);
  // The status light sits at grid (49, 30).
  t.same(pixel(png, 98, 60), [0x28, 0xc8, 0x5a, 255]);
});

t.test('the SVG draws exactly the same shapes with the same colours', async (t) => {
  const svg = printerIconSvg(48);
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="48" height="48" viewBox="0 0 64 64">/);
  t.equal((svg.match(/<(rect|polygon) /g) ?? []).length, PRINTER_ICON.length);
  for (const s of PRINTER_ICON) t.ok(svg.includes(`fill="${s.fill}"`), s.fill);
});

t.test('rasterize anti-aliases edges and composites shapes in order', async (t) => {
  const half: Shape = { kind: 'rect', x: 0, y: 0, w: 32, h: 64, r: 0, fill: '#ff0000' };
  const over: Shape = { kind: 'polygon', points: [[0, 0], [64, 0], [64, 64], [0, 64]], fill: '#0000ff' };
  const px = rasterize([half], 3);
  t.equal(px[3], 255, 'left pixel fully covered');
  t.ok((px[7] ?? 0) > 100 && (px[7] ?? 0) < 160, 'middle pixel half covered');
  t.equal(px[11], 0, 'right pixel empty');
  const both = rasterize([half, over], 2);
  t.same([...both.subarray(0, 4)], [0, 0, 255, 255], 'the later shape is on top');
});

t.test('shapeContains follows rounded corners and polygon edges', async (t) => {
  const rounded: Shape = { kind: 'rect', x: 0, y: 0, w: 10, h: 10, r: 4, fill: '#000000' };
  t.notOk(shapeContains(rounded, 0.2, 0.2), 'corner cut off');
  t.ok(shapeContains(rounded, 5, 0.2), 'edge middle inside');
  const tri: Shape = { kind: 'polygon', points: [[0, 0], [10, 0], [0, 10]], fill: '#000000' };
  t.ok(shapeContains(tri, 2, 2));
  t.notOk(shapeContains(tri, 8, 8));
});

t.test('favicon.ico holds one 48 px PNG entry', async (t) => {
  const ico = faviconIco();
  t.equal(ico.readUInt16LE(2), 1, 'type icon');
  t.equal(ico.readUInt16LE(4), 1, 'one image');
  t.equal(ico[6], 48);
  const offset = ico.readUInt32LE(18);
  t.same(ico.subarray(offset), printerIconPng(48));
});
