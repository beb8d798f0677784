// ZPL driver: golden label bytes for a known raster, proven by decoding the ^GFA graphic back to the mono-page
// bitmap; compression round trips; settings commands; option checks; ~HS status from scripted fake ports.
// SPDX-License-Identifier: Apache-2.0
import { readFile, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import t from 'tap';
import type { JobContext, PageContext, RasterDriver } from '../../../drivers/driver.js';
import { createMonoPage } from '../../../drivers/languages/mono-page.js';
import { createZplDriver } from '../../../drivers/languages/zpl.js';
import { ZplRowEncoder } from '../../../drivers/languages/zpl-compress.js';
import { parseZplHostStatus, zplReasons } from '../../../drivers/languages/zpl-status.js';
import type { TransportPort } from '../../../drivers/transports/transport.js';
import { ConfigError, DriverError } from '../../../src/errors.js';
import { readPwgRaster } from '../../../src/raster/pwg.js';
import type { RasterPageHeader } from '../../../src/raster/types.js';
import { bytesPerLine, chunked, encodePwgRaster, seededRandom, type TestPage } from '../../support/raster-writer.js';
import { decodeZpl, decodeZplAscii } from '../../support/zpl-decode.js';
import { printOptions } from '../../support/print-options.js';

const log = pino({ level: 'silent' });
const FIXTURE = new URL('../../fixtures/languages/zpl-basic.zpl', import.meta.url);
const MEDIA = 'oe_0.5x0.25-label_0.5x0.25in';

const OPTIONS = printOptions(MEDIA, { x: 203, y: 203 }, 'face-up');

function recordingPort(preferredChunk = 65536, reply?: (req: Uint8Array) => Uint8Array[] | undefined): TransportPort & { writes: Uint8Array[]; text(): string } {
  const writes: Uint8Array[] = [];
  const inbox: Uint8Array[] = [];
  return {
    uri: 'test:',
    isOpen: true,
    preferredChunk,
    metrics: { bytesWritten: 0, bytesRead: 0, writeMs: 0 },
    disconnected: new AbortController().signal,
    writes,
    text: () => Buffer.concat(writes).toString('latin1'),
    async write(data) {
      writes.push(Buffer.from(data));
      const answer = reply?.(data);
      if (answer) inbox.push(...answer);
    },
    async read(_max, signal) {
      while (inbox.length === 0) {
        signal?.throwIfAborted();
        await new Promise((r) => setTimeout(r, 2));
      }
      return inbox.shift()!;
    },
    async drain() {},
    async discard() {},
    async close() {},
  };
}

/** A 102x51 dot label at 203 dpi: frame, diagonal, solid bar, blank rows, repeated rows, gray ramp for sgray. */
function labelPage(type: 'black_1' | 'sgray_8', seed: number): TestPage {
  const width = 102;
  const height = 51;
  const rand = seededRandom(seed);
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ink = x === 0 || x === width - 1 || y === 0 || y === height - 1 || x === 2 * y || (y >= 10 && y < 14) || (y > 30 && rand() < 0.2);
      if (type === 'black_1') {
        if (ink && !(y >= 20 && y < 25)) pixels[y * bpl + (x >> 3)]! |= 0x80 >> (x & 7);
      } else {
        pixels[y * bpl + x] = ink ? 0 : 255 - Math.floor((200 * x) / width);
      }
    }
  }
  return { width, height, type, xDpi: 203, yDpi: 203, pixels };
}

async function printJob(driver: RasterDriver, port: TransportPort, raster: Uint8Array, options = OPTIONS): Promise<RasterPageHeader[]> {
  const job: JobContext = { jobId: 1, jobName: 'test', options, port, log, signal: new AbortController().signal };
  const headers: RasterPageHeader[] = [];
  await driver.startJob(job);
  try {
    for await (const p of readPwgRaster(chunked(raster, 4096))) {
      headers.push(p.header);
      const ctx: PageContext = { ...job, page: p.number, header: p.header };
      await driver.startPage(ctx);
      let y = 0;
      for await (const line of p.lines()) t.equal(driver.writeLine(ctx, y++, line), undefined);
      await driver.endPage(ctx);
    }
  } finally {
    await driver.endJob(job, 'completed');
  }
  return headers;
}

