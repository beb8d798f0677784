// HP PCL 3/5 raster driver: ESC E framing, page size, duplex, resolution, raster graphics with per-row choice of
// compression mode 2 (PackBits) or 3 (delta row), blank rows as ESC*b#Y; mono 1-bit or CMY colour (ESC*r-3U).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { DriverError } from '../../src/errors.js';
import type { RasterPageHeader } from '../../src/raster/types.js';
import type { DriverCapabilities, EngineStatus, JobContext, JobOutcome, PageContext, RasterDriver } from '../driver.js';
import type { TransportPort } from '../transports/transport.js';
import { createMonoPage, type MonoPage } from './mono-page.js';
import { PclBand } from './pcl-band.js';
import { CMY_CHANNELS, createColorPage, type ColorPage } from './pcl-color-page.js';
import { pageMedia, pageSizeCode, pclArea } from './pcl-media.js';
import { pclSettings, type PclSettings } from './pcl-options.js';
import { PclRasterEncoder } from './pcl-raster.js';
import { pclStatus } from './pcl-status.js';

const c = (s: string): number => s.charCodeAt(0);
/** Room kept after a band for one step; bands grow beyond it when a row needs more. */
const BAND_SLACK = 16 * 1024;
/** Universal Exit Language (PJL), HP PJL Technical Reference. */
const UEL = '\x1b%-12345X';

interface PageState {
  readonly mono: MonoPage | undefined;
  readonly color: ColorPage | undefined;
  readonly encoder: PclRasterEncoder;
  /** one-plane row holder for mono rows */
  readonly single: Uint8Array[];
  /** the last mono row encoded and the page's rewrite count then (a repeat needs no compare) */
  lastRow: Uint8Array | undefined;
  lastRewrites: number;
}

interface JobState {
  readonly band: PclBand;
  readonly isDuplex: boolean;
  lastMedia: string | undefined;
  pagesSent: number;
  page: PageState | undefined;
}

/** The engine resolution for a page: the page's own when the engine has it, else the job's, else the default. */
function engineDpi(caps: DriverCapabilities, header: RasterPageHeader, jobDpi: number): number {
  const has = (d: number): boolean => caps.resolutions.some((r) => r.x === d);
  if (header.xDpi === header.yDpi && has(header.xDpi)) return header.xDpi;
  if (has(jobDpi)) return jobDpi;
  return caps.resolutions[0]?.x ?? 600;
}

class PclDriver implements RasterDriver {
  readonly capabilities: DriverCapabilities;
  readonly #settings: PclSettings;
  readonly #jobs = new Map<number, JobState>();

  constructor(settings: PclSettings) {
    this.#settings = settings;
    this.capabilities = settings.capabilities;
  }

