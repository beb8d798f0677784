// Test helpers for the PCL driver: a recording TransportPort and a job runner that feeds a PWG raster through
// the real reader into a driver, noting which writeLine calls returned a promise.
// SPDX-License-Identifier: Apache-2.0
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { JobContext, JobOutcome, PageContext, PrintOptions, RasterDriver } from '../../../drivers/driver.js';
import type { PortStatus, TransportMetrics, TransportPort } from '../../../drivers/transports/transport.js';
import { TransportError } from '../../../src/errors.js';
import { readPwgRaster } from '../../../src/raster/pwg.js';
import { chunked, encodePwgRaster, type TestPage } from '../../support/raster-writer.js';
import { printOptions } from '../../support/print-options.js';

/** A silent logger. */
export function quietLog(): Logger {
  return pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
}

/** Job options as the stack defaults them, Letter mono at 600 dpi. */
export const OPTIONS = printOptions('na_letter_8.5x11in', { x: 600, y: 600 }, 'face-down');

/** A port that records each write; `failAfter` makes writes reject once that many bytes were accepted. */
export class RecordingPort implements TransportPort {
  readonly uri = 'recording:';
  readonly isOpen = true;
  readonly preferredChunk: number;
  readonly disconnected = new AbortController().signal;
  readonly writes: Uint8Array[] = [];
  bytes = 0;
  failAfter = Infinity;
  status: PortStatus | Error | undefined;

  constructor(preferredChunk = 4096) {
    this.preferredChunk = preferredChunk;
  }

  get metrics(): TransportMetrics {
    return { bytesWritten: this.bytes, bytesRead: 0, writeMs: 0 };
  }

  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) throw new TransportError('canceled', 'write canceled');
    if (this.bytes + data.length > this.failAfter) throw new TransportError('disconnected', 'recording port gone', { bytesAccepted: 0 });
    this.writes.push(Uint8Array.from(data));
    this.bytes += data.length;
  }

  async drain(): Promise<void> {}
  async discard(): Promise<void> {}
  async close(): Promise<void> {}

  /** Everything written, in one buffer. */
  output(): Buffer {
    return Buffer.concat(this.writes);
  }
}

/** What a run saw: for each writeLine, whether it returned a promise and whether the port was written meanwhile. */
export interface RunResult {
  readonly output: Buffer;
  readonly lineCalls: number;
  readonly promises: number;
  /** writeLine calls that wrote to the port without returning a promise */
  readonly silentWrites: number;
  /** writeLine calls that returned a promise but wrote nothing */
  readonly emptyPromises: number;
}

/** Print `pages` (as PWG raster, through the real reader) with `driver` to `port`. */
export async function runJob(
  driver: RasterDriver,
  pages: readonly TestPage[],
  port: RecordingPort,
  options: Partial<PrintOptions> = {},
  outcome: JobOutcome = 'completed',
): Promise<RunResult> {
  const log = quietLog();
  const ctx: JobContext = { jobId: 1, jobName: 'test', options: { ...OPTIONS, ...options }, port, log, signal: new AbortController().signal };
  let lineCalls = 0;
  let promises = 0;
  let silentWrites = 0;
  let emptyPromises = 0;
  await driver.startJob(ctx);
  for await (const page of readPwgRaster(chunked(encodePwgRaster(pages), 4096))) {
    const pctx: PageContext = { ...ctx, page: page.number, header: page.header };
    await driver.startPage(pctx);
    let y = 0;
    for await (const line of page.lines()) {
      const before = port.writes.length;
      const pending = driver.writeLine(pctx, y++, line);
      lineCalls++;
      if (pending) {
        promises++;
        await pending;
        if (port.writes.length === before) emptyPromises++;
      } else if (port.writes.length !== before) silentWrites++;
    }
    await driver.endPage(pctx);
  }
  await driver.endJob(ctx, outcome);
  return { output: port.output(), lineCalls, promises, silentWrites, emptyPromises };
}