async function monoRows(raster: Uint8Array, widthDots: number, heightDots: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const p of readPwgRaster(chunked(raster, 4096))) {
    const mono = createMonoPage(p.header, { widthDots, heightDots, xDpi: 203, yDpi: 203, scaling: 'auto' }, OPTIONS.printQuality);
    const rows: string[] = [];
    let y = 0;
    for await (const line of p.lines()) for (const r of mono.rows(line, y++)) rows.push(Buffer.from(r).toString('hex'));
    pages.push(rows);
  }
  return pages;
}

t.test('a known two-page raster gives the golden ZPL, whose graphics decode to the mono-page bitmap', async (t) => {
  const driver = createZplDriver({ darkness: 12, 'print-speed': 4, 'media-tracking': 'gap', media: [MEDIA] }, log);
  const port = recordingPort();
  const raster = encodePwgRaster([labelPage('black_1', 1), labelPage('sgray_8', 2)]);
  await printJob(driver, port, raster);
  const text = port.text();
  if (process.env['UPDATE_FIXTURES'] === '1') await writeFile(FIXTURE, text, 'latin1');
  t.equal(text, await readFile(FIXTURE, 'latin1'), 'output equals test/fixtures/languages/zpl-basic.zpl');
  // Hand-checked head: darkness, then the label format with tracking, speed, width/length of 0.5x0.25 in.
  t.ok(text.startsWith('~SD12\n^XA\n^MNY\n^PR4\n^PW102\n^LL51\n^LH0,0\n^FO0,0^GFA,663,663,13,'), text.slice(0, 80));
  const labels = decodeZpl(text);
  t.equal(labels.length, 2);
  const expected = await monoRows(raster, 102, 51);
  for (const [i, label] of labels.entries()) {
    const g = label.graphic!;
    t.equal(g.format, 'A');
    t.equal(g.binaryBytes, 13 * 51);
    t.equal(g.fieldBytes, 13 * 51);
    t.same(g.rows.map((r) => Buffer.from(r).toString('hex')), expected[i], `label ${i + 1} bitmap`);
    t.same(label.commands.at(-1), ['^PQ', '1']);
    t.same(label.before, [['~SD', '12']]);
  }
  t.ok(labels[0]!.graphic!.data.includes(':'), 'repeated rows use ":"');
  t.ok(labels[0]!.graphic!.data.length < 13 * 51, 'the graphic is compressed');
});

t.test('compression round-trips random rows of every shape', async (t) => {
  const rand = seededRandom(42);
  for (let trial = 0; trial < 300; trial++) {
    const bpr = 1 + Math.floor(rand() * 320);
    const enc = new ZplRowEncoder(bpr);
    const rows: Uint8Array[] = [];
    let text = '';
    for (let r = 0; r < 12; r++) {
      const row = new Uint8Array(bpr);
      const kind = Math.floor(rand() * 6);
      if (kind === 1) row.fill(0xff);
      else if (kind === 2 && rows.length > 0) row.set(rows.at(-1)!);
      else if (kind >= 3) {
        // Runs of random length of a few byte values, optional zero or 0xff tail.
        for (let i = 0; i < bpr; ) {
          const len = 1 + Math.floor(rand() * (kind === 5 ? 300 : 12));
          const v = [0x00, 0xff, 0xaa, 0x0f, 0xf0, Math.floor(rand() * 256)][Math.floor(rand() * 6)]!;
          row.fill(v, i, Math.min(bpr, i + len));
          i += len;
        }
      }
      rows.push(row);
      text += Buffer.from(enc.encode(row)).toString('latin1');
    }
    const back = decodeZplAscii(text, bpr);
    if (back.length !== rows.length || back.some((b, i) => Buffer.compare(b, rows[i]!) !== 0)) {
      t.fail(`round trip failed for ${bpr} bytes per row: ${text.slice(0, 120)}`);
      return;
    }
  }
  t.pass('300 random graphics decoded back to their rows');
});

