// ESC/POS driver: golden bytes for a known raster, proven by decoding them back to the mono-page bitmap; bands,
// feeds, cuts, streaming, option checks and DLE EOT status against scripted fake ports.
// SPDX-License-Identifier: Apache-2.0
import { readFile, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import t from 'tap';
import type { JobContext, PageContext, RasterDriver } from '../../../drivers/driver.js';
import { createEscposDriver } from '../../../drivers/languages/escpos.js';
import { escposReasons } from '../../../drivers/languages/escpos-status.js';
import { createMonoPage, isBlankRow } from '../../../drivers/languages/mono-page.js';
import type { TransportPort } from '../../../drivers/transports/transport.js';
import { ConfigError } from '../../../src/errors.js';
import { readPwgRaster } from '../../../src/raster/pwg.js';
import type { RasterPageHeader } from '../../../src/raster/types.js';
import { decodeEscpos } from '../../support/escpos-decode.js';
import { bytesPerLine, chunked, encodePwgRaster, seededRandom, type TestPage } from '../../support/raster-writer.js';
import { printOptions } from '../../support/print-options.js';

const log = pino({ level: 'silent' });
const FIXTURE = new URL('../../fixtures/languages/escpos-basic.bin', import.meta.url);

const OPTIONS = printOptions('oe_2.25-receipt_58x1000mm', { x: 203, y: 203 }, 'face-up');

/** An in-memory port that records every write; `hold` makes writes wait until released. */
function recordingPort(preferredChunk = 65536, reply?: (req: Uint8Array) => number[] | undefined): TransportPort & { writes: Uint8Array[]; bytes(): Buffer } {
  const writes: Uint8Array[] = [];
  const inbox: number[] = [];
  let written = 0;
  return {
    uri: 'test:',
    isOpen: true,
    preferredChunk,
    get metrics() {
      return { bytesWritten: written, bytesRead: 0, writeMs: 0 };
    },
    disconnected: new AbortController().signal,
    writes,
    bytes: () => Buffer.concat(writes),
    async write(data) {
      writes.push(Buffer.from(data));
      written += data.length;
      const answer = reply?.(data);
      if (answer) inbox.push(...answer);
    },
    async read(max, signal) {
      while (inbox.length === 0) {
        signal?.throwIfAborted();
        await new Promise((r) => setTimeout(r, 2));
      }
      return Uint8Array.from(inbox.splice(0, max));
    },
    async drain() {},
    async discard() {},
    async close() {},
  };
}

/** Test page: a box outline, a diagonal, blank bands and a gray ramp (for dithering) in one raster. */
function receiptPage(type: 'black_1' | 'sgray_8', width: number, height: number, seed: number): TestPage {
  const rand = seededRandom(seed);
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const blankBand = y < 5 || (y >= 20 && y < 30) || y >= height - 7;
      const ink = !blankBand && (x === 0 || x === width - 1 || y === 5 || x === y || (y > 40 && rand() < x / width));
      if (type === 'black_1') {
        if (ink) pixels[y * bpl + (x >> 3)]! |= 0x80 >> (x & 7);
      } else {
        pixels[y * bpl + x] = blankBand ? 255 : ink ? 0 : 255 - Math.floor((255 * x) / width) * (y > 40 ? 1 : 0);
      }
    }
  }
  return { width, height, type, xDpi: 203, yDpi: 203, pixels };
}

async function printJob(driver: RasterDriver, port: TransportPort, raster: Uint8Array, options = OPTIONS): Promise<{ promises: number; headers: RasterPageHeader[] }> {
  const job: JobContext = { jobId: 1, jobName: 'test', options, port, log, signal: new AbortController().signal };
  const headers: RasterPageHeader[] = [];
  let promises = 0;
  await driver.startJob(job);
  try {
    for await (const p of readPwgRaster(chunked(raster, 4096))) {
      headers.push(p.header);
      const ctx: PageContext = { ...job, page: p.number, header: p.header };
      await driver.startPage(ctx);
      let y = 0;
      for await (const line of p.lines()) {
        const pending = driver.writeLine(ctx, y++, line);
        if (pending !== undefined) {
          promises++;
          await pending;
        }
      }
      await driver.endPage(ctx);
    }
  } finally {
    await driver.endJob(job, 'completed');
  }
  return { promises, headers };
}

