// Tests for halftoning and 1-bit copies (drivers/languages/halftone.ts).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { Halftoner, mapCopyBits, methodForQuality, shiftCopyBits, type HalftoneMethod } from '../../../drivers/languages/halftone.js';
import { seededRandom } from '../../support/raster-writer.js';
import { popcount } from './page-header.js';

const METHODS: readonly HalftoneMethod[] = ['ordered-8', 'ordered-16', 'diffusion'];

/** Fraction of inked dots over a w x h area of constant ink. */
function coverage(method: HalftoneMethod, level: number, w = 128, h = 128): number {
  const ht = new Halftoner(w, method);
  const ink = new Uint8Array(Math.ceil(w / 8) * 8);
  ink.fill(level, 0, w);
  const out = new Uint8Array(Math.ceil(w / 8));
  let dots = 0;
  for (let r = 0; r < h; r++) {
    ht.dither(ink, r, out);
    dots += popcount(out);
  }
  return dots / (w * h);
}

t.test('print-quality chooses the halftone method', async (t) => {
  t.equal(methodForQuality(3), 'ordered-8');
  t.equal(methodForQuality(4), 'ordered-16');
  t.equal(methodForQuality(0), 'ordered-16');
  t.equal(methodForQuality(5), 'diffusion');
});

t.test('50% gray gives about 50% black dots with every method', async (t) => {
  for (const m of METHODS) {
    const c = coverage(m, 128);
    t.ok(Math.abs(c - 0.5) < 0.02, `${m}: ${c}`);
  }
});

t.test('no ink gives no dots and full ink gives every dot', async (t) => {
  for (const m of METHODS) {
    t.equal(coverage(m, 0), 0, `${m} white`);
    t.equal(coverage(m, 255), 1, `${m} black`);
  }
});

t.test('coverage follows the ink level', async (t) => {
  for (const m of METHODS) {
    for (const level of [32, 64, 192, 224]) {
      const c = coverage(m, level);
      t.ok(Math.abs(c - level / 255) < 0.03, `${m} level ${level}: ${c}`);
    }
  }
});

t.test('ordered dither differs between rows and repeats with the matrix period', async (t) => {
  const ht = new Halftoner(64, 'ordered-16');
  const ink = new Uint8Array(64).fill(128);
  const rows = [0, 1, 16].map((r) => {
    const out = new Uint8Array(8);
    ht.dither(ink, r, out);
    return out;
  });
  t.not(Buffer.compare(rows[0] as Uint8Array, rows[1] as Uint8Array), 0);
  t.same(rows[0], rows[2]);
});

t.test('error diffusion keeps pad columns white', async (t) => {
  const w = 40;
  const ht = new Halftoner(w, 'diffusion');
  const ink = new Uint8Array(40).fill(255);
  const isPad = new Uint8Array(w);
  isPad.fill(1, 0, 8);
  isPad.fill(1, 32, 40);
  const out = new Uint8Array(5);
  for (let r = 0; r < 4; r++) {
    ht.dither(ink, r, out, isPad);
    t.same([...out], [0, 0xff, 0xff, 0xff, 0], `row ${r}`);
  }
});

/** Reference: output bit x = source bit x - left inside the page, else 0. */
function refShift(line: Uint8Array, srcWidth: number, left: number, outWidth: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(outWidth / 8));
  for (let x = 0; x < outWidth; x++) {
    const s = x - left;
    if (s < 0 || s >= srcWidth) continue;
    if (((line[s >> 3] as number) >> (7 - (s & 7))) & 1) out[x >> 3] = (out[x >> 3] as number) | (0x80 >> (x & 7));
  }
  return out;
}

t.test('the 1-bit shift copy equals a bit-by-bit copy at every offset', async (t) => {
  const rnd = seededRandom(7);
  const srcWidth = 203;
  const line = new Uint8Array(Math.ceil(srcWidth / 8));
  for (let i = 0; i < line.length; i++) line[i] = Math.floor(rnd() * 256);
  // Bits past the width are junk the copy must not show.
  line[line.length - 1] = (line[line.length - 1] as number) | 0x1f;
  let bad = 0;
  for (const outWidth of [203, 190, 250]) {
    for (let left = -40; left <= 40; left++) {
      const out = new Uint8Array(Math.ceil(outWidth / 8)).fill(0xaa);
      shiftCopyBits(line, srcWidth, left, out, outWidth);
      if (Buffer.compare(out, refShift(line, srcWidth, left, outWidth)) !== 0) bad++;
    }
  }
  t.equal(bad, 0);
});

t.test('the mapped 1-bit copy follows the column map', async (t) => {
  const line = Uint8Array.of(0b10110000);
  const xMap = Int32Array.of(-1, 0, 0, 1, 2, 3, -1, 2, 3, 3);
  const out = new Uint8Array(2).fill(0xff);
  mapCopyBits(line, xMap, out);
  t.same([...out], [0b01101101, 0b11000000]);
});
