// PCL driver golden-output tests: known PWG raster pages -> exact bytes in test/fixtures/languages/pcl-*.bin, each
// decoded by test/support/pcl-decode.ts and compared with the page itself (mono) or the halftoned page (gray, colour).
// Regenerate the fixtures with PCL_GOLDEN_UPDATE=1 after a deliberate change, then review them with the decoder.
// SPDX-License-Identifier: Apache-2.0
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { createMonoPage } from '../../../drivers/languages/mono-page.js';
import { createColorPage } from '../../../drivers/languages/pcl-color-page.js';
import { createPclDriver } from '../../../drivers/languages/pcl.js';
import { decodePcl, type PclPage } from '../../support/pcl-decode.js';
import { bytesPerLine, seededRandom, type TestPage } from '../../support/raster-writer.js';
import { headerFor } from './page-header.js';
import { quietLog, RecordingPort, runJob } from './pcl-run.js';

const W = 850;
const H = 1100;
const DPI = 100;
/** Printable area of Letter at 100 dpi: 1/4 inch each side, 1/6 inch top and bottom. */
const AREA = { width: 800, height: 1066, left: 25, top: 17 };
/** Where a black_1 page is cut: the centred 25-dot offset rounded to a whole byte, so rows are copied, not shifted. */
const BLACK1_LEFT = 24;

async function golden(t: Test, name: string, output: Buffer): Promise<void> {
  const file = fileURLToPath(new URL(`../../fixtures/languages/${name}`, import.meta.url));
  if (process.env['PCL_GOLDEN_UPDATE'] === '1') await writeFile(file, output);
  const expected = await readFile(file);
  t.equal(expected.length, output.length, `${name}: length`);
  t.ok(expected.equals(output), `${name}: same bytes`);
}

/** A Letter black_1 page: random "text" blocks, solid rules, a diagonal, a tall box with small per-row changes. */
function monoPage(): TestPage {
  const bpl = bytesPerLine('black_1', W);
  const px = new Uint8Array(bpl * H);
  const set = (x: number, y: number): void => {
    px[y * bpl + (x >> 3)] = (px[y * bpl + (x >> 3)] as number) | (0x80 >> (x & 7));
  };
  const rnd = seededRandom(42);
  for (let y = 60; y < 90; y++) for (let x = 40; x < 400; x++) if (rnd() < 0.3) set(x, y);
  for (let y = 300; y < 306; y++) for (let x = 0; x < W; x++) set(x, y);
  for (let i = 0; i < 400; i++) set(100 + i, 400 + i);
  for (let y = 850; y < 1000; y++) {
    for (let x = 200; x < 600; x++) if (x < 204 || x >= 596 || (x - 200 + y) % 50 === 0) set(x, y);
  }
  // Ink in the cropped margins only: must not show.
  for (let y = 0; y < 10; y++) for (let x = 0; x < W; x++) set(x, y);
  return { width: W, height: H, type: 'black_1', xDpi: DPI, yDpi: DPI, pageSizeName: 'na_letter_8.5x11in', pixels: px };
}

/** An sGray page with a horizontal gradient and a mid-gray box. */
function grayPage(): TestPage {
  const px = new Uint8Array(W * H).fill(255);
  for (let y = 100; y < 160; y++) for (let x = 100; x < 740; x++) px[y * W + x] = Math.round(255 - ((x - 100) * 255) / 639);
  for (let y = 300; y < 360; y++) px.fill(128, y * W + 300, y * W + 500);
  return { width: W, height: H, type: 'sgray_8', xDpi: DPI, yDpi: DPI, pageSizeName: 'na_letter_8.5x11in', pixels: px };
}

const BARS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0], [0, 255, 0], [0, 0, 255], [0, 255, 255], [255, 0, 255], [255, 255, 0], [0, 0, 0], [128, 128, 128],
];

