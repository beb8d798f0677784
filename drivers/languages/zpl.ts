// ZPL II label printer driver: each page becomes one ^XA…^XZ label holding a ^GFA graphic field in ZPL ASCII
// compression. ^GF states its size before the data, so a label is collected (compressed, capped) and sent at endPage.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { DriverError } from '../../src/errors.js';
import type { DriverCapabilities, EngineStatus, JobContext, JobOutcome, PageContext, RasterDriver } from '../driver.js';
import type { TransportPort } from '../transports/transport.js';
import { CommandBuffer, PortLock } from './escpos-zpl-port-writer.js';
import { createMonoPage, type MonoPage } from './mono-page.js';
import { ZplRowEncoder } from './zpl-compress.js';
import { labelDots, zplSettings, type ZplMediaTracking, type ZplSettings } from './zpl-options.js';
import { queryZplHostStatus, ZPL_STATUS_TIMEOUT_MS, zplReasons } from './zpl-status.js';

/** Largest compressed graphic kept for one label (a 4x6 in label at 600 dpi is at most about 2.2 MB). */
export const MAX_ZPL_LABEL_BYTES = 8 * 1024 * 1024;
/** How long the cancel command of a cut-off job may take. */
const CANCEL_TIMEOUT_MS = 2000;
/** Size of the pieces the compressed graphic is collected in. */
const PART_BYTES = 16 * 1024;

const TRACKING: Readonly<Record<ZplMediaTracking, string>> = { gap: 'Y', mark: 'M', continuous: 'N' };

interface LabelState {
  readonly mono: MonoPage;
  readonly encoder: ZplRowEncoder;
  /** filled parts of the compressed graphic, then `part` up to `used` */
  readonly data: Uint8Array[];
  part: Uint8Array;
  used: number;
  bytes: number;
  rows: number;
}

interface JobState {
  readonly out: CommandBuffer;
  label: LabelState | undefined;
  /** bytes of this job went to the port */
  hasSent: boolean;
}

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');

class ZplDriver implements RasterDriver {
  readonly capabilities: DriverCapabilities;
  readonly #settings: ZplSettings;
  readonly #lock = new PortLock();
  readonly #jobs = new Map<number, JobState>();

  constructor(settings: ZplSettings) {
    this.#settings = settings;
    this.capabilities = settings.capabilities;
  }

  async startJob(ctx: JobContext): Promise<void> {
    this.#jobs.set(ctx.jobId, { out: new CommandBuffer(), label: undefined, hasSent: false });
  }

  async startPage(ctx: PageContext): Promise<void> {
    const job = this.#job(ctx);
    const s = this.#settings;
    const label = labelDots(ctx.options.media, s.xDpi, s.yDpi) ?? labelDots(s.capabilities.media.default, s.xDpi, s.yDpi);
    const widthDots = Math.max(1, Math.min(s.headDots, label?.width ?? s.headDots));
    const mono = createMonoPage(
      ctx.header,
      { widthDots, ...(label ? { heightDots: Math.max(1, label.length) } : {}), xDpi: s.xDpi, yDpi: s.yDpi, scaling: ctx.options.printScaling },
      ctx.options.printQuality,
    );
    job.label = { mono, encoder: new ZplRowEncoder(mono.bytesPerRow), data: [], part: new Uint8Array(PART_BYTES), used: 0, bytes: 0, rows: 0 };
  }

  writeLine(ctx: PageContext, y: number, line: Uint8Array): void {
    const label = this.#job(ctx).label;
    if (label === undefined) throw new DriverError(`zpl: page ${ctx.page} of job ${ctx.jobId} was not started`);
    for (const row of label.mono.rows(line, y)) this.#addRow(label, row);
  }

