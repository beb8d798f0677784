// Test-only in-memory engine: a RasterDriver + TransportPort pair that records what it is sent, can be gated
// (writeLine waits until released) and can fail on command; plus a Printer built on it in a temp state dir.
// SPDX-License-Identifier: Apache-2.0
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type {
  DriverCapabilities,
  EngineStatus,
  JobContext,
  JobOutcome,
  PageContext,
  RasterDriver,
} from '../../drivers/driver.js';
import type { TransportMetrics, TransportPort } from '../../drivers/transports/transport.js';
import { DriverError, TransportError } from '../../src/errors.js';
import { Printer } from '../../src/printer/printer.js';
import type { PrinterConfig } from '../../src/printer/description.js';
import { DEFAULT_SYS_OBJECT_ID, type BoardConfig } from '../../src/config.js';
import { OPERATIONS_SUPPORTED } from '../../src/operations/index.js';
import { COMPRESSION_SUPPORTED } from '../../src/operations/job-request.js';
import { JOB_CREATION_ATTRIBUTES } from '../../src/job/options.js';
import { encodePwgRaster, type TestPage } from './raster-writer.js';

/** Capabilities of a small colour office printer (A4/Letter, duplex, two trays). */
export const FAKE_CAPABILITIES: DriverCapabilities = {
  makeAndModel: 'Fake Office Color 100',
  deviceId: 'MFG:Fake;MDL:Office Color 100;CMD:PWGRaster;',
  kind: ['document', 'envelope'],
  resolutions: [
    { x: 300, y: 300 },
    { x: 600, y: 600 },
  ],
  rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
  colorModes: ['auto', 'color', 'monochrome'],
  sides: ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge'],
  sheetBack: 'normal',
  media: {
    supported: ['iso_a4_210x297mm', 'na_letter_8.5x11in', 'iso_a5_148x210mm', 'na_number-10_4.125x9.5in'],
    default: 'iso_a4_210x297mm',
    sources: ['main', 'manual'],
    types: ['stationery', 'envelope'],
    ready: ['iso_a4_210x297mm', 'na_number-10_4.125x9.5in'],
  },
  margins: { top: 423, bottom: 423, left: 423, right: 423 },
  outputBins: ['face-down'],
  passthroughFormats: [],
  ppm: 20,
  ppmColor: 15,
  identifyActions: ['display', 'sound'],
};

/** What the engine saw of one page. */
export interface FakePage {
  readonly page: number;
  readonly width: number;
  readonly height: number;
  lines: number;
  bytes: number;
}

/** What the engine saw of one job. */
export interface FakeJob {
  readonly jobId: number;
  readonly jobName: string;
  readonly pages: FakePage[];
  outcome: JobOutcome | undefined;
}

export type FakeStep = 'openPort' | 'startJob' | 'startPage' | 'writeLine' | 'endPage' | 'endJob';

/** An in-memory transport port recording every byte written. */
export class FakePort implements TransportPort {
  readonly uri = 'fake:';
  readonly preferredChunk = 4096;
  readonly #disconnect = new AbortController();
  #isOpen = true;
  #metrics = { bytesWritten: 0, bytesRead: 0, writeMs: 0 };
  /** every chunk written, in order */
  readonly chunks: Uint8Array[] = [];
  discards = 0;

  get isOpen(): boolean {
    return this.#isOpen;
  }
  get metrics(): TransportMetrics {
    return { ...this.#metrics };
  }
  get disconnected(): AbortSignal {
    return this.#disconnect.signal;
  }

  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.#isOpen) throw new TransportError('disconnected', 'fake port is closed');
    if (signal?.aborted === true) throw new TransportError('canceled', 'write canceled');
    this.chunks.push(Uint8Array.from(data));
    this.#metrics.bytesWritten += data.length;
  }

  async drain(): Promise<void> {}

  async discard(): Promise<void> {
    this.discards++;
  }

  async close(): Promise<void> {
    this.#isOpen = false;
  }
}

/**
 * An in-memory RasterDriver. `gate()` makes writeLine return a promise that waits for `release()` (a slow engine
 * under test control); `failAt(step)` makes the next call of that step throw DriverError (TransportError for
 * openPort). Emits 'startJob', 'page' (after endPage), 'line' (first line of a page) and 'endJob'.
 */