/** What the paper should show for a page: mono-page rows with blank rows above and below the ink dropped. */
async function expectedRows(raster: Uint8Array, widthDots: number): Promise<Uint8Array[][]> {
  const pages: Uint8Array[][] = [];
  for await (const p of readPwgRaster(chunked(raster, 4096))) {
    const mono = createMonoPage(p.header, { widthDots, xDpi: 203, yDpi: 203, scaling: 'auto' }, OPTIONS.printQuality);
    const rows: Uint8Array[] = [];
    let y = 0;
    for await (const line of p.lines()) for (const r of mono.rows(line, y++)) rows.push(r.slice());
    const first = rows.findIndex((r) => !isBlankRow(r));
    let last = rows.length - 1;
    while (last >= 0 && isBlankRow(rows[last]!)) last--;
    pages.push(first < 0 ? [] : rows.slice(first, last + 1));
  }
  return pages;
}

const GOLDEN_PAGES = [receiptPage('black_1', 64, 60, 1), receiptPage('sgray_8', 70, 50, 2)];

t.test('a known two-page raster gives the golden ESC/POS bytes, which decode to the mono-page bitmap', async (t) => {
  const driver = createEscposDriver({ 'width-dots': 64, 'band-rows': 24 }, log);
  const port = recordingPort();
  const raster = encodePwgRaster(GOLDEN_PAGES);
  await printJob(driver, port, raster);
  const out = port.bytes();
  if (process.env['UPDATE_FIXTURES'] === '1') await writeFile(FIXTURE, out);
  t.ok(out.equals(await readFile(FIXTURE)), 'output equals test/fixtures/languages/escpos-basic.bin');
  // Hand-checked framing: ESC @, then blank rows 0-4 dropped, so the first command is GS v 0 m=0 x=8 y=15
  // (rows 5-19 of the box, ending at the blank band at 20), then ESC J 10 for rows 20-29.
  t.same([...out.subarray(0, 10)], [0x1b, 0x40, 0x1d, 0x76, 0x30, 0x00, 0x08, 0x00, 0x0f, 0x00]);
  t.same([...out.subarray(10 + 8 * 15, 10 + 8 * 15 + 3)], [0x1b, 0x4a, 10]);
  const decoded = decodeEscpos(out);
  const expected = await expectedRows(raster, 64);
  t.equal(decoded.sheets.length, 2, 'one cut sheet per page');
  for (const [i, sheet] of decoded.sheets.entries()) {
    t.ok(sheet.isCut);
    t.same(sheet.rows.map((r) => Buffer.from(r).toString('hex')), expected[i]!.map((r) => Buffer.from(r).toString('hex')), `page ${i + 1} bitmap`);
  }
  t.same(decoded.commands.filter((c) => c.op === 'cut'), [{ op: 'cut', m: 66, n: 0 }, { op: 'cut', m: 66, n: 0 }]);
});

t.test('bands respect band-rows and band-bytes, and long blank runs become ESC J feeds of at most 255', async (t) => {
  const width = 576;
  const bpl = bytesPerLine('black_1', width);
  const height = 900;
  const pixels = new Uint8Array(bpl * height);
  // Ink on rows 0-199 and 800-899; 600 blank rows between.
  for (let y = 0; y < height; y++) if (y < 200 || y >= 800) pixels.fill(0x5a, y * bpl, (y + 1) * bpl);
  const driver = createEscposDriver({ 'band-rows': 128, 'band-bytes': 4096 }, log);
  const port = recordingPort(1024);
  await printJob(driver, port, encodePwgRaster([{ width, height, type: 'black_1', xDpi: 203, yDpi: 203, pixels }]));
  const decoded = decodeEscpos(port.bytes());
  const rasters = decoded.commands.flatMap((c) => (c.op === 'raster' ? [c] : []));
  t.ok(rasters.every((c) => c.rows <= Math.floor(4096 / 72) && c.rows * c.bytesPerRow <= 4096), 'every band within 4096 bytes');
  t.equal(rasters.reduce((n, c) => n + c.rows, 0), 300, 'all inked rows printed');
  t.same(decoded.commands.flatMap((c) => (c.op === 'feed' ? [c.dots] : [])), [255, 255, 90]);
  t.equal(decoded.sheets[0]!.rows.length, 900);
});

