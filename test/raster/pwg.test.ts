// PWG raster reader: the CUPS spec sample, round trips through the test writer, split feeding, broken streams.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { RasterError } from '../../src/errors.js';
import { readPwgRaster } from '../../src/raster/pwg.js';
import type { PwgRasterType, RasterLimits } from '../../src/raster/types.js';
import { DEFAULT_RASTER_LIMITS } from '../../src/raster/types.js';
import { bytesPerLine, chunked, encodePwgRaster, pwgHeader, seededRandom, type TestPage } from '../support/raster-writer.js';

async function decodeAll(stream: AsyncIterable<Uint8Array>, limits?: RasterLimits) {
  const pages = [];
  for await (const page of readPwgRaster(stream, limits)) {
    const rows: Buffer[] = [];
    for await (const line of page.lines()) rows.push(Buffer.from(line));
    pages.push({ header: page.header, number: page.number, pixels: Buffer.concat(rows) });
  }
  return pages;
}

function randomPage(type: PwgRasterType, width: number, height: number, seed: number): TestPage {
  const rand = seededRandom(seed);
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height);
  // Mix random bytes, runs and repeated lines so every encoder path is used.
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * bpl, (y + 1) * bpl);
    const mode = y % 5;
    if (mode === 1 && y > 0) row.set(pixels.subarray((y - 1) * bpl, y * bpl));
    else if (mode === 2) row.fill(Math.floor(rand() * 256));
    else for (let i = 0; i < bpl; i++) row[i] = rand() < 0.3 ? 0xff : Math.floor(rand() * 256);
  }
  return { width, height, type, xDpi: 300, yDpi: 300, pixels };
}

function structuredPage(type: PwgRasterType, width: number, height: number): TestPage {
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height);
  // Blocks of lines: white, stripes, a gradient; 300 identical lines exceed one repeat group (256).
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < bpl; i++) {
      pixels[y * bpl + i] = y < 300 ? 0 : y < 310 ? (i % 7 === 0 ? 0xaa : 0x55) : (i * 3 + y) & 0xff;
    }
  }
  return { width, height, type, xDpi: 600, yDpi: 300, pageSizeName: 'iso_a4_210x297mm', pixels };
}

t.test('the CUPS spec 8x8 sRGB sample (89 bytes) decodes to its pixels', async (t) => {
  const W = [0xff, 0xff, 0xff];
  const Y = [0xff, 0xff, 0x00];
  const B = [0x00, 0x00, 0xff];
  const G = [0x00, 0xff, 0x00];
  const R = [0xff, 0x00, 0x00];
  // Compressed lines as the spec describes them: repeat byte, then runs (count-1 + colour, or 257-count + colours).
  const body = [
    ...[0x00, 0x00, ...W, 0x02, ...Y, 0x03, ...W], // line 1: 1 white, 3 yellow, 4 white
    ...[0x00, 0xfe, ...Y, ...B, ...Y, 0x02, ...W, 0x00, ...G, 0x00, ...W], // line 2: Y B Y literals, 3 white, green, white
    ...[0x00, 0x01, ...Y, 0x02, ...W, 0x02, ...G], // line 3: 2 yellow, 3 white, 3 green
    ...[0x00, 0x02, ...Y, 0x02, ...W, 0x00, ...G, 0x00, ...W], // line 4: 3 yellow, 3 white, green, white
    ...[0x00, 0x00, ...W, 0x02, ...Y, 0x03, ...W], // line 5: like line 1
    ...[0x00, 0x07, ...W], // line 6: 8 white
    ...[0x01, 0x07, ...R], // lines 7 and 8 (repeat 1): 8 red
  ];
  t.equal(body.length, 89);
  const header = pwgHeader({ width: 8, height: 8, type: 'srgb_8', xDpi: 72, yDpi: 72 }, 1);
  const stream = Buffer.concat([Buffer.from('RaS2'), header, Buffer.from(body)]);
  const [page] = await decodeAll(chunked(stream, 7));
  const rows = [
    [W, Y, Y, Y, W, W, W, W],
    [Y, B, Y, W, W, W, G, W],
    [Y, Y, W, W, W, G, G, G],
    [Y, Y, Y, W, W, W, G, W],
    [W, Y, Y, Y, W, W, W, W],
    [W, W, W, W, W, W, W, W],
    [R, R, R, R, R, R, R, R],
    [R, R, R, R, R, R, R, R],
  ];
  t.same(page?.pixels, Buffer.from(rows.flat(2)));
  t.equal(page?.header.colorSpace, 'srgb');
  t.equal(page?.header.bytesPerLine, 24);
});

