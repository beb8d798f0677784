// Apple raster (UNIRAST) reader: round trips incl. the fill-to-white code, hand-made pages, broken streams.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { RasterError } from '../../src/errors.js';
import { readUrf } from '../../src/raster/urf.js';
import { bytesPerLine, chunked, encodeUrf, seededRandom, type TestPage } from '../support/raster-writer.js';

async function decodeAll(stream: AsyncIterable<Uint8Array>) {
  const pages = [];
  for await (const page of readUrf(stream)) {
    const rows: Buffer[] = [];
    for await (const line of page.lines()) rows.push(Buffer.from(line));
    pages.push({ header: page.header, pixels: Buffer.concat(rows) });
  }
  return pages;
}

async function failure(data: Uint8Array): Promise<unknown> {
  try {
    await decodeAll(chunked(data, 64));
    return undefined;
  } catch (err) {
    return err;
  }
}

function page(type: 'sgray_8' | 'srgb_8', width: number, height: number, seed: number): TestPage {
  const rand = seededRandom(seed);
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height).fill(0xff);
  // Content on the left of each line, white tails of varying length (fill code 128), some repeated lines.
  for (let y = 0; y < height; y++) {
    if (y % 4 === 3) continue;
    const inked = Math.floor(rand() * bpl);
    for (let i = 0; i < inked; i++) pixels[y * bpl + i] = rand() < 0.5 ? 0x20 : Math.floor(rand() * 256);
  }
  return { width, height, type, xDpi: 300, yDpi: 300, pixels };
}

function urfFile(pageHeader: Buffer, body: number[], pageCount = 1): Buffer {
  const file = Buffer.alloc(12);
  file.write('UNIRAST', 0, 'latin1');
  file.writeUInt32BE(pageCount, 8);
  return Buffer.concat([file, pageHeader, Buffer.from(body)]);
}

function urfHeader(bpp: number, space: number, width: number, height: number, dpi = 300): Buffer {
  const h = Buffer.alloc(32);
  h[0] = bpp;
  h[1] = space;
  h[2] = 3;
  h[3] = 4;
  h.writeUInt32BE(width, 12);
  h.writeUInt32BE(height, 16);
  h.writeUInt32BE(dpi, 20);
  return h;
}

t.test('sgray and srgb pages round-trip, white tails written as code 128', async (t) => {
  const pages = [page('srgb_8', 40, 30, 1), page('sgray_8', 77, 12, 2)];
  const data = encodeUrf(pages);
  const decoded = await decodeAll(chunked(data, 100));
  t.same(decoded.map((d) => d.pixels), pages.map((p) => Buffer.from(p.pixels)));
  t.equal(decoded[0]?.header.colorSpace, 'srgb');
  t.equal(decoded[1]?.header.colorSpace, 'sgray');
  t.equal(decoded[1]?.header.totalPageCount, 2);
});

t.test('feeding one byte at a time decodes the same pixels', async (t) => {
  const pages = [page('srgb_8', 9, 7, 3)];
  const decoded = await decodeAll(chunked(encodeUrf(pages), 1));
  t.same(decoded[0]?.pixels, Buffer.from(pages[0]!.pixels));
});

t.test('the fill code 128 makes the rest of a line white', async (t) => {
  // 4x2 sGray: line 1 = one 0x10 pixel then fill; line 2 (repeat 0) = 2 literals 0x01 0x02, then fill.
  const data = urfFile(urfHeader(8, 0, 4, 2), [0x00, 0x00, 0x10, 0x80, 0x00, 0xff, 0x01, 0x02, 0x80]);
  const [d] = await decodeAll(chunked(data, 3));
  t.same(d?.pixels, Buffer.from([0x10, 0xff, 0xff, 0xff, 0x01, 0x02, 0xff, 0xff]));
});

t.test('in CMYK the fill code writes no ink (0x00)', async (t) => {
  const data = urfFile(urfHeader(32, 6, 2, 1), [0x00, 0x00, 1, 2, 3, 4, 0x80]);
  const [d] = await decodeAll(chunked(data, 5));
  t.same(d?.pixels, Buffer.from([1, 2, 3, 4, 0, 0, 0, 0]));
  t.equal(d?.header.colorSpace, 'cmyk');
});

t.test('16-bit sRGB pages keep their big-endian samples', async (t) => {
  const data = urfFile(urfHeader(48, 1, 2, 1), [0x00, 0x01, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]);
  const [d] = await decodeAll(chunked(data, 5));
  t.same(d?.pixels, Buffer.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]));
  t.match(d?.header, { bitsPerColor: 16, bitsPerPixel: 48, bytesPerLine: 12, duplex: true, tumble: false });
});

t.test('a known page count ends the document even if bytes follow', async (t) => {
  const data = Buffer.concat([encodeUrf([page('sgray_8', 4, 2, 5)]), Buffer.from('trailing')]);
  t.equal((await decodeAll(chunked(data, 7))).length, 1);
});

t.test('broken streams are rejected with RasterError', async (t) => {
  const good = encodeUrf([page('srgb_8', 16, 8, 4)]);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty stream', new Uint8Array(0), /empty/],
    ['bad magic', Buffer.from('UNIRASX\x00\x00\x00\x00\x01', 'latin1'), /UNIRAST/],
    ['no pages', good.subarray(0, 12), /no pages/],
    ['truncated page header', good.subarray(0, 30), /truncated URF page header/],
    ['truncated page', good.subarray(0, good.length - 2), /ends/],
    ['CIELab', urfFile(urfHeader(24, 2, 4, 1), []), /colour space 2/],
    ['bits per pixel', urfFile(urfHeader(16, 1, 4, 1), []), /bits per pixel/],
    ['zero width', urfFile(urfHeader(8, 0, 0, 1), []), /empty/],
    ['huge height', urfFile(urfHeader(8, 0, 4, 0x1000000), []), /exceeds the limit/],
    ['zero resolution', urfFile(urfHeader(8, 0, 4, 1, 0), []), /resolution/],
  ];
  for (const [name, data, pattern] of cases) {
    const err = await failure(data);
    t.type(err, RasterError, name);
    t.match((err as Error).message, pattern, name);
  }
});
