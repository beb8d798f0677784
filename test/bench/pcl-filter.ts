// Raster-to-PCL benchmark, side by side on one text raster: CUPS' C filter rastertohp (PPD compiled by ppdc from
// sample.drv), our whole path (Print-Job over loopback to a completed job on a file: PCL engine) and our PCL driver
// alone in-process (decode + createPclDriver writing to a null port).
// SPDX-License-Identifier: Apache-2.0
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { JobContext, PageContext, PrintOptions } from '../../drivers/driver.js';
import { createPclDriver } from '../../drivers/languages/pcl.js';
import type { TransportPort } from '../../drivers/transports/transport.js';
import { LineReader } from '../../src/raster/line-reader.js';
import { readDocument } from '../../src/raster/document.js';
import { startServer, type RunningServer } from '../support/server.js';
import { printJobState, TERMINAL_STATES, waitTerminal } from './engines-ipp.js';
import { median, round } from './proc-stats.js';
import { printOptions } from '../support/print-options.js';

/** Timings of one contender: median and every run in milliseconds, and the engine bytes it produced. */
export interface Timed {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly outputBytes: number;
}

/** Where Debian's cups package installs the HP PCL filter. */
export const RASTERTOHP = '/usr/lib/cups/filter/rastertohp';
const SAMPLE_DRV = '/usr/share/cups/drv/sample.drv';

/** The HP LaserJet PPD compiled by ppdc from CUPS' sample.drv into os.tmpdir() (cached). */
export function laserjetPpd(): string {
  const dir = join(tmpdir(), 'ippbridge-bench-ppd');
  const ppd = join(dir, 'laserjet.ppd');
  if (existsSync(ppd)) return ppd;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('ppdc', ['-d', dir, SAMPLE_DRV], { encoding: 'utf8', timeout: 60_000 });
  if (r.error !== undefined) throw new Error(`ppdc: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(ppd)) throw new Error(`ppdc did not produce laserjet.ppd (exit ${r.status}): ${r.stderr.slice(0, 300)}`);
  return ppd;
}

/** Run `argv` with stdout to `out`, stderr discarded; resolves to the wall time in ms (rejects on failure/timeout). */
function timedRun(argv: readonly string[], env: NodeJS.ProcessEnv, out: string, timeoutMs: number): Promise<number> {
  const fd = openSync(out, 'w');
  const started = performance.now();
  const child = spawn(argv[0] ?? '', argv.slice(1), { env, stdio: ['ignore', fd, 'ignore'] });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${argv[0]} exited with ${code ?? signal}`));
    });
  });
}

/** Something timed run by run: one call is one run, resolving to its wall time in ms. */
export interface Runner {
  once(): Promise<number>;
  /** engine bytes the last run produced */
  outputBytes(): number;
  close(): Promise<void>;
}

/** rastertohp on `path` (args: job user title copies options file, PPD set), stdout to a file in `workDir`. */
export function rastertohpRunner(path: string, workDir: string): Runner {
  if (!existsSync(RASTERTOHP)) throw new Error(`${RASTERTOHP} is not installed`);
  const env = { ...process.env, PPD: laserjetPpd() };
  const out = join(workDir, 'rastertohp.pcl');
  return {
    once: () => timedRun([RASTERTOHP, '1', 'bench', 'bench', '1', '', path], env, out, 120_000),
    outputBytes: () => statSync(out).size,
    close: () => Promise.resolve(),
  };
}

/** Our server with a file: PCL engine writing to `out`. */
export function startPclServer(out: string, extra: readonly string[] = []): Promise<RunningServer> {
  return startServer({ args: ['--engine', `file://${out}`, '--driver', 'pcl', '--no-dnssd', ...extra] });
}

