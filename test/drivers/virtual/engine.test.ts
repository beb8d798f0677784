// Virtual engine end to end: PWG raster -> reader -> virtual driver -> virtual: port -> PNG files on disk.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import t from 'tap';
import type { JobContext, PageContext } from '../../../drivers/driver.js';
import type { TransportPort } from '../../../drivers/transports/transport.js';
import { createVirtualEngine, type VirtualEngine } from '../../../drivers/virtual/engine.js';
import { readPwgRaster } from '../../../src/raster/pwg.js';
import type { PwgRasterType } from '../../../src/raster/types.js';
import { readPng } from '../../support/png-reader.js';
import { bytesPerLine, chunked, encodePwgRaster, seededRandom, type TestPage } from '../../support/raster-writer.js';
import { printOptions } from '../../support/print-options.js';

const OPTIONS = { ...printOptions('iso_a4_210x297mm', { x: 300, y: 300 }, 'face-down'), printColorMode: 'color' };

function sinkLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

async function setup(t: { teardown(fn: () => unknown): void }, options: Record<string, unknown> = {}): Promise<{ engine: VirtualEngine; dir: string; log: Logger }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ippbridge-virtual-'));
  const { log } = sinkLogger();
  const engine = createVirtualEngine({ stateDir: dir, log, options });
  t.teardown(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { engine, dir, log };
}

function page(type: PwgRasterType, width: number, height: number, seed: number): TestPage {
  const rand = seededRandom(seed);
  const bpl = bytesPerLine(type, width);
  const pixels = new Uint8Array(bpl * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i / bpl) % 9 < 3 ? 0x11 * (i % 5) : Math.floor(rand() * 256);
  return { width, height, type, xDpi: 300, yDpi: 300, pixels };
}

/** What the PNG should hold for a source page: identity, inverted for black, naive RGB for CMYK. */
function expectedPng(p: TestPage): Buffer {
  if (p.type === 'black_1') return Buffer.from(p.pixels.map((b) => ~b & 0xff));
  if (p.type !== 'cmyk_8') return Buffer.from(p.pixels);
  const out = Buffer.alloc((p.pixels.length / 4) * 3);
  for (let i = 0, o = 0; i < p.pixels.length; i += 4, o += 3) {
    const k = p.pixels[i + 3]!;
    for (let c = 0; c < 3; c++) out[o + c] = 255 - Math.min(255, p.pixels[i + c]! + k);
  }
  return out;
}

interface RunResult {
  promises: number;
  /** after each awaited writeLine promise: [bytes the port reports, bytes in the partial file on disk] */
  progress: [number, number][];
}

async function printJob(engine: VirtualEngine, port: TransportPort, jobId: number, data: Uint8Array, log: Logger, outDir: string): Promise<RunResult> {
  const controller = new AbortController();
  const job: JobContext = { jobId, jobName: 'test', options: OPTIONS, port, log, signal: controller.signal };
  const result: RunResult = { promises: 0, progress: [] };
  await engine.driver.startJob(job);
  try {
    for await (const p of readPwgRaster(chunked(data, 8192))) {
      const ctx: PageContext = { ...job, page: p.number, header: p.header };
      await engine.driver.startPage(ctx);
      let y = 0;
      for await (const line of p.lines()) {
        const pending = engine.driver.writeLine(ctx, y++, line);
        if (pending !== undefined) {
          result.promises++;
          await pending;
          result.progress.push([port.metrics.bytesWritten, await partialBytes(outDir)]);
        }
      }
      await engine.driver.endPage(ctx);
    }
  } finally {
    await engine.driver.endJob(job, 'completed');
  }
  return result;
}

async function partialBytes(dir: string): Promise<number> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.tmp'));
  let total = 0;
  for (const n of names) total += (await stat(path.join(dir, n))).size;
  return total;
}

for (const type of ['black_1', 'sgray_8', 'srgb_8', 'srgb_16', 'cmyk_8', 'adobe-rgb_8'] as const) {
  t.test(`a 3-page ${type} document becomes 3 PNG files with identical pixels`, async (t) => {
    const { engine, log } = await setup(t, { preferredChunk: 4096 });
    const pages = [page(type, 123, 90, 1), page(type, 64, 200, 2), page(type, 9, 3, 3)];
    const port = await engine.transport.open(new URL('virtual:'), {}, log);
    await printJob(engine, port, 7, encodePwgRaster(pages), log, engine.outputDir);
    const files = (await readdir(engine.outputDir)).sort();
    t.same(files, ['job-7-page-1.png', 'job-7-page-2.png', 'job-7-page-3.png']);
    for (const [i, src] of pages.entries()) {
      const png = readPng(await readFile(path.join(engine.outputDir, `job-7-page-${i + 1}.png`)));
      t.equal(png.width, src.width);
      t.equal(png.height, src.height);
      t.same(png.text, { 'ippbridge-job': '7', 'ippbridge-page': String(i + 1) });
      t.ok(png.pixels.equals(expectedPng(src)), `page ${i + 1} pixels are identical`);
    }
  });
}