  async startJob(ctx: JobContext): Promise<void> {
    const band = new PclBand(ctx.port.preferredChunk, BAND_SLACK);
    const isDuplex = this.#settings.hasDuplex && ctx.options.sides !== 'one-sided';
    this.#jobs.set(ctx.jobId, { band, isDuplex, lastMedia: undefined, pagesSent: 0, page: undefined });
    if (this.#settings.usePjl) band.text(`${UEL}@PJL ENTER LANGUAGE=PCL\r\n`);
    band.text('\x1bE');
    // Duplex binding: 1 long edge, 2 short edge (HP PCL 5 "Simplex/Duplex Print").
    if (isDuplex) band.cmd(c('&'), c('l'), ctx.options.sides === 'two-sided-short-edge' ? 2 : 1, c('S'));
    ctx.log.debug({ jobId: ctx.jobId, isDuplex, usePjl: this.#settings.usePjl }, 'pcl job started');
  }

  async startPage(ctx: PageContext): Promise<void> {
    const job = this.#job(ctx);
    const { band } = job;
    const media = pageMedia(ctx.header, ctx.options.media, this.capabilities.media.supported);
    if (media.name !== job.lastMedia) {
      // Page size resets the margins: top margin 0 so ESC&a#V counts from the top of the logical page.
      const code = pageSizeCode(media.size);
      if (code !== undefined) band.cmd(c('&'), c('l'), code, c('A'));
      else ctx.log.debug({ media: media.name }, 'pcl has no page size code for this media; engine default used');
      band.cmd(c('&'), c('l'), 0, c('E'));
      job.lastMedia = media.name;
    }
    // A copy after an odd page count starts on the front of a new sheet.
    if (job.isDuplex && ctx.page === 1 && job.pagesSent % 2 === 1) band.cmd(c('&'), c('a'), 1, c('G'));
    const dpi = engineDpi(this.capabilities, ctx.header, ctx.options.resolution.x);
    const area = pclArea(media.size, dpi);
    const target = { widthDots: area.widthDots, heightDots: area.heightDots, xDpi: dpi, yDpi: dpi, scaling: ctx.options.printScaling };
    const isColorPage =
      this.#settings.isColor &&
      ctx.options.printColorMode !== 'monochrome' &&
      ctx.options.printColorMode !== 'bi-level' &&
      (ctx.header.colorSpace === 'srgb' || ctx.header.colorSpace === 'adobe-rgb' || ctx.header.colorSpace === 'cmyk');
    const quality = ctx.options.printQuality || ctx.header.printQuality;
    const mono = isColorPage ? undefined : createMonoPage(ctx.header, target, quality);
    const color = isColorPage ? createColorPage(ctx.header, target, quality) : undefined;
    const geometry = (mono ?? color) as MonoPage | ColorPage;
    const planes = isColorPage ? CMY_CHANNELS.length : 1;
    const encoder = new PclRasterEncoder(planes, geometry.bytesPerRow);
    const rowBuffer = encoder.rowBuffer;
    if (mono !== undefined && rowBuffer !== undefined) mono.renderInto(rowBuffer);
    // Raster setup, all outside raster graphics mode.
    band.cmd(c('*'), c('t'), dpi, c('R'));
    if (this.#settings.isColor) band.cmd(c('*'), c('r'), isColorPage ? -3 : 1, c('U'));
    band.cmd(c('*'), c('r'), geometry.width, c('S'));
    band.cmd(c('*'), c('r'), geometry.height, c('T'));
    band.cmd(c('&'), c('a'), 0, c('H'));
    band.cmd(c('&'), c('a'), area.topDecipoints, c('V'));
    band.cmd(c('*'), c('r'), 1, c('A'));
    encoder.start();
    job.page = { mono, color, encoder, single: [new Uint8Array(0)], lastRow: undefined, lastRewrites: -1 };
    ctx.log.debug({ page: ctx.page, media: media.name, dpi, width: geometry.width, height: geometry.height, isColorPage }, 'pcl page started');
  }

  writeLine(ctx: PageContext, y: number, line: Uint8Array): void | Promise<void> {
    const job = this.#job(ctx);
    const page = job.page;
    if (page === undefined) throw new DriverError(`pcl driver: page ${ctx.page} of job ${ctx.jobId} was not started`);
    const { band } = job;
    const { encoder } = page;
    const mono = page.mono;
    if (mono !== undefined) {
      const rows = mono.rows(line, y);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as Uint8Array;
        const isRepeat = row === page.lastRow && mono.rewrites === page.lastRewrites;
        page.lastRow = row;
        page.lastRewrites = mono.rewrites;
        page.single[0] = row;
        encoder.row(page.single, band, isRepeat);
      }
    } else if (page.color !== undefined) {
      const rows = page.color.rows(line, y);
      for (let i = 0; i < rows.length; i++) encoder.row(rows[i] as readonly Uint8Array[], band);
    }
    if (band.cut()) return band.writeReady(ctx.port, ctx.signal);
    return undefined;
  }

  async endPage(ctx: PageContext): Promise<void> {
    const job = this.#job(ctx);
    // Trailing blank rows are never sent: end raster graphics and eject.
    job.band.text('\x1b*rB\f');
    job.page = undefined;
    job.pagesSent++;
    await job.band.flush(ctx.port, ctx.signal);
  }

  async endJob(ctx: JobContext, outcome: JobOutcome): Promise<void> {
    const job = this.#jobs.get(ctx.jobId);
    this.#jobs.delete(ctx.jobId);
    if (job === undefined) return;
    const { band } = job;
    const trailer = `${job.page !== undefined ? '\x1b*rB' : ''}\x1bE${this.#settings.usePjl ? UEL : ''}`;
    if (outcome === 'completed') {
      band.text(trailer);
      await band.flush(ctx.port, ctx.signal);
      return;
    }
    // Cut off: drop what was not sent, then reset the engine so it ejects the partial page (best effort).
    band.clear();
    band.text(trailer);
    try {
      await band.flush(ctx.port, AbortSignal.timeout(5000));
    } catch (err) {
      ctx.log.warn({ err }, 'pcl engine could not be reset after the job');
    }
  }

  async status(port: TransportPort | undefined, log: Logger): Promise<EngineStatus> {
    return pclStatus(port, log);
  }

  #job(ctx: JobContext): JobState {
    const job = this.#jobs.get(ctx.jobId);
    if (job === undefined) throw new DriverError(`pcl driver: job ${ctx.jobId} was not started`);
    return job;
  }
}

/** A PCL 3/5 driver for the board config's `engine.options` (ConfigError on a bad option). */
export function createPclDriver(options: Readonly<Record<string, unknown>>, log: Logger): RasterDriver {
  const settings = pclSettings(options);
  log.debug({ color: settings.isColor, duplex: settings.hasDuplex, pjl: settings.usePjl }, 'pcl driver configured');
  return new PclDriver(settings);
}
