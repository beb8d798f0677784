// PCL driver behaviour around the bytes: options and capabilities, duplex and copies, bands and promises on a
// recording port, status from USB port status, cancel, and pages whose headers state impossible sizes.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { JobContext, PageContext } from '../../../drivers/driver.js';
import { createPclDriver } from '../../../drivers/languages/pcl.js';
import { ConfigError, DriverError } from '../../../src/errors.js';
import { decodePcl } from '../../support/pcl-decode.js';
import { bytesPerLine, seededRandom, type TestPage } from '../../support/raster-writer.js';
import { headerFor } from './page-header.js';
import { OPTIONS, quietLog, RecordingPort, runJob } from './pcl-run.js';

/** A small Letter page at 75 dpi with random ink on every other row. */
function noisyPage(seed: number, type: 'black_1' | 'sgray_8' = 'black_1'): TestPage {
  const w = 638;
  const h = 825;
  const bpl = bytesPerLine(type, w);
  const rnd = seededRandom(seed);
  const px = new Uint8Array(bpl * h).fill(type === 'black_1' ? 0 : 255);
  for (let y = 0; y < h; y += 2) for (let i = 0; i < bpl; i++) px[y * bpl + i] = Math.floor(rnd() * 256);
  return { width: w, height: h, type, xDpi: 75, yDpi: 75, pageSizeName: 'na_letter_8.5x11in', pixels: px };
}

t.test('default options give an honest monochrome Letter/A4 engine at 600 and 300 dpi', async (t) => {
  const caps = createPclDriver({}, quietLog()).capabilities;
  t.same(caps.resolutions, [{ x: 600, y: 600 }, { x: 300, y: 300 }]);
  t.same(caps.kind, ['document']);
  t.same(caps.colorModes, ['auto', 'monochrome']);
  t.same(caps.sides, ['one-sided']);
  t.ok(caps.rasterTypes.includes('black_1') && caps.rasterTypes.includes('sgray_8') && caps.rasterTypes.includes('srgb_8'));
  t.equal(caps.media.default, 'na_letter_8.5x11in');
  t.same(caps.margins, { top: 423, bottom: 423, left: 635, right: 635 });
});

t.test('board options shape the capabilities', async (t) => {
  const caps = createPclDriver(
    { 'make-and-model': 'HP LaserJet P2055dn', resolution: 600, duplex: true, color: false, ppm: 35, media: ['iso_a4_210x297mm', 'na_letter_8.5x11in'], 'media-ready': ['iso_a4_210x297mm'] },
    quietLog(),
  ).capabilities;
  t.equal(caps.makeAndModel, 'HP LaserJet P2055dn');
  t.same(caps.resolutions, [{ x: 600, y: 600 }]);
  t.same(caps.sides, ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge']);
  t.equal(caps.media.default, 'iso_a4_210x297mm');
  t.equal(caps.ppm, 35);
});

t.test('bad options are refused with a ConfigError pointing at the option', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ speed: 3 }, '/engine/options/speed'],
    [{ resolution: [300, 600] }, '/engine/options/resolution'],
    [{ resolution: 333 }, '/engine/options/resolution'],
    [{ color: 'yes' }, '/engine/options/color'],
    [{ media: ['letter'] }, '/engine/options/media'],
    [{ 'media-ready': ['iso_a3_297x420mm'] }, '/engine/options/media-ready'],
  ];
  for (const [options, pointer] of cases) {
    let caught: unknown;
    try {
      createPclDriver(options, quietLog());
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof ConfigError && caught.pointer === pointer, pointer);
  }
});

t.test('duplex is sent once per job only when the engine has it and the job asks for it', async (t) => {
  const duplexOf = async (options: Record<string, unknown>, sides: string): Promise<number[]> => {
    const run = await runJob(createPclDriver({ resolution: 75, ...options }, quietLog()), [noisyPage(1)], new RecordingPort(), { sides });
    return decodePcl(run.output).commands.filter((c) => c.name === '&lS').map((c) => c.value);
  };
  t.same(await duplexOf({ duplex: true }, 'two-sided-long-edge'), [1]);
  t.same(await duplexOf({ duplex: true }, 'two-sided-short-edge'), [2]);
  t.same(await duplexOf({ duplex: true }, 'one-sided'), []);
  t.same(await duplexOf({}, 'two-sided-long-edge'), []);
});

t.test('a duplex copy after an odd page count starts on a new sheet', async (t) => {
  const driver = createPclDriver({ resolution: 75, duplex: true }, quietLog());
  const port = new RecordingPort();
  const log = quietLog();
  const ctx: JobContext = { jobId: 7, jobName: 'c', options: { ...OPTIONS, sides: 'two-sided-long-edge' }, port, log, signal: new AbortController().signal };
  const header = headerFor('black_1', 638, 4, 75, 75, { pageSizeName: 'na_letter_8.5x11in' });
  await driver.startJob(ctx);
  // Copy 1 has one page, copy 2 starts again at page 1.
  for (const page of [1, 1]) {
    const pctx: PageContext = { ...ctx, page, header };
    await driver.startPage(pctx);
    for (let y = 0; y < 4; y++) await driver.writeLine(pctx, y, new Uint8Array(80).fill(0xff));
    await driver.endPage(pctx);
  }
  await driver.endJob(ctx, 'completed');
  const names = decodePcl(port.output()).commands.map((c) => `${c.name}${c.value}`);
  t.equal(names.filter((n) => n === '&aG1').length, 1);
  t.ok(names.indexOf('&aG1') > names.indexOf('FF0'), 'after the first copy');
  t.equal(names.filter((n) => n === '&lA2').length, 1, 'page size sent once for unchanged media');
});

