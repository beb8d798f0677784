// Serial benchmark: an ESC/POS receipt job through the real serial transport into a fake engine on a socat pty pair
// that reads paced to the baud rate (test/support/pty-engine.ts). Reports sustained rate as a share of the link rate,
// first engine byte after the first raster line, and the longest gap between arrivals once sending started.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { JobContext, PageContext, PrintOptions } from '../../drivers/driver.js';
import { createEscposDriver } from '../../drivers/languages/escpos.js';
import { createSerialTransport } from '../../drivers/transports/serial.js';
import type { RasterPageHeader } from '../../src/raster/types.js';
import { PtyEngine, type Arrival } from '../support/pty-engine.js';
import { PtyPair, socatMissing } from '../support/pty-pair.js';
import { seededRandom } from '../support/raster-writer.js';
import { round } from './proc-stats.js';
import { printOptions } from '../support/print-options.js';

/** Options of {@link serialBench}. */
export interface SerialBenchOptions {
  /** baud rates to measure (default 115200 and 921600) */
  readonly bauds?: readonly number[];
  /** seconds of link time the job should take at each rate (default 3) */
  readonly seconds?: number;
}

const WIDTH = 576;
const BYTES_PER_ROW = WIDTH / 8;
/**
 * Token bucket depth of the fake engine: a real UART keeps its pace whatever the scheduler does, so the fake may
 * catch up after its own timer runs late; host starvation still shows in starvedMs (reads that found no byte).
 */
const ENGINE_BURST_MS = 50;

/** A black_1 receipt page header at 203 dpi, `height` rows of 576 dots. */
function receiptHeader(height: number): RasterPageHeader {
  return {
    width: WIDTH,
    height,
    xDpi: 203,
    yDpi: 203,
    colorSpace: 'black',
    bitsPerColor: 1,
    numColors: 1,
    bitsPerPixel: 1,
    bytesPerLine: BYTES_PER_ROW,
    pageSizeName: '',
    pageWidthPt: (WIDTH * 72) / 203,
    pageHeightPt: (height * 72) / 203,
    duplex: false,
    tumble: false,
    printQuality: 0,
    totalPageCount: 1,
  };
}

function receiptOptions(media: string): PrintOptions {
  return { ...printOptions(media, { x: 203, y: 203 }, 'face-up'), printScaling: 'none' };
}

/** Rows of speckled print (never blank, so every row is raster data on the wire). */
function rowPool(): Uint8Array[] {
  const rand = seededRandom(3);
  return Array.from({ length: 32 }, () => Uint8Array.from({ length: BYTES_PER_ROW }, () => Math.floor(rand() * 256) | 1));
}

/** Gaps between consecutive arrivals: the 99th percentile and the number of gaps. */
function gapProfile(arrivals: readonly Arrival[]): { p99Ms: number; count: number } {
  const gaps: number[] = [];
  for (let i = 1; i < arrivals.length; i++) gaps.push((arrivals[i]?.at ?? 0) - (arrivals[i - 1]?.at ?? 0));
  gaps.sort((a, b) => a - b);
  return { p99Ms: gaps[Math.floor(gaps.length * 0.99)] ?? 0, count: gaps.length };
}

/** One job at `baud`: lines fed as fast as the driver takes them, the engine paced to the link rate. */
async function oneRate(dir: string, baud: number, seconds: number) {
  const log = pino({ level: 'silent' });
  const pair = await PtyPair.start(dir);
  let engine: PtyEngine | undefined;
  try {
    engine = await PtyEngine.open({ path: pair.pathB, baud, burstMs: ENGINE_BURST_MS });
    const rate = engine.rate;
    const rows = Math.ceil((rate * seconds) / (BYTES_PER_ROW + 1));
    const port = await createSerialTransport().open(new URL(`serial://${pair.pathA}?baud=${baud}`), {}, log);
    const driver = createEscposDriver({ cut: 'none', 'trim-blank-rows': false }, log);
    const ctx: JobContext = { jobId: 1, jobName: 'bench', options: receiptOptions(driver.capabilities.media.default), port, log, signal: AbortSignal.timeout(seconds * 4000 + 10_000) };
    const pctx: PageContext = { ...ctx, page: 1, header: receiptHeader(rows) };
    const pool = rowPool();
    try {
      await driver.startJob(ctx);
      await driver.startPage(pctx);
      const firstLineAt = performance.now();
      for (let y = 0; y < rows; y++) {
        const pending = driver.writeLine(pctx, y, pool[y % pool.length] ?? new Uint8Array(BYTES_PER_ROW));
        if (pending) await pending;
      }
      await driver.endPage(pctx);
      await driver.endJob(ctx, 'completed');
      await port.drain(ctx.signal);
      const written = port.metrics.bytesWritten;
      await engine.waitForBytes(written, 10_000);
      const s = engine.stats();
      const lineTimeMs = (BYTES_PER_ROW * 1000) / rate;
      const gapLimitMs = Math.max(2, lineTimeMs);
      const gaps = gapProfile(engine.arrivals);
      return {
        baud,
        linkBytesPerSecond: rate,
        bytes: s.bytes,
        seconds: round((s.lastAt - s.firstAt) / 1000, 2),
        sustainedBytesPerSecond: round(s.rate),
        percentOfLink: round((s.rate / rate) * 100, 1),
        firstEngineByteMs: round(s.firstAt - firstLineAt, 1),
        maxGapMs: round(s.maxGapMs, 2),
        p99GapMs: round(gaps.p99Ms, 2),
        engineReads: gaps.count + 1,
        starvedMs: round(s.starvedMs, 1),
        lineTimeMs: round(lineTimeMs, 2),
        preferredChunk: port.preferredChunk,
        goals: { percentOfLink: 95, firstEngineByteMs: 50, maxGapMs: round(gapLimitMs, 2), starvedMs: 0 },
      };
    } finally {
      await port.close().catch(() => undefined);
    }
  } finally {
    await engine?.close();
    await pair.kill();
  }
}

/** Each baud rate in turn (a fresh pty pair each); a failing rate reports `{ baud, error }`. */
export async function serialBench(opts: SerialBenchOptions = {}): Promise<Record<string, unknown>> {
  const missing = socatMissing();
  if (missing !== undefined) throw new Error(missing);
  const bauds = opts.bauds ?? [115200, 921600];
  const seconds = opts.seconds ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-bench-serial-'));
  const rates: unknown[] = [];
  try {
    for (const baud of bauds) {
      try {
        rates.push(await oneRate(dir, baud, seconds));
      } catch (err) {
        rates.push({ baud, error: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    note: `maxGapMs/p99GapMs are between engine reads and include the fake engine's own timer jitter (2 ms tick, ${ENGINE_BURST_MS} ms token bucket); starvedMs is time the engine had room but found no byte (host starvation)`,
    setup: 'ESC/POS driver (576 dots, 203 dpi, GS v 0 bands) -> serial transport -> socat pty pair -> engine reading paced at baud/10 B/s (in this process)',
    rates,
  };
}