export class FakeEngine extends EventEmitter implements RasterDriver {
  readonly capabilities: DriverCapabilities;
  readonly jobs: FakeJob[] = [];
  readonly ports: FakePort[] = [];
  engineStatus: EngineStatus = { reasons: [], supplies: [] };
  identified: { actions: readonly string[]; message: string | undefined }[] = [];
  #gate: Promise<void> | undefined;
  #openGate: (() => void) | undefined;
  readonly #failures = new Set<FakeStep>();

  constructor(capabilities: DriverCapabilities = FAKE_CAPABILITIES) {
    super();
    this.capabilities = capabilities;
  }

  /** Make every following writeLine wait until release(). */
  gate(): void {
    if (this.#gate) return;
    this.#gate = new Promise<void>((resolve) => {
      this.#openGate = resolve;
    });
  }

  /** Let gated writeLine calls go on (and stop gating). */
  release(): void {
    this.#openGate?.();
    this.#gate = undefined;
    this.#openGate = undefined;
  }

  /** The next call of `step` fails. */
  failAt(step: FakeStep): void {
    this.#failures.add(step);
  }

  /** Open a port the way PrinterDeps.openPort does. */
  async openPort(_log: Logger, signal: AbortSignal): Promise<TransportPort> {
    signal.throwIfAborted();
    this.#maybeFail('openPort');
    const port = new FakePort();
    this.ports.push(port);
    return port;
  }

  /** Pages printed over all jobs. */
  get pageCount(): number {
    return this.jobs.reduce((n, j) => n + j.pages.length, 0);
  }

  async startJob(ctx: JobContext): Promise<void> {
    this.#maybeFail('startJob');
    this.jobs.push({ jobId: ctx.jobId, jobName: ctx.jobName, pages: [], outcome: undefined });
    this.emit('startJob', ctx.jobId);
  }

  async startPage(ctx: PageContext): Promise<void> {
    this.#maybeFail('startPage');
    this.#job(ctx.jobId).pages.push({ page: ctx.page, width: ctx.header.width, height: ctx.header.height, lines: 0, bytes: 0 });
  }

  writeLine(ctx: PageContext, _y: number, line: Uint8Array): void | Promise<void> {
    this.#maybeFail('writeLine');
    const page = this.#job(ctx.jobId).pages.at(-1);
    if (!page) throw new DriverError('writeLine before startPage');
    page.lines++;
    page.bytes += line.length;
    if (page.lines === 1) this.emit('line', ctx.jobId);
    return this.#gate;
  }

  async endPage(ctx: PageContext): Promise<void> {
    this.#maybeFail('endPage');
    const page = this.#job(ctx.jobId).pages.at(-1);
    await ctx.port.write(new TextEncoder().encode(`page ${ctx.page} ${page?.bytes ?? 0}\n`), ctx.signal);
    this.emit('page', ctx.jobId);
  }

  async endJob(ctx: JobContext, outcome: JobOutcome): Promise<void> {
    const job = this.#job(ctx.jobId);
    job.outcome = outcome;
    this.emit('endJob', ctx.jobId, outcome);
    this.#maybeFail('endJob');
  }

  async status(): Promise<EngineStatus> {
    return this.engineStatus;
  }

  async identify(actions: readonly string[], message: string | undefined): Promise<void> {
    this.identified.push({ actions, message });
  }

  #job(jobId: number): FakeJob {
    const job = this.jobs.findLast((j) => j.jobId === jobId);
    if (!job) throw new DriverError(`no startJob for job ${jobId}`);
    return job;
  }

  #maybeFail(step: FakeStep): void {
    if (!this.#failures.delete(step)) return;
    if (step === 'openPort') throw new TransportError('disconnected', 'fake engine unplugged');
    throw new DriverError(`fake engine failed at ${step}`);
  }
}

/** A pino logger whose JSON lines are parsed into `lines` (pino's own test-suite approach). */
export function jsonSinkLogger(level: pino.LevelWithSilent = 'debug'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}

/** A board config for the fake engine. */
export const FAKE_BOARD: BoardConfig = {
  name: 'Fake Printer',
  info: 'Fake Printer',
  location: 'Test bench',
  geoLocation: undefined,
  organization: '',
  organizationalUnit: '',
  engine: { driver: 'fake', uri: 'fake:', options: {} },
  snmp: { communities: ['public'], sysObjectId: DEFAULT_SYS_OBJECT_ID, contact: 'bench@example.test', users: [], trapTargets: [] },
};