t.test('output goes to the port in bands of preferredChunk, and writeLine returns a promise only when it wrote', async (t) => {
  for (const chunk of [64, 1000, 8192]) {
    const port = new RecordingPort(chunk);
    const run = await runJob(createPclDriver({ resolution: 75 }, quietLog()), [noisyPage(3), noisyPage(4)], port);
    t.ok(run.promises > 0, `chunk ${chunk}: some writeLine calls flushed (${run.promises})`);
    t.ok(run.promises < run.lineCalls, `chunk ${chunk}: not every call flushed`);
    t.equal(run.silentWrites, 0, `chunk ${chunk}: no write without a promise`);
    t.equal(run.emptyPromises, 0, `chunk ${chunk}: every promise wrote`);
    t.ok(port.writes.every((w) => w.length <= chunk), `chunk ${chunk}: no write above the chunk`);
    const full = port.writes.filter((w) => w.length === chunk).length;
    t.ok(full >= port.writes.length - 4, `chunk ${chunk}: all but the page/job tails are full bands (${full}/${port.writes.length})`);
    t.equal(decodePcl(run.output).pages.length, 2);
  }
});

t.test('band output is the same bytes whatever the chunk size', async (t) => {
  const a = await runJob(createPclDriver({ resolution: 75 }, quietLog()), [noisyPage(5, 'sgray_8')], new RecordingPort(64));
  const b = await runJob(createPclDriver({ resolution: 75 }, quietLog()), [noisyPage(5, 'sgray_8')], new RecordingPort(1 << 20));
  t.ok(a.output.equals(b.output));
});

t.test('status maps USB port status to printer-state-reasons and reports nothing it cannot know', async (t) => {
  const driver = createPclDriver({}, quietLog());
  const log = quietLog();
  const status = driver.status;
  if (status === undefined) throw new Error('status missing');
  const withStatus = (s: RecordingPort['status']): RecordingPort => {
    const port = new RecordingPort();
    Object.assign(port, {
      portStatus: async () => {
        if (s instanceof Error) throw s;
        return s;
      },
    });
    return port;
  };
  t.same(await status.call(driver, undefined, log), { reasons: [], supplies: [] });
  t.same(await status.call(driver, new RecordingPort(), log), { reasons: [], supplies: [] });
  t.same((await status.call(driver, withStatus({ paperEmpty: true, selected: true, error: true }), log)).reasons, ['media-empty-error']);
  t.same((await status.call(driver, withStatus({ paperEmpty: false, selected: false, error: false }), log)).reasons, ['offline-report']);
  t.same((await status.call(driver, withStatus({ paperEmpty: false, selected: true, error: true }), log)).reasons, ['other-error']);
  t.same((await status.call(driver, withStatus({ paperEmpty: false, selected: true, error: false }), log)).reasons, []);
  t.same(await status.call(driver, withStatus(new Error('stall')), log), { reasons: [], supplies: [] });
});

t.test('a job cut off mid-page resets the engine and endJob does not throw when the port is gone', async (t) => {
  const driver = createPclDriver({ resolution: 75 }, quietLog());
  const port = new RecordingPort(64);
  const log = quietLog();
  const ctx: JobContext = { jobId: 2, jobName: 'x', options: OPTIONS, port, log, signal: new AbortController().signal };
  const header = headerFor('black_1', 638, 825, 75, 75, { pageSizeName: 'na_letter_8.5x11in' });
  const pctx: PageContext = { ...ctx, page: 1, header };
  await driver.startJob(ctx);
  await driver.startPage(pctx);
  for (let y = 0; y < 100; y++) await driver.writeLine(pctx, y, new Uint8Array(80).fill(y));
  await driver.endJob(ctx, 'canceled');
  t.ok(port.output().subarray(-6).equals(Buffer.from('\x1b*rB\x1bE', 'latin1')), 'ends raster and resets');
  const gone = new RecordingPort(64);
  gone.failAfter = 0;
  const ctx2: JobContext = { ...ctx, jobId: 3, port: gone };
  await driver.startJob(ctx2);
  await t.resolves(driver.endJob(ctx2, 'aborted'));
  t.throws(() => driver.writeLine({ ...ctx2, page: 1, header }, 0, new Uint8Array(80)), DriverError, 'ended job is gone');
});

t.test('a header stating an impossible size allocates only the printable area', async (t) => {
  const driver = createPclDriver({ resolution: 300 }, quietLog());
  const port = new RecordingPort();
  const log = quietLog();
  const ctx: JobContext = { jobId: 4, jobName: 'big', options: OPTIONS, port, log, signal: new AbortController().signal };
  const header = headerFor('srgb_8', 0xffffff, 0xffffff, 300, 300, { pageSizeName: 'custom_huge_5000x5000mm' });
  const pctx: PageContext = { ...ctx, page: 1, header };
  const before = process.memoryUsage().arrayBuffers;
  await driver.startJob(ctx);
  await driver.startPage(pctx);
  const grew = process.memoryUsage().arrayBuffers - before;
  t.ok(grew < 8 * 1024 * 1024, `page setup allocated ${grew} bytes`);
  // A short line (the reader would have refused it) must not break the driver either.
  for (let y = 0; y < 10; y++) await driver.writeLine(pctx, y, new Uint8Array(30));
  await driver.endPage(pctx);
  await driver.endJob(ctx, 'completed');
  const page = decodePcl(port.output()).pages[0];
  t.equal(page?.width, 2400, 'Letter printable width at 300 dpi (job media)');
});