  async endPage(ctx: PageContext): Promise<void> {
    const job = this.#job(ctx);
    const label = job.label;
    if (label === undefined) return;
    job.label = undefined;
    const { mono } = label;
    // A page that yielded fewer rows than its length (defensive) is completed with white rows.
    const blank = new Uint8Array(mono.bytesPerRow);
    while (label.rows < mono.height) this.#addRow(label, blank);
    const total = mono.bytesPerRow * label.rows;
    job.out.push(ascii(this.#labelHead(mono)));
    job.out.push(ascii(`^FO0,0^GFA,${total},${total},${mono.bytesPerRow},`));
    for (const part of label.data) job.out.push(part);
    job.out.push(label.part.subarray(0, label.used));
    job.out.push(ascii('^FS\n^PQ1\n^XZ\n'));
    job.hasSent = true;
    await job.out.flush(ctx.port, this.#lock, ctx.signal);
  }

  async endJob(ctx: JobContext, outcome: JobOutcome): Promise<void> {
    const job = this.#jobs.get(ctx.jobId);
    this.#jobs.delete(ctx.jobId);
    if (job === undefined || outcome === 'completed') return;
    job.out.clear();
    if (!job.hasSent) return;
    // ~JA (cancel all) drops this job's labels the engine still holds, and a graphic cut off mid-transfer.
    try {
      await this.#lock.run(() => ctx.port.write(ascii('~JA'), AbortSignal.timeout(CANCEL_TIMEOUT_MS)), AbortSignal.timeout(CANCEL_TIMEOUT_MS));
    } catch (err) {
      ctx.log.warn({ err }, 'ZPL engine could not be told to cancel the job');
    }
  }

  async status(port: TransportPort | undefined, log: Logger): Promise<EngineStatus> {
    if (port === undefined || port.read === undefined) return { reasons: [], supplies: [] };
    try {
      const hs = await this.#lock.run(() => queryZplHostStatus(port, log), AbortSignal.timeout(ZPL_STATUS_TIMEOUT_MS));
      return { reasons: hs === undefined ? [] : zplReasons(hs), supplies: [] };
    } catch (err) {
      log.debug({ err }, 'ZPL status skipped: the port is busy with a job');
      return { reasons: [], supplies: [] };
    }
  }

  #job(ctx: JobContext): JobState {
    const job = this.#jobs.get(ctx.jobId);
    if (job === undefined) throw new DriverError(`zpl: job ${ctx.jobId} was not started`);
    return job;
  }

  #addRow(label: LabelState, row: Uint8Array): void {
    const code = label.encoder.encode(row);
    label.bytes += code.length;
    if (label.bytes > MAX_ZPL_LABEL_BYTES) throw new DriverError(`zpl: label graphic exceeds ${MAX_ZPL_LABEL_BYTES} bytes`);
    // Rows are small: collect them into parts of PART_BYTES instead of one array per row.
    if (label.used + code.length > label.part.length) {
      label.data.push(label.part.subarray(0, label.used));
      label.part = new Uint8Array(Math.max(PART_BYTES, code.length));
      label.used = 0;
    }
    label.part.set(code, label.used);
    label.used += code.length;
    label.rows++;
  }

  /** Settings and geometry commands before the graphic. */
  #labelHead(mono: MonoPage): string {
    const s = this.#settings;
    let head = s.darkness === undefined ? '' : `~SD${String(s.darkness).padStart(2, '0')}\n`;
    head += '^XA\n';
    if (s.mediaTracking !== undefined) head += `^MN${TRACKING[s.mediaTracking]}\n`;
    if (s.printSpeed !== undefined) head += `^PR${s.printSpeed}\n`;
    head += `^PW${mono.width}\n^LL${mono.height}\n^LH0,0\n`;
    return head;
  }
}

/** The ZPL label printer driver for the board config's engine.options (throws ConfigError on bad options). */
export function createZplDriver(options: Readonly<Record<string, unknown>>, log: Logger): RasterDriver {
  const settings = zplSettings(options);
  log.debug({ mod: 'zpl', headDots: settings.headDots, dpi: settings.xDpi }, 'ZPL driver configured');
  return new ZplDriver(settings);
}
