// Tests for the PCL compression encoders: TIFF PackBits (mode 2) and delta row (mode 3).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { deltaRow, deltaRowBound } from '../../../drivers/languages/delta-row.js';
import { packBits, packBitsBound } from '../../../drivers/languages/packbits.js';
import { applyDelta, unpackBits } from '../../support/pcl-decode.js';
import { seededRandom } from '../../support/raster-writer.js';

function pack(src: number[]): number[] {
  const s = Uint8Array.from(src);
  const out = new Uint8Array(packBitsBound(s.length));
  return [...out.subarray(0, packBits(s, s.length, out, 0))];
}

t.test('packbits encodes the TIFF 6.0 example', async (t) => {
  const input = [0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22, ...Array<number>(10).fill(0xaa)];
  t.same(pack(input), [0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
});

t.test('packbits splits long runs and long literals at 128', async (t) => {
  t.same(pack(Array<number>(300).fill(7)), [0x81, 7, 0x81, 7, 0xd5, 7]);
  const lit = Array.from({ length: 130 }, (_, i) => i);
  const out = pack(lit);
  t.equal(out[0], 127);
  t.equal(out[129], 1);
  t.equal(out.length, 132);
  t.same(pack([]), []);
  t.same(pack([5]), [0, 5]);
  t.same(pack([5, 5]), [0xff, 5]);
  t.same(pack([1, 5, 5]), [2, 1, 5, 5], 'a pair inside a literal stays literal');
});

t.test('packbits round-trips random rows within its bound', async (t) => {
  const rnd = seededRandom(11);
  let bad = 0;
  for (let n = 0; n < 400; n++) {
    const len = Math.floor(rnd() * 700);
    const row = Uint8Array.from({ length: len }, () => (rnd() < 0.5 ? 0 : Math.floor(rnd() * 4)));
    const out = new Uint8Array(packBitsBound(len));
    const end = packBits(row, len, out, 0);
    const back = new Uint8Array(len);
    unpackBits(out.subarray(0, end), back);
    if (Buffer.compare(back, row) !== 0 || end > packBitsBound(len)) bad++;
  }
  t.equal(bad, 0);
});

t.test('delta row sends only changed bytes with relative offsets', async (t) => {
  const seed = new Uint8Array(100);
  const row = new Uint8Array(100);
  row[2] = 0xff;
  row[3] = 0x0f;
  row[40] = 1;
  row[99] = 9;
  const out = new Uint8Array(deltaRowBound(100));
  const end = deltaRow(row, seed, 100, out, 0);
  // 2 bytes at offset 2; 1 byte at offset 36 (31 + 5); 1 byte at offset 58 (31 + 27).
  t.same([...out.subarray(0, end)], [0x22, 0xff, 0x0f, 0x1f, 5, 1, 0x1f, 27, 9]);
  t.equal(deltaRow(seed, seed, 100, out, 0), 0, 'an unchanged row costs nothing');
});

t.test('delta row extends offsets of 255 and more with extra bytes', async (t) => {
  const seed = new Uint8Array(700);
  const row = new Uint8Array(700);
  row[31 + 255] = 1;
  row[600] = 2;
  const out = new Uint8Array(deltaRowBound(700));
  const end = deltaRow(row, seed, 700, out, 0);
  t.same([...out.subarray(0, end)], [0x1f, 255, 0, 1, 0x1f, 255, 27, 2]);
});

t.test('delta row groups at most eight bytes per command and round-trips random rows', async (t) => {
  const rnd = seededRandom(5);
  let bad = 0;
  for (let n = 0; n < 300; n++) {
    const len = 1 + Math.floor(rnd() * 900);
    const seed = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 3));
    const row = Uint8Array.from(seed, (v) => (rnd() < 0.3 ? Math.floor(rnd() * 3) : v));
    const out = new Uint8Array(deltaRowBound(len));
    const end = deltaRow(row, seed, len, out, 0);
    const back = Uint8Array.from(seed);
    applyDelta(out.subarray(0, end), back);
    if (Buffer.compare(back, row) !== 0 || end > deltaRowBound(len)) bad++;
  }
  t.equal(bad, 0);
  const row = new Uint8Array(20).fill(1);
  const out = new Uint8Array(deltaRowBound(20));
  const end = deltaRow(row, new Uint8Array(20), 20, out, 0);
  t.same([...out.subarray(0, end)], [0xe0, 1, 1, 1, 1, 1, 1, 1, 1, 0xe0, 1, 1, 1, 1, 1, 1, 1, 1, 0x60, 1, 1, 1, 1]);
});
