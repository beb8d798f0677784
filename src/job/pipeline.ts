// The job pipeline: document bytes -> decompression -> raster reader -> driver -> transport, pull-based so the
// engine's pace throttles everything up to the client's TCP window (architecture.md §4).
// SPDX-License-Identifier: Apache-2.0
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createInflateRaw } from 'node:zlib';
import type { Logger } from 'pino';
import type { JobContext, JobOutcome, PageContext, PrintOptions, RasterDriver } from '../../drivers/driver.js';
import type { TransportPort } from '../../drivers/transports/transport.js';
import { FirmwareError, RasterError, TransportError } from '../errors.js';
import { LineReader } from '../raster/line-reader.js';
import { readDocumentOffThread } from '../raster/off-thread.js';
import { placeImage, type PageFrame } from '../raster/place-image.js';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ReplayCopy } from './replay.js';
import { parseMediaSize } from '../printer/media.js';
import type { PrinterState } from '../printer/state.js';

/** What a job does when its engine link drops mid-job (board config `engine.recovery`). */
export type Recovery = 'reprint-page' | 'restart-job' | 'abort';

/** What the pipeline needs from the printer. */
export interface PipelineDeps {
  readonly driver: RasterDriver;
  readonly openPort: (log: Logger, signal: AbortSignal) => Promise<TransportPort>;
  readonly state: PrinterState;
  /** default 'reprint-page': wait for the engine, then print again from the interrupted page */
  readonly recovery?: Recovery;
  /** where streamed documents are copied so they can be reprinted (set for kept-open links: USB, serial) */
  readonly replay?: { readonly dir: string; readonly maxBytes: number };
}

/** One run of one job. */
export interface PipelineJob {
  readonly jobId: number;
  readonly jobName: string;
  readonly format: string;
  readonly compression: string;
  readonly options: PrintOptions;
  /** a fresh document stream per copy (a spooled file can be read again; a live stream only once) */
  readonly copies: readonly (() => AsyncIterable<Uint8Array>)[];
  /** false for a document streaming from the client (read once); default true (spooled, can be read again) */
  readonly replayable?: boolean;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** called while the engine holds the job (true) and when it resumes (false) */
  readonly onStopped: (stopped: boolean) => void;
  /** called after each printed page */
  readonly onPage: () => void;
}

/** How a run ended, with the job-state-reasons that explain it. */
export interface PipelineResult {
  readonly outcome: JobOutcome;
  readonly reasons: readonly string[];
  readonly message: string;
}

class CompressionError extends FirmwareError {
  constructor(cause: unknown) {
    super('ERR_RASTER_FORMAT', `document decompression failed: ${(cause as Error).message}`, { cause });
  }
}

/** Undo the IPP `compression` of a document ('deflate' is raw RFC 1951, as CUPS sends it). */
export function decompress(source: AsyncIterable<Uint8Array>, compression: string): AsyncIterable<Uint8Array> {
  if (compression === 'none' || compression === '') return source;
  const z = compression === 'gzip' ? createGunzip() : createInflateRaw();
  pipeline(Readable.from(source, { objectMode: false }), z).catch(() => undefined);
  return (async function* () {
    try {
      for await (const chunk of z) yield chunk as Uint8Array;
    } catch (err) {
      if (err instanceof FirmwareError) throw err;
      throw new CompressionError(err);
    }
  })();
}