/** An sRGB page with eight colour bars (red, green, blue, cyan, magenta, yellow, black, gray). */
function colorPage(): TestPage {
  const px = new Uint8Array(W * 3 * H).fill(255);
  for (let y = 200; y < 240; y++) {
    for (let x = 100; x < 500; x++) {
      const bar = BARS[Math.floor((x - 100) / 50)] as readonly [number, number, number];
      px.set(bar, (y * W + x) * 3);
    }
  }
  return { width: W, height: H, type: 'srgb_8', xDpi: DPI, yDpi: DPI, pageSizeName: 'na_letter_8.5x11in', pixels: px };
}

/** The page's rows as the halftoned pipeline makes them (what the engine must print). */
function expectedMono(page: TestPage, quality: number): Uint8Array[] {
  const header = headerFor(page.type, page.width, page.height, page.xDpi);
  const mono = createMonoPage(header, { widthDots: AREA.width, heightDots: AREA.height, xDpi: DPI, yDpi: DPI, scaling: 'auto' }, quality);
  const bpl = header.bytesPerLine;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < page.height; y++) for (const r of mono.rows(page.pixels.subarray(y * bpl, (y + 1) * bpl), y)) rows.push(Uint8Array.from(r));
  return rows;
}

function onlyPage(t: Test, output: Buffer): PclPage {
  const doc = decodePcl(output);
  t.equal(doc.pages.length, 1, 'one page');
  return doc.pages[0] as PclPage;
}

t.test('a black_1 Letter page prints as the golden bytes, decoding to the page cropped to the printable area', async (t) => {
  const page = monoPage();
  const driver = createPclDriver({ resolution: DPI }, quietLog());
  const run = await runJob(driver, [page], new RecordingPort());
  await golden(t, 'pcl-mono-black1.bin', run.output);
  const doc = decodePcl(run.output);
  t.same(doc.commands.slice(0, 3).map((c) => c.name), ['E', '&lA', '&lE']);
  t.equal(doc.commands.at(-1)?.name, 'E', 'reset at the end');
  t.equal(doc.commands.at(-2)?.name, 'FF', 'form feed before it');
  const pcl = onlyPage(t, run.output);
  t.match(pcl, { resolution: DPI, width: AREA.width, height: AREA.height, planes: 1, pageSize: 2 });
  // Independent expectation: the source bits shifted by the margins, bit by bit.
  const bpl = bytesPerLine('black_1', W);
  let wrongRows = 0;
  for (let y = 0; y < AREA.height; y++) {
    const want = new Uint8Array(AREA.width / 8);
    for (let x = 0; x < AREA.width; x++) {
      const sx = x + BLACK1_LEFT;
      const sy = y + AREA.top;
      if ((((page.pixels[sy * bpl + (sx >> 3)] as number) >> (7 - (sx & 7))) & 1) === 1) want[x >> 3] = (want[x >> 3] as number) | (0x80 >> (x & 7));
    }
    if (!Buffer.from(want).equals(pcl.rows[0]?.[y] as Uint8Array)) wrongRows++;
  }
  t.equal(wrongRows, 0, 'bitmap equals the cropped input');
});

t.test('rows are compressed with both modes, switching mode only when it changes', async (t) => {
  const run = await runJob(createPclDriver({ resolution: DPI }, quietLog()), [monoPage()], new RecordingPort());
  const doc = decodePcl(run.output);
  const modes = doc.commands.filter((c) => c.name === '*bM').map((c) => c.value);
  t.ok(modes.includes(2) && modes.includes(3), `modes ${modes.join(',')}`);
  t.ok(modes.every((m, i) => i === 0 || m !== modes[i - 1]), 'no repeated ESC*b#M');
  const transfers = doc.commands.filter((c) => c.name === '*bW');
  const skips = doc.commands.filter((c) => c.name === '*bY');
  t.ok(skips.length > 0, 'blank rows skipped');
  // Only inked rows are transferred (rows 0..9 of the source are cropped by the 17-row top margin).
  const inked = onlyPage(t, run.output).rows[0]?.filter((r) => r.some((b) => b !== 0)).length;
  t.equal(transfers.length, inked);
  t.ok(run.output.length < 12000, `output ${run.output.length} bytes is compressed`);
});