t.test('cut "job" cuts once after the last page, "none" never, and trim-blank-rows false keeps the white', async (t) => {
  const raster = encodePwgRaster(GOLDEN_PAGES);
  const cuts = async (options: Record<string, unknown>): Promise<ReturnType<typeof decodeEscpos>> => {
    const port = recordingPort();
    await printJob(createEscposDriver({ 'width-dots': 64, ...options }, log), port, raster);
    return decodeEscpos(port.bytes());
  };
  const job = await cuts({ cut: 'job', 'cut-kind': 'full', 'cut-feed': 40 });
  t.same(job.commands.filter((c) => c.op === 'cut'), [{ op: 'cut', m: 65, n: 40 }]);
  t.equal(job.commands.at(-1)?.op, 'cut');
  const none = await cuts({ cut: 'none' });
  t.equal(none.commands.filter((c) => c.op === 'cut').length, 0);
  const kept = await cuts({ cut: 'page', 'trim-blank-rows': false });
  t.same(kept.sheets.map((s) => s.rows.length), [60, 50], 'each sheet is as long as its page');
});

t.test('writeLine returns a promise only when it flushed, and every write fits preferredChunk', async (t) => {
  const port = recordingPort(64);
  const { promises } = await printJob(createEscposDriver({ 'width-dots': 64, 'band-rows': 8 }, log), port, encodePwgRaster(GOLDEN_PAGES));
  t.ok(promises >= 6, `${promises} flushes during the pages`);
  t.ok(port.writes.every((w) => w.length <= 64));
  const quiet = recordingPort(1 << 20);
  const big = await printJob(createEscposDriver({ 'width-dots': 64 }, log), quiet, encodePwgRaster(GOLDEN_PAGES));
  t.equal(big.promises, 0, 'nothing flushed before endPage when the chunk is large');
});

t.test('a canceled job sends no cut and drops unsent bands', async (t) => {
  const driver = createEscposDriver({ 'width-dots': 64 }, log);
  const port = recordingPort(1 << 20);
  const job: JobContext = { jobId: 2, jobName: 'x', options: OPTIONS, port, log, signal: new AbortController().signal };
  await driver.startJob(job);
  for await (const p of readPwgRaster(chunked(encodePwgRaster([GOLDEN_PAGES[0]!]), 4096))) {
    const ctx: PageContext = { ...job, page: 1, header: p.header };
    await driver.startPage(ctx);
    let y = 0;
    for await (const line of p.lines()) if (y < 30) await driver.writeLine(ctx, y++, line);
  }
  await driver.endJob(job, 'canceled');
  t.equal(port.bytes().length, 0, 'nothing reached the port');
});

t.test('capabilities describe the receipt printer honestly', async (t) => {
  const wide = createEscposDriver({}, log).capabilities;
  t.same(wide.kind, ['receipt', 'roll']);
  t.same(wide.resolutions, [{ x: 203, y: 203 }]);
  t.equal(wide.media.default, 'oe_3.125-receipt_80x1000mm');
  t.ok(wide.media.supported.includes('roll_max_80x3276mm'));
  // 576 dots at 203 dpi = 72.07 mm printed on 80 mm paper: about 3.96 mm each side.
  t.same(wide.margins, { top: 0, bottom: 0, left: 396, right: 396 });
  t.ok(wide.rasterTypes.includes('black_1') && wide.rasterTypes.includes('sgray_8') && wide.rasterTypes.includes('srgb_8'));
  const narrow = createEscposDriver({ 'width-dots': 384, resolution: 203 }, log).capabilities;
  t.equal(narrow.media.default, 'oe_2.25-receipt_58x1000mm');
  const epson = createEscposDriver({ resolution: 180, 'make-and-model': 'EPSON TM-T88V' }, log).capabilities;
  t.same(epson.resolutions, [{ x: 180, y: 180 }]);
  t.equal(epson.makeAndModel, 'EPSON TM-T88V');
});

