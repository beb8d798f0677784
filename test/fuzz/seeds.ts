// Fuzz seeds: captured client traffic from test/fixtures/fuzz-seeds (ipptool HTTP connections, Net-SNMP packets,
// see capture-seeds.ts), the hand-annotated fixtures, and small real documents from the test raster writers.
// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { GET_PRINTER_ATTRIBUTES, PRINT_JOB, PRINT_JOB_DOCUMENT } from '../fixtures/ipp/messages.js';
import { FIXTURES } from '../fixtures/snmp/packets.js';
import { bytesPerLine, encodePwgRaster, encodeUrf, type TestPage } from '../support/raster-writer.js';
import { repoRoot } from '../support/server.js';
import type { PwgRasterType } from '../../src/raster/types.js';

/** Folder of the seed files of one target ('http', 'snmp'; 'regressions/<target>' for crash inputs). */
export function seedDir(name: string): string {
  return join(repoRoot(), 'test', 'fixtures', 'fuzz-seeds', name);
}

/** Every *.bin file under a seed folder, sorted by name (empty when the folder does not exist). */
export function readSeedFiles(name: string): Uint8Array[] {
  const dir = seedDir(name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

/** The request bodies in a raw HTTP/1.1 client byte stream (Content-Length or chunked framing). */
export function httpBodies(raw: Uint8Array): Uint8Array[] {
  const text = Buffer.from(raw);
  const bodies: Uint8Array[] = [];
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\r\n\r\n', pos, 'latin1');
    if (end < 0) break;
    const head = text.subarray(pos, end).toString('latin1');
    pos = end + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length?.[1] !== undefined) {
      bodies.push(text.subarray(pos, pos + Number(length[1])));
      pos += Number(length[1]);
      continue;
    }
    if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) continue;
    const parts: Buffer[] = [];
    for (;;) {
      const eol = text.indexOf('\r\n', pos, 'latin1');
      if (eol < 0) return bodies;
      const size = parseInt(text.subarray(pos, eol).toString('latin1'), 16);
      pos = eol + 2;
      if (!(size > 0)) break;
      parts.push(text.subarray(pos, pos + size));
      pos += size + 2;
    }
    pos += 2;
    bodies.push(Buffer.concat(parts));
  }
  return bodies;
}

/** Raw HTTP connections ipptool made (captured). */
export function httpSeeds(): Uint8Array[] {
  return readSeedFiles('http');
}

/** IPP request bodies: the ipptool captures' bodies plus the annotated fixtures. */
export function ippSeeds(): Uint8Array[] {
  const captured = httpSeeds().flatMap(httpBodies);
  return [GET_PRINTER_ATTRIBUTES, PRINT_JOB, new Uint8Array([...PRINT_JOB, ...PRINT_JOB_DOCUMENT]), ...captured];
}

/** SNMP packets: Net-SNMP captures (v1, v2c, v3) plus the annotated fixtures. */
export function snmpSeeds(): Uint8Array[] {
  return [...FIXTURES.map((f) => f.bytes), ...readSeedFiles('snmp')];
}

function testPage(type: PwgRasterType, width: number, height: number, dpi: number): TestPage {
  const stride = bytesPerLine(type, width);
  const pixels = new Uint8Array(stride * height);
  // A diagonal band and a solid block: both repeat runs and literal runs, and repeated lines.
  for (let i = 0; i < pixels.length; i++) pixels[i] = i % 7 === 0 ? 0x00 : (i * 37) & 0xff;
  pixels.fill(0xff, 0, Math.min(pixels.length, stride * 2));
  return { width, height, type, xDpi: dpi, yDpi: dpi, pixels };
}

function smallJpeg(width: number, height: number, quality: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4, 255);
  for (let i = 0; i < data.length; i += 4) data[i] = (i * 13) & 0xff;
  return jpeg.encode({ data, width, height }, quality).data;
}

/** Small real documents: PWG raster of every type (both byte orders), URF, baseline JPEG. */
export function rasterSeeds(): Uint8Array[] {
  const types: PwgRasterType[] = ['black_1', 'sgray_8', 'srgb_8', 'srgb_16', 'cmyk_8', 'adobe-rgb_8'];
  const pwg = types.map((type) => encodePwgRaster([testPage(type, 24, 6, 300), testPage(type, 9, 3, 150)]));
  const swapped = encodePwgRaster([testPage('srgb_16', 8, 4, 300)], { byteSwapped: true });
  const urf = [encodeUrf([testPage('sgray_8', 20, 5, 300)]), encodeUrf([testPage('srgb_8', 12, 4, 600), testPage('srgb_8', 3, 2, 300)])];
  const jpegs = [smallJpeg(16, 8, 80), smallJpeg(9, 17, 30)];
  return [...pwg, swapped, ...urf, ...jpegs];
}