/** Print-Job `path` over loopback to a started server and wait until the job completed; `coldMs` is the first run. */
export async function serverPathRunner(path: string, workDir: string): Promise<Runner & { readonly coldMs: number; readonly server: RunningServer }> {
  const out = join(workDir, 'ippbridge.pcl');
  const server = await startPclServer(out);
  const once = async (): Promise<number> => {
    const started = performance.now();
    const { jobId, jobState } = await printJobState(server.uri, createReadStream(path, { highWaterMark: 256 * 1024 }), 'bench-pcl', 120_000);
    // A job printed while its document streamed is already completed in the Print-Job response; else poll.
    const state = jobState !== undefined && TERMINAL_STATES.includes(jobState) ? jobState : await waitTerminal(server.uri, jobId, 120_000);
    if (state !== 9) throw new Error(`job ended in state ${state}: ${server.output().slice(-600)}`);
    return performance.now() - started;
  };
  try {
    const coldMs = await once();
    return { once, coldMs, server, outputBytes: () => statSync(out).size, close: () => server.stop() };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** A port that accepts everything at once and counts it. */
function nullPort(): TransportPort & { readonly count: () => number } {
  let bytes = 0;
  return {
    uri: 'null:',
    isOpen: true,
    preferredChunk: 65536,
    get metrics() {
      return { bytesWritten: bytes, bytesRead: 0, writeMs: 0 };
    },
    disconnected: new AbortController().signal,
    write: (data) => {
      bytes += data.length;
      return Promise.resolve();
    },
    drain: () => Promise.resolve(),
    discard: () => Promise.resolve(),
    close: () => Promise.resolve(),
    count: () => bytes,
  };
}

/** Job options the way the stack defaults them for a Letter monochrome job at the driver's first resolution. */
function benchOptions(resolution: { readonly x: number; readonly y: number }, media: string): PrintOptions {
  return printOptions(media, resolution, 'face-down');
}

/** Decode + PCL driver in this process over the bytes in memory, to a null port. */
async function driverOnce(data: Uint8Array): Promise<{ ms: number; bytes: number }> {
  const log = pino({ level: 'silent' });
  const driver = createPclDriver({}, log);
  const port = nullPort();
  const caps = driver.capabilities;
  const options = benchOptions(caps.resolutions[0] ?? { x: 600, y: 600 }, caps.media.default);
  const ctx: JobContext = { jobId: 1, jobName: 'bench', options, port, log, signal: new AbortController().signal };
  const started = performance.now();
  const source = (async function* () {
    for (let i = 0; i < data.length; i += 65536) yield data.subarray(i, Math.min(data.length, i + 65536));
  })();
  await driver.startJob(ctx);
  for await (const page of readDocument('image/pwg-raster', source)) {
    const pctx: PageContext = { ...ctx, page: page.number, header: page.header };
    await driver.startPage(pctx);
    let y = 0;
    // The pipeline's loop: lines at hand without a promise, the rest from the iterator.
    const reader = new LineReader(page);
    for (;;) {
      const line = reader.take() ?? (await reader.next());
      if (line === undefined) break;
      const pending = driver.writeLine(pctx, y++, line);
      if (pending) await pending;
    }
    await driver.endPage(pctx);
  }
  await driver.endJob(ctx, 'completed');
  return { ms: performance.now() - started, bytes: port.count() };
}

/** Our PCL driver alone (decode + convert + encode over the bytes in memory), after one untimed warm-up run. */
export async function driverAloneRunner(path: string): Promise<Runner & { readonly driverResolution: string }> {
  const data = readFileSync(path);
  const probe = createPclDriver({}, pino({ level: 'silent' }));
  const res = probe.capabilities.resolutions[0];
  let bytes = (await driverOnce(data)).bytes;
  return {
    once: async () => {
      const r = await driverOnce(data);
      bytes = r.bytes;
      return r.ms;
    },
    outputBytes: () => bytes,
    close: () => Promise.resolve(),
    driverResolution: res ? `${res.x}x${res.y}` : 'unknown',
  };
}

/** Median and runs of `runs` ms, with the runner's output size. */
export function timed(runs: readonly number[], runner: Runner): Timed {
  return { medianMs: round(median(runs), 1), runsMs: runs.map((x) => round(x, 1)), outputBytes: runner.outputBytes() };
}

/** A scratch directory for engine output files, removed by the returned function. */
export function scratchDir(): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ippbridge-bench-engines-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
