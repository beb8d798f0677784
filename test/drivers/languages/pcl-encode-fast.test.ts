// Tests for the fast paths of the PCL row encoders: PackBits with an output limit, delta row over rows at any
// byte offset (word XOR), and the known-blank rows of mono pages.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { deltaRow, deltaRowBound } from '../../../drivers/languages/delta-row.js';
import { createMonoPage, isBlankRow } from '../../../drivers/languages/mono-page.js';
import { packBits, packBitsBound, packBitsWithin } from '../../../drivers/languages/packbits.js';
import { applyDelta } from '../../support/pcl-decode.js';
import { seededRandom } from '../../support/raster-writer.js';
import { headerFor } from './page-header.js';

/** A random 1-bit-like row: mostly zero, some runs, some noise. */
function textRow(rnd: () => number, len: number): Uint8Array {
  return Uint8Array.from({ length: len }, () => {
    const r = rnd();
    if (r < 0.6) return 0;
    return r < 0.8 ? 0xff : Math.floor(rnd() * 256);
  });
}

t.test('packBitsWithin gives the packBits bytes within the limit and -1 beyond it', async (t) => {
  const rnd = seededRandom(11);
  let bad = 0;
  for (let n = 0; n < 200; n++) {
    const row = textRow(rnd, 1 + Math.floor(rnd() * 400));
    const full = new Uint8Array(packBitsBound(row.length));
    const len = packBits(row, row.length, full, 0);
    const out = new Uint8Array(packBitsBound(row.length));
    const at = packBitsWithin(row, row.length, out, 0, len);
    if (at !== len || Buffer.compare(out.subarray(0, at), full.subarray(0, len)) !== 0) bad++;
    if (len > 0 && packBitsWithin(row, row.length, out, 0, len - 1) !== -1) bad++;
  }
  t.equal(bad, 0);
});

t.test('delta row round-trips rows and seeds at every byte offset, equal to the aligned encoding', async (t) => {
  const rnd = seededRandom(12);
  let bad = 0;
  for (let n = 0; n < 200; n++) {
    const len = 1 + Math.floor(rnd() * 300);
    const seed = textRow(rnd, len);
    const row = Uint8Array.from(seed, (v) => (rnd() < 0.2 ? Math.floor(rnd() * 256) : v));
    const out = new Uint8Array(deltaRowBound(len));
    const end = deltaRow(row, seed, len, out, 0);
    const back = Uint8Array.from(seed);
    applyDelta(out.subarray(0, end), back);
    if (Buffer.compare(back, row) !== 0) bad++;
    // The same rows inside bigger buffers at other offsets (shared or different alignment) encode the same.
    const rowOff = Math.floor(rnd() * 4);
    const seedOff = Math.floor(rnd() * 4);
    const rowIn = new Uint8Array(len + 8).subarray(rowOff, rowOff + len);
    const seedIn = new Uint8Array(len + 8).subarray(seedOff, seedOff + len);
    rowIn.set(row);
    seedIn.set(seed);
    const out2 = new Uint8Array(deltaRowBound(len) + 3);
    const end2 = deltaRow(rowIn, seedIn, len, out2, 3);
    if (Buffer.compare(out2.subarray(3, end2), out.subarray(0, end)) !== 0) bad++;
  }
  t.equal(bad, 0);
});

t.test('a mono page hands out white rows that isBlankRow knows, and copies a changed line again', async (t) => {
  const page = createMonoPage(headerFor('black_1', 64, 3, 600), { widthDots: 64, heightDots: 3, xDpi: 600, yDpi: 600, scaling: 'auto' }, 4);
  const line = new Uint8Array(8);
  const [white] = page.rows(line, 0);
  t.ok(white !== undefined && isBlankRow(white));
  line[3] = 0x81;
  const [black] = page.rows(line, 1);
  t.same([...(black ?? [])], [0, 0, 0, 0x81, 0, 0, 0, 0]);
  // A caller's own buffer rewritten in place is copied again (only a reader's revision allows reuse).
  line[3] = 0x18;
  const [again] = page.rows(line, 2);
  t.same([...(again ?? [])], [0, 0, 0, 0x18, 0, 0, 0, 0]);
});
