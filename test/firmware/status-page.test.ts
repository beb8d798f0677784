// The status page: the PWG raster writer round-trips through the project's own PWG reader, the page carries the
// text on the default media at the default resolution, and printing it runs a job through the engine.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readPwgRaster } from '../../src/raster/pwg.js';
import { encodeGrayPage, packLine, type GrayPage } from '../../src/firmware/status-page-pwg.js';
import { mediaSizeInches, printStatusPage, statusPage, statusPageLines, type StatusPageInfo } from '../../src/firmware/status-page.js';
import { glyphRows } from '../../src/firmware/status-page-font.js';
import { makeTestPrinter } from '../support/fake-engine.js';

async function* chunks(page: GrayPage): AsyncGenerator<Uint8Array> {
  for (const c of encodeGrayPage(page)) yield c;
}

/** Every decoded line of a one-page document, with its header. */
async function decode(page: GrayPage): Promise<{ width: number; height: number; xDpi: number; media: string; lines: Buffer[] }> {
  for await (const p of readPwgRaster(chunks(page))) {
    const lines: Buffer[] = [];
    for await (const line of p.lines()) lines.push(Buffer.from(line));
    return { width: p.header.width, height: p.header.height, xDpi: p.header.xDpi, media: p.header.pageSizeName, lines };
  }
  throw new Error('no page');
}

/** A deterministic test pattern: runs, literals, blank stretches longer than 256 lines. */
function patternPage(width: number, height: number): GrayPage {
  return {
    width,
    height,
    dpi: 100,
    media: 'oe_test_1x1in',
    drawLine(y, line) {
      if (y >= 300 && y < 600) return;
      for (let x = 0; x < width; x++) if ((x * 7 + y * 3) % 11 < 3 || (y % 50 === 0 && x > width / 2)) line[x] = (x * 31 + y) & 0xff;
    },
  };
}

t.test('the PWG writer round-trips through the PWG reader line for line', async (t) => {
  const page = patternPage(97, 700);
  const doc = await decode(page);
  t.equal(doc.width, 97);
  t.equal(doc.height, 700);
  t.equal(doc.xDpi, 100);
  t.equal(doc.media, 'oe_test_1x1in');
  const want = Buffer.alloc(97);
  let mismatches = 0;
  for (let y = 0; y < 700; y++) {
    want.fill(0xff);
    page.drawLine(y, want);
    if (!want.equals(doc.lines[y] ?? Buffer.alloc(0))) mismatches++;
  }
  t.equal(mismatches, 0);
});

t.test('PackBits runs: repeats as count-1 then the byte, literals as 257-n then the bytes', async (t) => {
  t.same([...packLine(Buffer.from([5, 5, 5, 1, 2, 3, 9, 9]))], [2, 5, 254, 1, 2, 3, 1, 9]);
  t.same([...packLine(Buffer.from([7]))], [0, 7]);
  t.same([...packLine(Buffer.alloc(300, 0xff))], [127, 0xff, 127, 0xff, 43, 0xff]);
});

t.test('media sizes come from PWG self-describing names', async (t) => {
  t.same(mediaSizeInches('na_letter_8.5x11in'), { width: 8.5, height: 11 });
  const a4 = mediaSizeInches('iso_a4_210x297mm');
  t.equal(a4?.width.toFixed(4), (210 / 25.4).toFixed(4));
  t.equal(a4?.height.toFixed(4), (297 / 25.4).toFixed(4));
  t.equal(mediaSizeInches('custom'), undefined);
});

const INFO: StatusPageInfo = {
  name: 'Office Printer',
  state: 'idle',
  reasons: [],
  uri: 'ipp://printer.local:631/ipp/print',
  firmwareVersion: '0.1.0',
  uuid: 'urn:uuid:6a1e0b5c-6f0c-4c6a-9a64-2f8c2c8d5e01',
  queuedJobs: 2,
  time: new Date('2026-01-02T03:04:05.678Z'),
};

t.test('the page lists name, state, URI, version and uuid', async (t) => {
  const lines = statusPageLines(INFO);
  t.equal(lines[0], 'IPPBRIDGE STATUS');
  for (const want of ['NAME: Office Printer', 'STATE: idle', 'REASONS: none', 'URI: ipp://printer.local:631/ipp/print', 'FIRMWARE: 0.1.0', 'UUID: 6a1e0b5c-6f0c-4c6a-9a64-2f8c2c8d5e01', 'TIME: 2026-01-02T03:04:05Z', 'QUEUED JOBS: 2']) {
    t.ok(lines.includes(want), want);
  }
});

t.test('the text is drawn on A4 at 300 dpi: the title glyphs appear where the layout puts them', async (t) => {
  const page = statusPage(['I'], 'iso_a4_210x297mm', 300);
  t.equal(page.width, 2480);
  t.equal(page.height, 3508);
  const doc = await decode(page);
  // Title scale 6 (2 x 300/100), margin 75 px: row 0 of 'I' (0x0e) is dark at columns 1-3 of the glyph.
  const row = doc.lines[75] ?? Buffer.alloc(0);
  const dark = [...row].flatMap((v, x) => (v === 0 ? [x] : []));
  t.same(dark, Array.from({ length: 18 }, (_, i) => 75 + 6 + i), 'three 6-px glyph columns');
  t.equal((glyphRows('I')[0] ?? 0).toString(2), '1110');
  t.ok(doc.lines.slice(0, 75).every((l) => l.every((v) => v === 0xff)), 'nothing above the margin');
});

t.test('a status page printed on the printer runs as a job through the engine', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const job = await printStatusPage(printer, INFO);
  for (let i = 0; i < 200 && !job.isTerminal; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(job.state, 'completed');
  t.equal(job.record.user, 'ippbridge');
  t.equal(engine.jobs.length, 1);
  t.match(engine.jobs[0]?.pages[0], { width: 2480, height: 3508 });
});