t.test('bad options are refused with a ConfigError pointing at the option', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ colour: true }, '/engine/options/colour'],
    [{ 'width-dots': '576' }, '/engine/options/width-dots'],
    [{ 'width-dots': 0 }, '/engine/options/width-dots'],
    [{ resolution: 300 }, '/engine/options/resolution'],
    [{ cut: 'always' }, '/engine/options/cut'],
    [{ media: ['not a size'] }, '/engine/options/media'],
    [{ 'media-ready': ['roll_max_80x3276mm'] }, '/engine/options/media-ready'],
    [{ 'trim-blank-rows': 'yes' }, '/engine/options/trim-blank-rows'],
  ];
  for (const [options, pointer] of cases) {
    let caught: unknown;
    try {
      createEscposDriver(options, log);
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof ConfigError && caught.pointer === pointer, pointer);
  }
  t.throws(() => createEscposDriver({ baud: 115200 }, log), ConfigError, 'link settings belong in the engine URI, not in engine.options');
});

/** Scripted replies to DLE EOT n. */
function statusPort(bytes: Record<number, number>): TransportPort & { writes: Uint8Array[] } {
  return recordingPort(64, (req) => {
    if (req.length === 3 && req[0] === 0x10 && req[1] === 0x04) {
      const b = bytes[req[2]!];
      return b === undefined ? undefined : [b];
    }
    return undefined;
  });
}

t.test('DLE EOT answers map to printer-state-reasons', async (t) => {
  const driver = createEscposDriver({}, log);
  const ok = await driver.status!(statusPort({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 }), log);
  t.same(ok, { reasons: [], supplies: [] });
  // Cover open (offline cause bit 2), offline (bit 3), paper end (sensor bits 5+6).
  const out = await driver.status!(statusPort({ 1: 0x1a, 2: 0x36, 3: 0x12, 4: 0x72 }), log);
  t.same([...out.reasons].sort(), ['cover-open-error', 'media-empty-error', 'offline-report']);
  const low = await driver.status!(statusPort({ 1: 0x12, 2: 0x12, 3: 0x1a, 4: 0x1e }), log);
  t.same([...low.reasons].sort(), ['media-low-report', 'other-error'], 'near end and an autocutter error');
});

t.test('a printer that never answers, or answers garbage, yields no reasons', async (t) => {
  const driver = createEscposDriver({}, log);
  const silent = statusPort({});
  t.same(await driver.status!(silent, log), { reasons: [], supplies: [] });
  t.equal(silent.writes.length, 1, 'stops asking after the first unanswered request');
  t.same(await driver.status!(statusPort({ 1: 0xff, 2: 0x00, 3: 0x80, 4: 0x01 }), log), { reasons: [], supplies: [] });
  t.same(await driver.status!(undefined, log), { reasons: [], supplies: [] });
});

t.test('the status bits of each request are read as the ESC/POS reference defines them', async (t) => {
  t.same(escposReasons({ paperSensor: 0x1e }), ['media-low-report']);
  t.same(escposReasons({ offlineCause: 0x32 }), ['media-empty-error']);
  t.same(escposReasons({ errorCause: 0x52 }), ['other-warning']);
  t.same(escposReasons({}), []);
});

t.test('a status query waits for the band being written instead of landing inside it', async (t) => {
  const driver = createEscposDriver({ 'width-dots': 64 }, log);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const port = statusPort({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 });
  const write = port.write.bind(port);
  let held = false;
  port.write = async (data, signal) => {
    if (!held && data.length > 8) {
      held = true;
      await write(data.subarray(0, 8), signal);
      await gate;
      return write(data.subarray(8), signal);
    }
    return write(data, signal);
  };
  const printing = printJob(driver, port, encodePwgRaster([GOLDEN_PAGES[0]!]));
  await new Promise((r) => setTimeout(r, 20));
  const status = driver.status!(port, log);
  await new Promise((r) => setTimeout(r, 20));
  release();
  await printing;
  t.same((await status).reasons, []);
  const all = Buffer.concat(port.writes);
  const at = all.indexOf(Buffer.from([0x10, 0x04, 0x01]));
  const decoded = decodeEscpos(Buffer.concat([all.subarray(0, at), all.subarray(at + 12)]));
  t.ok(at > 8, 'status request came after the held band');
  t.equal(decoded.sheets.length, 1, 'the band is intact around the status request');
});
