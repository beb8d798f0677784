// ESC/POS receipt printer driver: pages become 1-bit rows (mono-page), printed as GS v 0 raster bands of bounded
// size with blank rows turned into ESC J feeds, a GS V cut per page or per job, and DLE EOT status.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { DriverError } from '../../src/errors.js';
import type { DriverCapabilities, EngineStatus, JobContext, JobOutcome, PageContext, RasterDriver } from '../driver.js';
import type { TransportPort } from '../transports/transport.js';
import { escposCut, escposFeed, escposInit, escposRasterHeader } from './escpos-commands.js';
import { escposSettings, type EscposSettings } from './escpos-options.js';
import { escposReasons, ESCPOS_STATUS_TIMEOUT_MS, queryEscposStatus } from './escpos-status.js';
import { CommandBuffer, PortLock } from './escpos-zpl-port-writer.js';
import { createMonoPage, isBlankRow, type MonoPage } from './mono-page.js';

interface PageState {
  readonly mono: MonoPage;
  /** rows of the band being collected */
  readonly band: Uint8Array;
  readonly bandRows: number;
  rows: number;
  /** blank rows not yet fed */
  feed: number;
  /** a black dot was printed on this page (blank rows before it are dropped when trimming) */
  isMarked: boolean;
}

interface JobState {
  readonly out: CommandBuffer;
  page: PageState | undefined;
  pagesPrinted: number;
}

class EscposDriver implements RasterDriver {
  readonly capabilities: DriverCapabilities;
  readonly #settings: EscposSettings;
  readonly #lock = new PortLock();
  readonly #jobs = new Map<number, JobState>();

  constructor(settings: EscposSettings) {
    this.#settings = settings;
    this.capabilities = settings.capabilities;
  }

  async startJob(ctx: JobContext): Promise<void> {
    const job: JobState = { out: new CommandBuffer(), page: undefined, pagesPrinted: 0 };
    this.#jobs.set(ctx.jobId, job);
    job.out.push(escposInit());
    ctx.log.debug({ widthDots: this.#settings.widthDots, cut: this.#settings.cut }, 'ESC/POS job started');
  }

  async startPage(ctx: PageContext): Promise<void> {
    const job = this.#job(ctx);
    const s = this.#settings;
    const mono = createMonoPage(
      ctx.header,
      { widthDots: s.widthDots, xDpi: s.xDpi, yDpi: s.yDpi, scaling: ctx.options.printScaling },
      ctx.options.printQuality,
    );
    const bandRows = Math.max(1, Math.min(s.bandRows, Math.floor(s.bandBytes / mono.bytesPerRow)));
    job.page = { mono, band: new Uint8Array(bandRows * mono.bytesPerRow), bandRows, rows: 0, feed: 0, isMarked: false };
  }

  writeLine(ctx: PageContext, y: number, line: Uint8Array): void | Promise<void> {
    const job = this.#job(ctx);
    const page = job.page;
    if (page === undefined) throw new DriverError(`escpos: page ${ctx.page} of job ${ctx.jobId} was not started`);
    for (const row of page.mono.rows(line, y)) this.#addRow(job, page, row);
    if (job.out.size >= ctx.port.preferredChunk) return job.out.flush(ctx.port, this.#lock, ctx.signal);
    return undefined;
  }

  async endPage(ctx: PageContext): Promise<void> {
    const job = this.#job(ctx);
    const page = job.page;
    if (page === undefined) return;
    this.#emitBand(job, page);
    // Trailing white: fed unless trimming (then the cut feed alone ends the receipt).
    if (!this.#settings.isTrimmed) job.out.push(escposFeed(page.feed));
    job.page = undefined;
    job.pagesPrinted++;
    if (this.#settings.cut === 'page') job.out.push(escposCut(this.#settings.cutKind, this.#settings.cutFeed));
    await job.out.flush(ctx.port, this.#lock, ctx.signal);
  }

  async endJob(ctx: JobContext, outcome: JobOutcome): Promise<void> {
    const job = this.#jobs.get(ctx.jobId);
    this.#jobs.delete(ctx.jobId);
    if (job === undefined) return;
    if (outcome !== 'completed') {
      // Unsent bands of a cut-off job are dropped; the engine keeps what it already took.
      job.out.clear();
      ctx.log.debug({ outcome }, 'ESC/POS job ended early');
      return;
    }
    if (this.#settings.cut === 'job' && job.pagesPrinted > 0) {
      job.out.push(escposCut(this.#settings.cutKind, this.#settings.cutFeed));
    }
    await job.out.flush(ctx.port, this.#lock, ctx.signal);
  }

  async status(port: TransportPort | undefined, log: Logger): Promise<EngineStatus> {
    if (port === undefined || port.read === undefined) return { reasons: [], supplies: [] };
    try {
      // Between whole commands only: a DLE EOT inside raster data would be printed as dots.
      const bytes = await this.#lock.run(() => queryEscposStatus(port, log), AbortSignal.timeout(ESCPOS_STATUS_TIMEOUT_MS));
      return { reasons: escposReasons(bytes), supplies: [] };
    } catch (err) {
      log.debug({ err }, 'ESC/POS status skipped: the port is busy with a job');
      return { reasons: [], supplies: [] };
    }
  }

  #job(ctx: JobContext): JobState {
    const job = this.#jobs.get(ctx.jobId);
    if (job === undefined) throw new DriverError(`escpos: job ${ctx.jobId} was not started`);
    return job;
  }

  #addRow(job: JobState, page: PageState, row: Uint8Array): void {
    if (isBlankRow(row)) {
      if (page.rows > 0) this.#emitBand(job, page);
      if (page.isMarked || !this.#settings.isTrimmed) page.feed++;
      return;
    }
    if (page.feed > 0) {
      job.out.push(escposFeed(page.feed));
      page.feed = 0;
    }
    page.isMarked = true;
    page.band.set(row, page.rows * page.mono.bytesPerRow);
    page.rows++;
    if (page.rows === page.bandRows) this.#emitBand(job, page);
  }

  /** Queue the collected rows as one GS v 0 command (header and data copied out of the band buffer). */
  #emitBand(job: JobState, page: PageState): void {
    if (page.rows === 0) return;
    const bpr = page.mono.bytesPerRow;
    job.out.push(escposRasterHeader(bpr, page.rows));
    job.out.push(page.band.slice(0, page.rows * bpr));
    page.rows = 0;
  }
}

/** The ESC/POS receipt printer driver for the board config's engine.options (throws ConfigError on bad options). */
export function createEscposDriver(options: Readonly<Record<string, unknown>>, log: Logger): RasterDriver {
  const settings = escposSettings(options);
  log.debug({ mod: 'escpos', widthDots: settings.widthDots, dpi: settings.xDpi, cut: settings.cut }, 'ESC/POS driver configured');
  return new EscposDriver(settings);
}