for (const type of ['black_1', 'sgray_8', 'srgb_8', 'srgb_16', 'cmyk_8', 'adobe-rgb_8'] as const) {
  t.test(`a multi-page ${type} document round-trips through writer and reader`, async (t) => {
    const pages = [randomPage(type, 37, 23, 1), structuredPage(type, 61, 330), randomPage(type, 300, 4, 3)];
    const data = encodePwgRaster(pages);
    const decoded = await decodeAll(chunked(data, 4096));
    t.equal(decoded.length, 3);
    decoded.forEach((d, i) => {
      const src = pages[i]!;
      t.same(d.pixels, Buffer.from(src.pixels), `page ${i + 1} pixels`);
      t.equal(d.number, i + 1);
      t.equal(d.header.width, src.width);
      t.equal(d.header.totalPageCount, 3);
    });
    t.equal(decoded[1]?.header.pageSizeName, 'iso_a4_210x297mm');
    t.equal(decoded[1]?.header.xDpi, 600);
    t.equal(decoded[1]?.header.yDpi, 300);
    const body = data.length - 4 - 3 * 1796;
    t.ok(body < pages.reduce((n, p) => n + p.pixels.length, 0), 'the writer compresses');
  });
}

t.test('feeding one byte at a time decodes the same pixels', async (t) => {
  const pages = [randomPage('srgb_8', 19, 9, 7), randomPage('black_1', 13, 5, 8)];
  const decoded = await decodeAll(chunked(encodePwgRaster(pages), 1));
  t.same(decoded.map((d) => d.pixels), pages.map((p) => Buffer.from(p.pixels)));
});

t.test('every split point of a small stream decodes the same pixels', async (t) => {
  const pages = [randomPage('srgb_16', 5, 4, 9)];
  const data = encodePwgRaster(pages);
  for (let cut = 1; cut < data.length; cut++) {
    async function* two(): AsyncGenerator<Uint8Array> {
      yield data.subarray(0, cut);
      yield data.subarray(cut);
    }
    const [d] = await decodeAll(two());
    if (!Buffer.from(pages[0]!.pixels).equals(d!.pixels)) t.fail(`split at ${cut}`);
  }
  t.pass('all split points agree');
});

t.test('the byte-swapped 2SaR variant decodes with big-endian 16-bit samples', async (t) => {
  const pages = [randomPage('srgb_16', 11, 6, 4), randomPage('sgray_8', 9, 3, 5)];
  const decoded = await decodeAll(chunked(encodePwgRaster(pages, { byteSwapped: true }), 100));
  t.same(decoded.map((d) => d.pixels), pages.map((p) => Buffer.from(p.pixels)));
  t.equal(decoded[0]?.header.width, 11);
});

t.test('a repeated line is yielded as the same buffer', async (t) => {
  const page = structuredPage('sgray_8', 8, 4);
  const seen: Uint8Array[] = [];
  for await (const p of readPwgRaster(chunked(encodePwgRaster([page]), 64))) {
    for await (const line of p.lines()) seen.push(line);
  }
  t.equal(seen.length, 4);
  t.equal(seen[0], seen[3]);
});

t.test('lines a consumer skips are drained before the next page', async (t) => {
  const pages = [randomPage('sgray_8', 10, 10, 1), randomPage('sgray_8', 10, 10, 2)];
  const numbers: number[] = [];
  let second: Buffer | undefined;
  for await (const p of readPwgRaster(chunked(encodePwgRaster(pages), 50))) {
    numbers.push(p.number);
    if (p.number === 2) {
      const rows: Buffer[] = [];
      for await (const line of p.lines()) rows.push(Buffer.from(line));
      second = Buffer.concat(rows);
    }
  }
  t.same(numbers, [1, 2]);
  t.same(second, Buffer.from(pages[1]!.pixels));
});

