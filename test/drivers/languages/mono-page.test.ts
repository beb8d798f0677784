// Tests for the shared 1-bit page pipeline (drivers/languages/mono-page.ts).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { createMonoPage, isBlankRow, type MonoTarget } from '../../../drivers/languages/mono-page.js';
import type { PwgRasterType } from '../../../src/raster/types.js';
import { seededRandom } from '../../support/raster-writer.js';
import { headerFor, popcount } from './page-header.js';

/** Every output row of a page whose lines come from line(y). */
function runPage(
  type: PwgRasterType,
  w: number,
  h: number,
  target: MonoTarget,
  line: (y: number) => Uint8Array,
  quality = 4,
  dpi = 600,
): Uint8Array[] {
  const page = createMonoPage(headerFor(type, w, h, dpi), target, quality);
  const rows: Uint8Array[] = [];
  for (let y = 0; y < h; y++) for (const r of page.rows(line(y), y)) rows.push(Uint8Array.from(r));
  return rows;
}

function randomLines(bytes: number, h: number, seed: number): Uint8Array[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: h }, () => Uint8Array.from({ length: bytes }, () => Math.floor(rnd() * 256)));
}

const SAME: MonoTarget = { widthDots: 64, heightDots: 20, xDpi: 600, yDpi: 600, scaling: 'auto' };

t.test('black_1 passes through exactly when page and area match', async (t) => {
  const lines = randomLines(8, 20, 1);
  const rows = runPage('black_1', 64, 20, SAME, (y) => lines[y] as Uint8Array);
  t.equal(rows.length, 20);
  t.same(rows, lines);
});

t.test('black_1 is cropped centred without dithering', async (t) => {
  const lines = randomLines(10, 24, 2);
  // 80 x 24 page on a 64 x 20 area: 8 columns and 2 lines cut on each side.
  const rows = runPage('black_1', 80, 24, SAME, (y) => lines[y] as Uint8Array);
  t.equal(rows.length, 20);
  t.same(rows, lines.slice(2, 22).map((l) => l.subarray(1, 9)));
});

t.test('a small page is centred with white rows and columns around it', async (t) => {
  const line = new Uint8Array(2).fill(0xff);
  const rows = runPage('black_1', 16, 4, SAME, () => line);
  t.equal(rows.length, 20);
  const inked = rows.map((r) => !isBlankRow(r));
  t.same(inked, Array.from({ length: 20 }, (_, i) => i >= 8 && i < 12));
  t.same([...(rows[8] as Uint8Array)], [0, 0, 0, 0xff, 0xff, 0, 0, 0]);
});

t.test('a 300 dpi page on a 600 dpi engine gives two rows per line', async (t) => {
  const page = createMonoPage(headerFor('black_1', 32, 10, 300), SAME, 4);
  const line = Uint8Array.of(0x80, 0, 0, 1);
  const counts: number[] = [];
  for (let y = 0; y < 10; y++) counts.push(page.rows(line, y).length);
  t.same(counts, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  const row = page.rows(line, 9);
  t.same(row, [], 'no rows after the page');
  const again = createMonoPage(headerFor('black_1', 32, 10, 300), SAME, 4).rows(line, 0)[0] as Uint8Array;
  t.same([...again], [0b11000000, 0, 0, 0, 0, 0, 0, 0b11]);
});

/** Coverage of a constant-colour page of `type` with line bytes `fill`. */
function coverageOf(type: PwgRasterType, fill: readonly number[], quality: number): number {
  const w = 128;
  const h = 128;
  const unit = fill.length;
  const line = new Uint8Array(w * unit);
  for (let i = 0; i < line.length; i++) line[i] = fill[i % unit] as number;
  const rows = runPage(type, w, h, { widthDots: w, heightDots: h, xDpi: 600, yDpi: 600, scaling: 'none' }, () => line, quality);
  return rows.reduce((n, r) => n + popcount(r), 0) / (w * h);
}

t.test('50% gray in every input type gives about 50% black dots', async (t) => {
  const cases: [PwgRasterType, number[]][] = [
    ['sgray_8', [128]],
    ['srgb_8', [128, 128, 128]],
    ['adobe-rgb_8', [128, 128, 128]],
    ['srgb_16', [0x80, 0x00, 0x80, 0x00, 0x80, 0x00]],
    ['cmyk_8', [0, 0, 0, 127]],
  ];
  for (const [type, fill] of cases) {
    for (const q of [3, 4, 5]) {
      const c = coverageOf(type, fill, q);
      t.ok(Math.abs(c - 0.5) < 0.03, `${type} quality ${q}: ${c}`);
    }
  }
});

t.test('white input gives blank rows and black input full rows', async (t) => {
  t.equal(coverageOf('srgb_8', [255, 255, 255], 5), 0);
  t.equal(coverageOf('sgray_8', [255], 4), 0);
  t.equal(coverageOf('cmyk_8', [0, 0, 0, 0], 4), 0);
  t.equal(coverageOf('srgb_8', [0, 0, 0], 4), 1);
  t.equal(coverageOf('cmyk_8', [0, 0, 0, 255], 3), 1);
});

t.test('colour is converted by luminance: green is darker than blue is light', async (t) => {
  // Pure blue has low luminance (lots of black), pure yellow high luminance (little black).
  t.ok(coverageOf('srgb_8', [0, 0, 255], 4) > 0.8);
  t.ok(coverageOf('srgb_8', [255, 255, 0], 4) < 0.2);
});

t.test('a roll target keeps the page length', async (t) => {
  const page = createMonoPage(headerFor('sgray_8', 100, 50), { widthDots: 100, xDpi: 600, yDpi: 600, scaling: 'auto' }, 4);
  t.equal(page.height, 50);
  t.equal(page.width, 100);
  t.equal(page.bytesPerRow, 13);
});

t.test('isBlankRow finds a single dot at any position', async (t) => {
  for (const len of [0, 1, 7, 8, 9, 17, 64, 613]) {
    const row = new Uint8Array(len);
    t.ok(isBlankRow(row), `empty ${len}`);
    let isMissed = false;
    for (let i = 0; i < len; i++) {
      row[i] = 1;
      if (isBlankRow(row)) isMissed = true;
      row[i] = 0;
    }
    t.notOk(isMissed, `dots found in ${len}`);
  }
});
