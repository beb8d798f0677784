// Fuzz target: the document readers behind readDocument (PWG raster, Apple raster, JPEG, sniffed octet-stream),
// fed in random chunk sizes and consumed page by page, line by line, as the pipeline does.
// SPDX-License-Identifier: Apache-2.0
import { RasterError } from '../../../src/errors.js';
import { readDocument } from '../../../src/raster/document.js';
import type { RasterLimits } from '../../../src/raster/types.js';
import type { FuzzTarget } from '../engine.js';
import type { Rng } from '../prng.js';

/** Limits that keep one input's work small (the defaults allow 16 MiB lines, which only slows fuzzing down). */
export const FUZZ_RASTER_LIMITS: RasterLimits = { maxWidth: 1 << 14, maxHeight: 1 << 14, maxBytesPerLine: 1 << 18, maxJpegPixels: 1 << 22 };
/** Lines consumed per input before the run stops reading (a decompression bomb is slow, not a crash). */
const MAX_LINES = 200_000;

const FORMATS = ['application/octet-stream', 'application/octet-stream', 'image/pwg-raster', 'image/urf', 'image/jpeg'];

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

const DICTIONARY: Uint8Array[] = [
  Buffer.from('RaS2', 'latin1'), Buffer.from('2SaR', 'latin1'), Buffer.from('UNIRAST\0', 'latin1'), Buffer.from('PwgRaster\0', 'latin1'),
  Uint8Array.of(0xff, 0xd8, 0xff), Uint8Array.of(0xff, 0xd9), Uint8Array.of(0xff, 0xc0), Uint8Array.of(0xff, 0xc2), Uint8Array.of(0xff, 0xc4),
  Uint8Array.of(0xff, 0xda), Uint8Array.of(0xff, 0xdb), Uint8Array.of(0xff, 0xdd), Uint8Array.of(0xff, 0xe0), Uint8Array.of(0x80), Uint8Array.of(0x7f),
  ...[0, 1, 3, 6, 8, 16, 18, 19, 20, 24, 48, 300, 1796].map(u32),
];

async function* chunks(input: Uint8Array, rng: Rng): AsyncGenerator<Uint8Array> {
  const size = rng.chance(0.2) ? 1 : 1 + rng.int(4096);
  for (let i = 0; i < input.length; i += size) yield input.subarray(i, i + size);
}

async function consume(input: Uint8Array, rng: Rng): Promise<void> {
  const format = rng.pick(FORMATS);
  let lines = 0;
  for await (const page of readDocument(format, chunks(input, rng), FUZZ_RASTER_LIMITS)) {
    const { bytesPerLine, height } = page.header;
    let seen = 0;
    for await (const line of page.lines()) {
      if (line.length !== bytesPerLine) throw new Error(`line of ${line.length} bytes, header says ${bytesPerLine}`);
      seen++;
      if (++lines >= MAX_LINES) return;
    }
    if (seen !== height) throw new Error(`page ${page.number} yielded ${seen} lines, header says ${height}`);
  }
}

/** The raster readers target. */
export const rasterTarget: FuzzTarget = {
  name: 'raster',
  dictionary: DICTIONARY,
  maxLength: 64 * 1024,
  run: (input, rng) => consume(input, rng),
  isExpected: (err) => err instanceof RasterError,
};