t.test('a paced port makes writeLine wait for bytes on disk instead of buffering the page', async (t) => {
  const { engine, log } = await setup(t, { preferredChunk: 4096 });
  const port = await engine.transport.open(new URL('virtual:'), { paceBytesPerSecond: 4 * 1024 * 1024 }, log);
  const src = page('srgb_8', 400, 200, 9);
  const run = await printJob(engine, port, 1, encodePwgRaster([src]), log, engine.outputDir);
  const size = (await stat(path.join(engine.outputDir, 'job-1-page-1.png'))).size;
  t.ok(run.promises > 20, `${run.promises} writeLine calls returned a promise`);
  // When a writeLine promise resolves, what the port accepted is already in the page file...
  t.ok(run.progress.every(([reported, onDisk]) => reported === onDisk), 'write resolves once bytes are on file');
  // ...and the page streams: before endPage at most about one band plus deflate's window is still held back.
  const lastBeforeEnd = run.progress.at(-1)?.[0] ?? 0;
  t.ok(size - lastBeforeEnd < 96 * 1024, `only ${size - lastBeforeEnd} of ${size} bytes were written at endPage`);
  t.ok(run.progress.filter(([n]) => n > 0).length > 10, 'bytes reached the engine while lines were still arriving');
});

t.test('a job cut off mid-page leaves no page file, and the port takes the next job', async (t) => {
  const { engine, log } = await setup(t, { preferredChunk: 1024 });
  const port = await engine.transport.open(new URL('virtual:'), {}, log);
  const src = page('sgray_8', 1000, 100, 4);
  const job: JobContext = { jobId: 3, jobName: 'cut', options: OPTIONS, port, log, signal: new AbortController().signal };
  await engine.driver.startJob(job);
  for await (const p of readPwgRaster(chunked(encodePwgRaster([src]), 4096))) {
    const ctx: PageContext = { ...job, page: p.number, header: p.header };
    await engine.driver.startPage(ctx);
    let y = 0;
    for await (const line of p.lines()) {
      await engine.driver.writeLine(ctx, y++, line);
      if (y === 60) break;
    }
  }
  t.ok(port.metrics.bytesWritten > 0, 'part of the page reached the port');
  await engine.driver.endJob(job, 'canceled');
  t.same(await readdir(engine.outputDir), [], 'no page file and no temp file');
  await printJob(engine, port, 4, encodePwgRaster([page('sgray_8', 10, 10, 5)]), log, engine.outputDir);
  t.same(await readdir(engine.outputDir), ['job-4-page-1.png']);
});

t.test('the port splits the PNG stream correctly whatever the write sizes', async (t) => {
  const { engine, log } = await setup(t, { preferredChunk: 2048 });
  const first = await engine.transport.open(new URL('virtual:'), {}, log);
  await printJob(engine, first, 5, encodePwgRaster([page('srgb_8', 30, 20, 1), page('black_1', 17, 5, 2)]), log, engine.outputDir);
  const names = (await readdir(engine.outputDir)).sort();
  const files = await Promise.all(names.map((n) => readFile(path.join(engine.outputDir, n))));
  const stream = Buffer.concat(files);
  await rm(engine.outputDir, { recursive: true });
  await engine.transport.open(new URL('virtual:'), {}, log).then(async (second) => {
    for (let i = 0; i < stream.length; i += 7) await second.write(stream.subarray(i, i + 7));
  });
  const again = await Promise.all(names.map((n) => readFile(path.join(engine.outputDir, n))));
  t.same(again, files);
});

t.test('bytes that are not PNG are refused with a TransportError', async (t) => {
  const { engine, log } = await setup(t);
  const port = await engine.transport.open(new URL('virtual:'), {}, log);
  await t.rejects(port.write(Buffer.from('%!PS-Adobe')), { name: 'TransportError' });
});

t.test('identify is recorded', async (t) => {
  const { engine } = await setup(t);
  await engine.driver.identify?.(['display', 'sound'], 'hello', undefined);
  t.match(engine.virtualDriver.identifications, [{ actions: ['display', 'sound'], message: 'hello' }]);
});