t.test('rows compress to the ZPL ASCII codes by hand', async (t) => {
  const enc = new ZplRowEncoder(4);
  const code = (bytes: number[]): string => Buffer.from(enc.encode(Uint8Array.from(bytes))).toString('latin1');
  t.equal(code([0, 0, 0, 0]), ',', 'all zero: ","');
  t.equal(code([0, 0, 0, 0]), ':', 'same as the previous row: ":"');
  t.equal(code([0xff, 0xff, 0xff, 0xff]), '!', 'all ones: "!"');
  t.equal(code([0x12, 0x00, 0x00, 0x00]), '12,', 'zero tail');
  t.equal(code([0x00, 0x00, 0x0f, 0xff]), 'K0!', 'five zeros (K = 5), then a ones tail');
  t.equal(code([0x10, 0x00, 0x00, 0x01]), '1L01', 'six zeros (L) inside the row');
  const wide = new ZplRowEncoder(256);
  const row = new Uint8Array(256).fill(0xaa);
  row[255] = 0xa5;
  // 511 'A' nibbles = 419 (zY) + 92 (4 x 20 = 'j', 12 = 'R'), then '5'.
  t.equal(Buffer.from(wide.encode(row)).toString('latin1'), 'zYAjRA5');
});

t.test('settings become ~SD, ^MN, ^PR; absent settings leave the printer configuration alone', async (t) => {
  const raster = encodePwgRaster([labelPage('black_1', 3)]);
  const plain = recordingPort();
  await printJob(createZplDriver({ media: [MEDIA] }, log), plain, raster);
  const label = decodeZpl(plain.text())[0]!;
  t.same(label.before, []);
  t.same(label.commands.map(([n]) => n), ['^PW', '^LL', '^LH', '^FO', '^GF', '^FS', '^PQ']);
  const marked = recordingPort();
  await printJob(createZplDriver({ media: [MEDIA], 'media-tracking': 'mark', darkness: 5 }, log), marked, raster);
  t.ok(marked.text().startsWith('~SD05\n^XA\n^MNM\n'));
  const cont = recordingPort();
  await printJob(createZplDriver({ media: [MEDIA], 'media-tracking': 'continuous' }, log), cont, raster);
  t.match(cont.text(), /\^MNN\n/);
});

t.test('the label is as wide as the media (up to the head) and as long as the media', async (t) => {
  const port = recordingPort();
  const wide = { ...OPTIONS, media: 'na_index-4x6_4x6in' };
  await printJob(createZplDriver({}, log), port, encodePwgRaster([labelPage('black_1', 4)]), wide);
  const label = decodeZpl(port.text())[0]!;
  t.same(label.commands.slice(0, 2), [['^PW', '812'], ['^LL', '1218']]);
  t.equal(label.graphic!.rows.length, 1218);
  t.equal(label.graphic!.bytesPerRow, 102);
});

t.test('a label graphic beyond the size cap is refused with a DriverError', async (t) => {
  const driver = createZplDriver({ resolution: 600 }, log);
  const options = { ...OPTIONS, media: 'roll_max_4.09x39.6in', resolution: { x: 600, y: 600 } };
  const header: RasterPageHeader = {
    width: 2400, height: 23760, xDpi: 600, yDpi: 600, colorSpace: 'black', bitsPerColor: 1, numColors: 1, bitsPerPixel: 1,
    bytesPerLine: 300, pageSizeName: '', pageWidthPt: 288, pageHeightPt: 2851, duplex: false, tumble: false, printQuality: 0, totalPageCount: 1,
  };
  const port = recordingPort();
  const job: JobContext = { jobId: 9, jobName: 'big', options, port, log, signal: new AbortController().signal };
  await driver.startJob(job);
  const ctx: PageContext = { ...job, page: 1, header };
  await driver.startPage(ctx);
  const rand = seededRandom(7);
  const lines = [0, 1].map(() => Uint8Array.from({ length: 300 }, () => Math.floor(rand() * 256)));
  let caught: unknown;
  try {
    for (let y = 0; y < header.height; y++) driver.writeLine(ctx, y, lines[y & 1]!);
  } catch (err) {
    caught = err;
  }
  t.ok(caught instanceof DriverError, 'DriverError');
  await driver.endJob(job, 'aborted');
  t.equal(port.writes.length, 0, 'nothing of the label reached the engine');
});