t.test('header fields map onto the page header', async (t) => {
  const page: TestPage = { ...randomPage('sgray_8', 4, 2, 1), duplex: true, tumble: true, printQuality: 5 };
  const [d] = await decodeAll(chunked(encodePwgRaster([page]), 1000));
  t.match(d?.header, { duplex: true, tumble: true, printQuality: 5, pageWidthPt: 1, bitsPerPixel: 8, numColors: 1 });
});

async function failure(data: Uint8Array, limits?: RasterLimits): Promise<unknown> {
  try {
    await decodeAll(chunked(data, 512), limits);
    return undefined;
  } catch (err) {
    return err;
  }
}

type Patch = (h: Buffer) => void;
function withHeader(patch: Patch, type: PwgRasterType = 'sgray_8'): Buffer {
  const page = randomPage(type, 16, 4, 1);
  const data = encodePwgRaster([page]);
  patch(data.subarray(4, 4 + 1796));
  return data;
}

t.test('broken streams are rejected with RasterError', async (t) => {
  const good = encodePwgRaster([randomPage('srgb_8', 16, 8, 2)]);
  const cases: [string, Uint8Array, RegExp, RasterLimits?][] = [
    ['empty stream', new Uint8Array(0), /empty/],
    ['wrong sync word', Buffer.from('RaS3xxxx'), /sync word/],
    ['sync word only', Buffer.from('RaS2'), /no pages/],
    ['truncated header', good.subarray(0, 900), /truncated PWG raster page header/],
    ['truncated page', good.subarray(0, good.length - 3), /ends/],
    ['bad BytesPerLine', withHeader((h) => h.writeUInt32BE(17, 392)), /BytesPerLine 17 should be 16/],
    ['bad colour space', withHeader((h) => h.writeUInt32BE(16, 400)), /unsupported ColorSpace 16/],
    ['zero width', withHeader((h) => h.writeUInt32BE(0, 372)), /empty/],
    ['huge height', withHeader((h) => h.writeUInt32BE(0x1000000, 376)), /exceeds the limit/],
    ['banded order', withHeader((h) => h.writeUInt32BE(1, 396)), /ColorOrder/],
    ['4-bit colour', withHeader((h) => h.writeUInt32BE(4, 384)), /BitsPerColor/],
    ['colour count', withHeader((h) => h.writeUInt32BE(3, 420)), /NumColors/],
    ['zero resolution', withHeader((h) => h.writeUInt32BE(0, 276)), /HWResolution/],
    ['line over the limit', good, /exceeds the limit/, { ...DEFAULT_RASTER_LIMITS, maxBytesPerLine: 47 }],
  ];
  for (const [name, data, pattern, limits] of cases) {
    const err = await failure(data, limits);
    t.type(err, RasterError, name);
    t.match((err as Error).message, pattern, name);
  }
});

t.test('a huge declared height is refused before any line is read', async (t) => {
  const data = withHeader((h) => h.writeUInt32BE(0xffffff + 1, 376));
  const err = await failure(data);
  t.type(err, RasterError);
  t.equal((err as RasterError).code, 'ERR_RASTER_LIMIT');
});

t.test('a seeded fuzz run only ever throws RasterError and terminates', async (t) => {
  const rand = seededRandom(42);
  const base = encodePwgRaster([randomPage('srgb_8', 12, 6, 3), randomPage('black_1', 9, 3, 4)]);
  let failures = 0;
  for (let i = 0; i < 300; i++) {
    const data = Buffer.from(base);
    const flips = 1 + Math.floor(rand() * 4);
    for (let f = 0; f < flips; f++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
    const cut = rand() < 0.3 ? Math.floor(rand() * data.length) : data.length;
    try {
      await decodeAll(chunked(data.subarray(0, cut), 1 + Math.floor(rand() * 64)), {
        ...DEFAULT_RASTER_LIMITS,
        maxWidth: 4096,
        maxHeight: 4096,
      });
    } catch (err) {
      if (!(err instanceof RasterError)) failures++;
    }
  }
  t.equal(failures, 0);
});
