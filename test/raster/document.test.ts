// Reader selection by document-format and by sniffing application/octet-stream.
// SPDX-License-Identifier: Apache-2.0
import jpeg from 'jpeg-js';
import t from 'tap';
import { RasterError } from '../../src/errors.js';
import { readDocument, sniffFormat } from '../../src/raster/document.js';
import { chunked, encodePwgRaster, encodeUrf, type TestPage } from '../support/raster-writer.js';

const gray: TestPage = { width: 4, height: 2, type: 'sgray_8', xDpi: 300, yDpi: 300, pixels: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) };
const jpegFile = jpeg.encode({ width: 4, height: 4, data: Buffer.alloc(64, 0x80) }, 80).data;

async function firstPage(format: string, data: Uint8Array, size: number) {
  for await (const page of readDocument(format, chunked(data, size))) {
    const rows: Buffer[] = [];
    for await (const line of page.lines()) rows.push(Buffer.from(line));
    return { header: page.header, pixels: Buffer.concat(rows) };
  }
  return undefined;
}

t.test('sniffFormat recognises each magic number', async (t) => {
  t.equal(sniffFormat(Buffer.from('RaS2....')), 'image/pwg-raster');
  t.equal(sniffFormat(Buffer.from('2SaR....')), 'image/pwg-raster');
  t.equal(sniffFormat(Buffer.from('UNIRAST\0', 'latin1')), 'image/urf');
  t.equal(sniffFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)), 'image/jpeg');
  t.equal(sniffFormat(Buffer.from('%PDF-1.7')), undefined);
  t.equal(sniffFormat(Uint8Array.of(0xff, 0xd8)), undefined);
});

t.test('the MIME type picks the reader, parameters and case ignored', async (t) => {
  t.same((await firstPage('image/pwg-raster', encodePwgRaster([gray]), 10))?.pixels, Buffer.from(gray.pixels));
  t.same((await firstPage('Image/URF; x=y', encodeUrf([gray]), 10))?.pixels, Buffer.from(gray.pixels));
  t.equal((await firstPage('image/jpeg', jpegFile, 10))?.header.width, 4);
});

t.test('application/octet-stream is sniffed even when the magic is split over chunks', async (t) => {
  t.same((await firstPage('application/octet-stream', encodePwgRaster([gray]), 1))?.pixels, Buffer.from(gray.pixels));
  t.same((await firstPage('application/octet-stream', encodeUrf([gray]), 3))?.pixels, Buffer.from(gray.pixels));
  t.equal((await firstPage('application/octet-stream', jpegFile, 2))?.header.colorSpace, 'srgb');
});

t.test('unsupported formats and unknown content are RasterErrors', async (t) => {
  t.throws(() => readDocument('application/pdf', chunked(Buffer.from('%PDF'), 4)), RasterError);
  await t.rejects(firstPage('application/octet-stream', Buffer.from('%PDF-1.7 junk'), 4), RasterError);
  await t.rejects(firstPage('application/octet-stream', new Uint8Array(0), 4), RasterError);
});