t.test('a canceled job after a sent label tells the engine ~JA; one that sent nothing stays silent', async (t) => {
  const driver = createZplDriver({ media: [MEDIA] }, log);
  const port = recordingPort();
  const job: JobContext = { jobId: 3, jobName: 'c', options: OPTIONS, port, log, signal: new AbortController().signal };
  await driver.startJob(job);
  for await (const p of readPwgRaster(chunked(encodePwgRaster([labelPage('black_1', 5), labelPage('black_1', 6)]), 4096))) {
    const ctx: PageContext = { ...job, page: p.number, header: p.header };
    await driver.startPage(ctx);
    let y = 0;
    for await (const line of p.lines()) driver.writeLine(ctx, y++, line);
    if (p.number === 1) await driver.endPage(ctx);
  }
  await driver.endJob(job, 'canceled');
  t.equal(decodeZpl(port.text().replace(/~JA$/, '')).length, 1, 'only the finished label was sent');
  t.ok(port.text().endsWith('~JA'));
  const idle = recordingPort();
  const job2: JobContext = { ...job, jobId: 4, port: idle };
  await driver.startJob(job2);
  await driver.endJob(job2, 'canceled');
  t.equal(idle.writes.length, 0);
});

t.test('bad options are refused with a ConfigError pointing at the option', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ darkness: 31 }, '/engine/options/darkness'],
    [{ darkness: '10' }, '/engine/options/darkness'],
    [{ 'print-speed': 0 }, '/engine/options/print-speed'],
    [{ 'media-tracking': 'web' }, '/engine/options/media-tracking'],
    [{ resolution: [203, 180] }, '/engine/options/resolution'],
    [{ media: [] }, '/engine/options/media'],
    [{ cut: 'page' }, '/engine/options/cut'],
  ];
  for (const [options, pointer] of cases) {
    let caught: unknown;
    try {
      createZplDriver(options, log);
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof ConfigError && caught.pointer === pointer, pointer);
  }
});

t.test('capabilities describe the label printer honestly', async (t) => {
  const caps = createZplDriver({}, log).capabilities;
  t.same(caps.kind, ['label']);
  t.equal(caps.media.default, 'na_index-4x6_4x6in');
  t.ok(caps.media.supported.includes('roll_max_4.09x39.6in'));
  t.same(caps.margins, { top: 0, bottom: 0, left: 0, right: 0 });
  t.same(caps.media.types, ['labels']);
  const two = createZplDriver({ 'width-dots': 448, resolution: 203 }, log).capabilities;
  t.equal(two.media.default, 'oe_2x1-label_2x1in', 'a 2.2 in head gets 2 in labels');
  t.same(createZplDriver({ resolution: 300 }, log).capabilities.resolutions, [{ x: 300, y: 300 }]);
  t.same(createZplDriver({ 'media-tracking': 'continuous' }, log).capabilities.kind, ['label', 'roll']);
});

const HS = (one: string, two: string): Uint8Array =>
  Buffer.from(`\x02${one}\x03\r\n\x02${two}\x03\r\n\x020000,0\x03\r\n`, 'latin1');
const IDLE_ONE = '030,0,0,1218,000,0,0,0,000,0,0,0';
const IDLE_TWO = '001,0,0,0,1,2,6,0,00000000,1,000';

t.test('~HS answers map to printer-state-reasons', async (t) => {
  t.same(zplReasons(parseZplHostStatus(HS(IDLE_ONE, IDLE_TWO))!), []);
  t.same(zplReasons(parseZplHostStatus(HS('030,1,1,1218,000,0,0,0,000,0,0,1', '001,0,1,1,1,2,6,0,00000000,1,000'))!), [
    'media-empty-error',
    'cover-open-error',
    'marker-print-ribbon-empty-error',
    'paused',
    'other-error',
  ]);
  t.equal(parseZplHostStatus(HS(IDLE_ONE, IDLE_TWO))!.labelLength, 1218);
  t.equal(parseZplHostStatus(Buffer.from('\x02garbage\x03\r\n\x02x\x03', 'latin1')), undefined);
});

t.test('status asks ~HS and reads the answer even when it arrives in pieces', async (t) => {
  const driver = createZplDriver({}, log);
  const answer = HS('030,1,0,1218,000,0,0,0,000,0,0,0', IDLE_TWO);
  const port = recordingPort(64, (req) =>
    Buffer.from(req).toString('latin1') === '~HS' ? [answer.subarray(0, 5), answer.subarray(5, 40), answer.subarray(40)] : undefined,
  );
  t.same(await driver.status!(port, log), { reasons: ['media-empty-error'], supplies: [] });
  t.equal(port.text(), '~HS');
});

t.test('a printer that never answers ~HS yields no reasons', async (t) => {
  const driver = createZplDriver({}, log);
  t.same(await driver.status!(recordingPort(64), log), { reasons: [], supplies: [] });
  t.same(await driver.status!(undefined, log), { reasons: [], supplies: [] });
});