/** A PrinterConfig as system.ts builds one, for the fake engine. */
export function fakePrinterConfig(over: Partial<PrinterConfig> = {}): PrinterConfig {
  return {
    name: 'Fake Printer',
    info: 'Fake Printer',
    location: 'Test bench',
    geoLocation: undefined,
    organization: '',
    organizationalUnit: '',
    uuid: 'urn:uuid:6a1e0b5c-6f0c-4c6a-9a64-2f8c2c8d5e01',
    dnsSdName: 'Fake Printer',
    multipleOperationTimeOut: 60,
    documentFormats: ['application/octet-stream', 'image/jpeg', 'image/pwg-raster', 'image/urf'],
    documentFormatDefault: 'application/octet-stream',
    compression: COMPRESSION_SUPPORTED,
    operationsSupported: OPERATIONS_SUPPORTED,
    jobCreationAttributes: JOB_CREATION_ATTRIBUTES,
    printerDeviceId: FAKE_CAPABILITIES.deviceId,
    firmwareVersion: '0.1.0',
    ...over,
  };
}

/** A fresh temp directory removed at teardown. */
export async function tempStateDir(t: { teardown: (fn: () => unknown) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}

/** Options of {@link makeTestPrinter}. */
export interface TestPrinterOptions {
  readonly stateDir?: string;
  readonly engine?: FakeEngine;
  readonly log?: Logger;
  readonly multipleOperationTimeOut?: number;
  /** call printer.start() (load jobs, first status poll); default true */
  readonly start?: boolean;
}

/** A Printer on the fake engine in a temp state dir; stopped at teardown. */
export async function makeTestPrinter(
  t: { teardown: (fn: () => unknown) => void },
  opts: TestPrinterOptions = {},
): Promise<{ printer: Printer; engine: FakeEngine; stateDir: string }> {
  const engine = opts.engine ?? new FakeEngine();
  const ownDir = opts.stateDir === undefined ? await mkdtemp(join(tmpdir(), 'ippbridge-test-')) : undefined;
  const stateDir = opts.stateDir ?? ownDir ?? '';
  const printer = new Printer({
    capabilities: engine.capabilities,
    driver: engine,
    openPort: (log, signal) => engine.openPort(log, signal),
    board: FAKE_BOARD,
    config: fakePrinterConfig(opts.multipleOperationTimeOut === undefined ? {} : { multipleOperationTimeOut: opts.multipleOperationTimeOut }),
    stateDir,
    port: 8631,
    log: opts.log ?? pino({ level: 'silent' }),
  });
  t.teardown(async () => {
    engine.release();
    await printer.stop();
    await settle(printer);
    if (ownDir !== undefined) await rm(ownDir, { recursive: true, force: true, maxRetries: 3 });
  });
  if (opts.start !== false) await printer.start();
  return { printer, engine, stateDir };
}

/** Wait until the printer has no active job (a stopped queue finishes its last run asynchronously). */
export async function settle(printer: Printer, maxTurns = 200): Promise<void> {
  for (let i = 0; i < maxTurns && printer.state.state === 'processing'; i++) await new Promise((r) => setTimeout(r, 5));
}

/** A small PWG raster document: `pages` pages of 16x`height` sgray_8 at 300 dpi. */
export function testDocument(pages = 2, height = 8): Buffer {
  const list: TestPage[] = [];
  for (let p = 0; p < pages; p++) {
    const pixels = new Uint8Array(16 * height).fill(0xff);
    pixels.fill(p * 16, 0, 16);
    list.push({ width: 16, height, type: 'sgray_8', xDpi: 300, yDpi: 300, pixels });
  }
  return encodePwgRaster(list);
}

/** Resolve once `check()` is true, re-checking on every 'change' of the printer's queue or state. */
export function until(printer: Printer, check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    // The queue's timers are unref'd (the HTTP server keeps a real process alive): hold the loop open meanwhile.
    const keepAlive = setInterval(() => undefined, 1000);
    const onChange = (): void => {
      if (!check()) return;
      clearInterval(keepAlive);
      printer.jobs.off('change', onChange);
      printer.state.off('change', onChange);
      resolve();
    };
    printer.jobs.on('change', onChange);
    printer.state.on('change', onChange);
  });
}