/** Resolve once the printer may print (not paused, no stopping engine reason). */
export async function waitPrintable(state: PrinterState, signal: AbortSignal, onStopped: (s: boolean) => void): Promise<void> {
  if (!state.isPaused && !state.isEngineStopped) return;
  onStopped(true);
  while (state.isPaused || state.isEngineStopped) {
    signal.throwIfAborted();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        state.off('change', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      state.on('change', done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
  signal.throwIfAborted();
  onStopped(false);
}

/** Pages finished so far across copies, and how many to skip when printing again after a lost link. */
interface Progress {
  done: number;
  skip: number;
  seq: number;
  /** the job is held (processing-stopped) until the engine link is back */
  held: boolean;
}

async function printCopy(job: PipelineJob, deps: PipelineDeps, ctx: JobContext, source: AsyncIterable<Uint8Array>, progress: Progress): Promise<void> {
  const doc = readDocumentOffThread(job.format, decompress(source, job.compression));
  const o = job.options;
  const size = parseMediaSize(o.media);
  const frame: PageFrame | undefined = size && {
    width: size.width,
    length: size.length,
    xDpi: o.resolution.x,
    yDpi: o.resolution.y,
    pageSizeName: o.media,
  };
  const gray = o.printColorMode === 'monochrome' || o.printColorMode === 'bi-level' || !deps.driver.capabilities.colorModes.includes('color');
  for await (const docPage of doc) {
    if (progress.seq++ < progress.skip) {
      // Printed before the engine went away: read past it.
      for await (const line of docPage.lines()) void line;
      continue;
    }
    // Image documents are placed on the job's media; device raster goes to the engine as it is.
    const page = frame ? placeImage(docPage, frame, o.printScaling, gray) : docPage;
    await waitPrintable(deps.state, job.signal, job.onStopped);
    const pctx: PageContext = { ...ctx, page: page.number, header: page.header };
    await deps.driver.startPage(pctx);
    let y = 0;
    const reader = new LineReader(page);
    for (;;) {
      const line = reader.take() ?? (await reader.next());
      if (line === undefined) break;
      const pending = deps.driver.writeLine(pctx, y++, line);
      if (pending) await pending;
      if (job.signal.aborted) job.signal.throwIfAborted();
    }
    await deps.driver.endPage(pctx);
    progress.done = progress.seq;
    job.onPage();
  }
}

function classify(err: unknown, signal: AbortSignal): PipelineResult {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const byUser = reason === 'job-canceled-by-user' || reason === 'job-canceled-by-operator';
    if (byUser) return { outcome: 'canceled', reasons: [reason], message: 'Canceled.' };
    return { outcome: 'aborted', reasons: ['aborted-by-system'], message: 'Aborted: the document stream was cut off.' };
  }
  if (err instanceof CompressionError) return { outcome: 'aborted', reasons: ['compression-error'], message: err.message };
  if (err instanceof RasterError) return { outcome: 'aborted', reasons: ['document-format-error'], message: err.message };
  if (err instanceof TransportError) return { outcome: 'aborted', reasons: ['aborted-by-system'], message: `Engine: ${err.message}` };
  if (err instanceof FirmwareError) return { outcome: 'aborted', reasons: ['aborted-by-system'], message: err.message };
  return { outcome: 'aborted', reasons: ['aborted-by-system'], message: 'Internal error.' };
}

/** One pass over the job's copies on a freshly acquired port. */
async function runOnce(
  job: PipelineJob,
  deps: PipelineDeps,
  sources: readonly (() => AsyncIterable<Uint8Array>)[],
  progress: Progress,
): Promise<{ result: PipelineResult; err: unknown; opened: boolean }> {
  let port: TransportPort | undefined;
  let ctx: JobContext | undefined;
  let failure: unknown;
  let result: PipelineResult = { outcome: 'completed', reasons: ['job-completed-successfully'], message: 'Completed.' };
  progress.seq = 0;
  try {
    await waitPrintable(deps.state, job.signal, job.onStopped);
    port = await deps.openPort(job.log, job.signal);
    if (progress.held) {
      progress.held = false;
      job.onStopped(false);
      job.log.info({ fromPage: progress.skip + 1 }, 'engine back; printing again');
    }
    ctx = { jobId: job.jobId, jobName: job.jobName, options: job.options, port, log: job.log, signal: job.signal };
    await deps.driver.startJob(ctx);
    for (const copy of sources) await printCopy(job, deps, ctx, copy(), progress);
  } catch (err) {
    failure = err;
    result = classify(err, job.signal);
    if (port) await port.discard().catch(() => undefined);
  } finally {
    if (ctx) {
      try {
        await deps.driver.endJob(ctx, result.outcome);
        if (result.outcome === 'completed') await ctx.port.drain();
      } catch (err) {
        if (result.outcome === 'completed') {
          failure = err;
          result = classify(err, job.signal);
        }
      }
    }
    if (port) await port.close().catch(() => undefined);
  }
  return { result, err: failure, opened: port !== undefined };
}

/** Pause between attempts to reopen an engine link that refused to open. */
export const RELINK_DELAY_MS = 2000;

function isLinkLost(err: unknown, signal: AbortSignal): boolean {
  return !signal.aborted && err instanceof TransportError && err.kind === 'disconnected';
}

/** Run a job through the engine. Never throws: every failure becomes an outcome with reasons. */
export async function runPipeline(job: PipelineJob, deps: PipelineDeps): Promise<PipelineResult> {
  const recovery = deps.recovery ?? 'reprint-page';
  const live = job.copies[0];
  const replay =
    job.replayable === false && live && deps.replay && recovery !== 'abort'
      ? new ReplayCopy(join(deps.replay.dir, `${job.jobId}.replay`), deps.replay.maxBytes, job.log)
      : undefined;
  let sources = replay && live ? [() => replay.tee(live())] : job.copies;
  const progress: Progress = { done: 0, skip: 0, seq: 0, held: false };
  try {
    for (;;) {
      const { result, err, opened } = await runOnce(job, deps, sources, progress);
      if (!isLinkLost(err, job.signal)) {
        if (result.outcome === 'aborted' && !job.signal.aborted) job.log.error({ err }, 'job aborted');
        return result;
      }
      // The engine went away mid-job: hold the job until it is back, then print again (recovery rule).
      if (!progress.held) job.log.warn({ pagesDone: progress.done, recovery }, 'engine link lost mid-job');
      // A link that refuses to open at once (a socket engine that is down) is retried at a calm pace.
      if (!opened) await delay(RELINK_DELAY_MS, undefined, { signal: job.signal });
      if (recovery === 'abort' || (job.replayable === false && !replay)) {
        return { outcome: 'aborted', reasons: ['aborted-by-system'], message: 'The engine was disconnected during the job.' };
      }
      if (!progress.held) job.onStopped(true);
      if (replay) {
        if (!(await replay.finish(job.signal))) {
          return { outcome: 'aborted', reasons: ['aborted-by-system'], message: 'The engine was disconnected and the streamed document is too large to print again.' };
        }
        sources = [() => replay.read()];
      }
      progress.skip = recovery === 'reprint-page' ? progress.done : 0;
      progress.held = true;
    }
  } catch (err) {
    return classify(err, job.signal);
  } finally {
    await replay?.remove();
  }
}