t.test('a gray page is halftoned: golden bytes (error diffusion) decode to the halftoned rows', async (t) => {
  const page = grayPage();
  for (const quality of [3, 4, 5]) {
    const run = await runJob(createPclDriver({ resolution: DPI }, quietLog()), [page], new RecordingPort(), { printQuality: quality });
    if (quality === 5) await golden(t, 'pcl-mono-gray-high.bin', run.output);
    const pcl = onlyPage(t, run.output);
    const want = expectedMono(page, quality);
    t.equal(want.length, AREA.height);
    let wrongRows = 0;
    for (let y = 0; y < AREA.height; y++) if (!Buffer.from(want[y] as Uint8Array).equals(pcl.rows[0]?.[y] as Uint8Array)) wrongRows++;
    t.equal(wrongRows, 0, `quality ${quality}: bitmap equals the halftoned page`);
    // The mid-gray box is about half inked.
    let dots = 0;
    for (let y = 300 - AREA.top; y < 360 - AREA.top; y++) {
      const row = pcl.rows[0]?.[y] as Uint8Array;
      for (let x = 300 - AREA.left; x < 500 - AREA.left; x++) dots += ((row[x >> 3] as number) >> (7 - (x & 7))) & 1;
    }
    t.ok(Math.abs(dots / (200 * 60) - 0.5) < 0.03, `quality ${quality}: 50% gray box has ${dots / 120}% dots`);
  }
});

t.test('a colour page on a colour engine prints CMY planes: golden bytes decode to the halftoned planes', async (t) => {
  const page = colorPage();
  const driver = createPclDriver({ resolution: DPI, color: true }, quietLog());
  t.same(driver.capabilities.colorModes, ['auto', 'color', 'monochrome']);
  const run = await runJob(driver, [page], new RecordingPort(), { printColorMode: 'color' });
  await golden(t, 'pcl-color-cmy.bin', run.output);
  const doc = decodePcl(run.output);
  t.ok(doc.commands.some((c) => c.name === '*rU' && c.value === -3), 'ESC*r-3U');
  t.ok(doc.commands.some((c) => c.name === '*bV'), 'plane transfers');
  const pcl = onlyPage(t, run.output);
  t.equal(pcl.planes, 3);
  const header = headerFor('srgb_8', W, H, DPI);
  const color = createColorPage(header, { widthDots: AREA.width, heightDots: AREA.height, xDpi: DPI, yDpi: DPI, scaling: 'auto' }, 4);
  let wrong = 0;
  let r = 0;
  for (let y = 0; y < H; y++) {
    for (const planes of color.rows(page.pixels.subarray(y * W * 3, (y + 1) * W * 3), y)) {
      for (let p = 0; p < 3; p++) if (!Buffer.from(planes[p] as Uint8Array).equals(pcl.rows[p]?.[r] as Uint8Array)) wrong++;
      r++;
    }
  }
  t.equal(r, AREA.height);
  t.equal(wrong, 0, 'planes equal the halftoned page');
  // Red bar (source x 100..149): no cyan, full magenta and yellow.
  const row = 220 - AREA.top;
  const byteAt = (p: number, x: number): number => pcl.rows[p]?.[row]?.[(x - AREA.left) >> 3] as number;
  t.same([byteAt(0, 120), byteAt(1, 120), byteAt(2, 120)], [0, 0xff, 0xff], 'red = M + Y');
  t.same([byteAt(0, 420), byteAt(1, 420), byteAt(2, 420)], [0xff, 0xff, 0xff], 'black = C + M + Y');
});

t.test('a colour engine prints monochrome jobs and gray pages as one plane', async (t) => {
  const driver = createPclDriver({ resolution: DPI, color: true }, quietLog());
  const mono = decodePcl((await runJob(driver, [colorPage()], new RecordingPort(), { printColorMode: 'monochrome' })).output);
  t.equal(mono.pages[0]?.planes, 1);
  t.ok(mono.commands.some((c) => c.name === '*rU' && c.value === 1));
  const gray = decodePcl((await runJob(driver, [grayPage()], new RecordingPort(), { printColorMode: 'color' })).output);
  t.equal(gray.pages[0]?.planes, 1);
});
