// JPEG reader: jpeg-js encoded images decode to one page; size limits are checked before decoding.
// SPDX-License-Identifier: Apache-2.0
import jpeg from 'jpeg-js';
import t from 'tap';
import { RasterError } from '../../src/errors.js';
import { readJpeg, scanJpeg } from '../../src/raster/jpeg.js';
import { DEFAULT_RASTER_LIMITS, type RasterLimits } from '../../src/raster/types.js';
import { chunked } from '../support/raster-writer.js';

function rgbaImage(width: number, height: number, gray: boolean): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      // Left half red-ish, right half blue-ish (gray: dark / light), so approximate colours are checkable.
      const isLeft = x < width / 2;
      data[o] = gray ? (isLeft ? 40 : 220) : isLeft ? 230 : 20;
      data[o + 1] = gray ? data[o]! : 30;
      data[o + 2] = gray ? data[o]! : isLeft ? 20 : 230;
      data[o + 3] = 255;
    }
  }
  return data;
}

function encode(width: number, height: number): Buffer {
  return jpeg.encode({ width, height, data: rgbaImage(width, height, false) }, 90).data;
}

/** Put a JFIF APP0 with the given density after SOI (jpeg-js writes one; replace it). */
function withDensity(data: Buffer, units: number, x: number, y: number): Buffer {
  const copy = Buffer.from(data);
  const app0 = copy.indexOf(Buffer.from('JFIF\0', 'latin1'));
  copy[app0 + 7] = units;
  copy.writeUInt16BE(x, app0 + 8);
  copy.writeUInt16BE(y, app0 + 10);
  return copy;
}

async function decode(data: Uint8Array, limits?: RasterLimits) {
  const pages = [];
  for await (const page of readJpeg(chunked(data, 1000), limits)) {
    const rows: Buffer[] = [];
    for await (const line of page.lines()) rows.push(Buffer.from(line));
    pages.push({ header: page.header, pixels: Buffer.concat(rows) });
  }
  return pages;
}

async function failure(data: Uint8Array, limits?: RasterLimits): Promise<unknown> {
  try {
    await decode(data, limits);
    return undefined;
  } catch (err) {
    return err;
  }
}

t.test('a colour JPEG becomes one srgb 8-bit page with about the original colours', async (t) => {
  const pages = await decode(encode(32, 16));
  t.equal(pages.length, 1);
  const [p] = pages;
  t.match(p?.header, { width: 32, height: 16, colorSpace: 'srgb', bitsPerColor: 8, bytesPerLine: 96, totalPageCount: 1 });
  const px = (x: number, y: number) => [...(p?.pixels.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3) ?? [])];
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - (b[i] ?? 0)) < 24);
  t.ok(near(px(3, 8), [230, 30, 20]), `left pixel ${px(3, 8).join(',')}`);
  t.ok(near(px(28, 8), [20, 30, 230]), `right pixel ${px(28, 8).join(',')}`);
});

t.test('a grayscale JPEG becomes an sgray 8-bit page', async (t) => {
  // jpeg-js only writes 3-component (YCbCr) files, so the gray file is hand-made (makeGrayJpeg below).
  const data = jpeg.encode({ width: 16, height: 8, data: rgbaImage(16, 8, true) }, 90).data;
  t.equal(scanJpeg(data).components, 3, 'jpeg-js output has three components');
  t.equal((await decode(data))[0]?.header.colorSpace, 'srgb', 'three components stay colour');
  const gray = makeGrayJpeg();
  const [p] = await decode(gray.data);
  t.match(p?.header, { width: gray.width, height: gray.height, colorSpace: 'sgray', bytesPerLine: gray.width });
  t.ok(Math.abs((p?.pixels[0] ?? 0) - 128) < 8, `pixel ${p?.pixels[0]}`);
});

t.test('the JFIF density sets the resolution, else 300 dpi', async (t) => {
  const base = encode(8, 8);
  t.match((await decode(withDensity(base, 1, 150, 75)))[0]?.header, { xDpi: 150, yDpi: 75 });
  t.match((await decode(withDensity(base, 2, 100, 100)))[0]?.header, { xDpi: 254, yDpi: 254 });
  t.match((await decode(withDensity(base, 0, 1, 1)))[0]?.header, { xDpi: 300, yDpi: 300 });
});

t.test('huge declared dimensions are rejected before decoding', async (t) => {
  const data = Buffer.from(encode(8, 8));
  // Patch the SOF0 frame size to 60000 x 60000 (3.6 G pixels); decoding it would exhaust memory.
  const sof = data.indexOf(Buffer.from([0xff, 0xc0]));
  data.writeUInt16BE(60000, sof + 5);
  data.writeUInt16BE(60000, sof + 7);
  const err = await failure(data);
  t.type(err, RasterError);
  t.equal((err as RasterError).code, 'ERR_RASTER_LIMIT');
  const small = await failure(encode(64, 64), { ...DEFAULT_RASTER_LIMITS, maxJpegPixels: 4000 });
  t.equal((small as RasterError).code, 'ERR_RASTER_LIMIT');
});

t.test('broken JPEG data is rejected with RasterError', async (t) => {
  const good = encode(16, 16);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /empty/],
    ['not a JPEG', Buffer.from('hello world'), /SOI/],
    ['no frame', good.subarray(0, 20), /truncated|SOF/],
    ['cut scan', good.subarray(0, good.length - 200), /JPEG/],
  ];
  for (const [name, data, pattern] of cases) {
    const err = await failure(data);
    t.type(err, RasterError, name);
    t.match((err as Error).message, pattern, name);
  }
});

/** A minimal baseline 1-component 8x8 JPEG: every block DC = 0 (mid gray), AC all zero. */
function makeGrayJpeg(): { data: Buffer; width: number; height: number } {
  const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const bytes = [
    0xff, 0xd8, // SOI
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF, aspect only
    ...seg(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT table 0, all ones
    ...seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8 bits, 8x8, 1 component (id 1, 1x1, table 0)
    // DHT DC table 0: one code of length 1 for category 0.
    ...seg(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0x00]),
    // DHT AC table 0: one code of length 1 for EOB (0x00).
    ...seg(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS: 1 component, tables 0/0, Ss 0, Se 63, Ah/Al 0
    0x00, // scan: DC code '0' (diff 0), AC code '0' (EOB), padded with zero bits
    0xff, 0xd9, // EOI
  ];
  return { data: Buffer.from(bytes), width: 8, height: 8 };
}
