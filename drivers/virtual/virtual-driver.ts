// The virtual engine's raster driver: each page becomes a PNG byte stream (tEXt ippbridge-job / ippbridge-page)
// written to the port in bands of port.preferredChunk.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { DriverError } from '../../src/errors.js';
import type {
  DriverCapabilities,
  EngineStatus,
  JobContext,
  JobOutcome,
  PageContext,
  RasterDriver,
} from '../driver.js';
import type { TransportPort } from '../transports/transport.js';
import { engineStatusFrom, type FaultWatcher } from './faults.js';
import { PngPageEncoder } from './png-writer.js';
import { TEXT_JOB, TEXT_PAGE } from './port.js';

/** One identify request as the virtual engine "performed" it (there is no real LED or beeper). */
export interface IdentifyRecord {
  readonly actions: readonly string[];
  readonly message: string | undefined;
  readonly at: Date;
}

interface PageState {
  readonly encoder: PngPageEncoder;
  /** compressed bytes not yet written to the port */
  pending: Buffer[];
  pendingBytes: number;
}

/** Driver for the virtual engine. */
export class VirtualDriver implements RasterDriver {
  readonly capabilities: DriverCapabilities;
  /** Identify requests received, oldest first. */
  readonly identifications: IdentifyRecord[] = [];
  readonly #faults: FaultWatcher;
  readonly #log: Logger;
  readonly #pages = new Map<number, PageState>();

  constructor(capabilities: DriverCapabilities, faults: FaultWatcher, log: Logger) {
    this.capabilities = capabilities;
    this.#faults = faults;
    this.#log = log;
  }

  async startJob(ctx: JobContext): Promise<void> {
    ctx.log.debug({ jobId: ctx.jobId }, 'virtual engine job started');
  }

  async startPage(ctx: PageContext): Promise<void> {
    this.#pages.get(ctx.jobId)?.encoder.destroy();
    const encoder = new PngPageEncoder(
      ctx.header,
      { [TEXT_JOB]: String(ctx.jobId), [TEXT_PAGE]: String(ctx.page) },
      { bandBytes: ctx.port.preferredChunk },
    );
    const head = encoder.head();
    this.#pages.set(ctx.jobId, { encoder, pending: [head], pendingBytes: head.length });
  }

  writeLine(ctx: PageContext, _y: number, line: Uint8Array): void | Promise<void> {
    const state = this.#state(ctx);
    if (state.encoder.addLine(line)) return this.#flushBand(ctx, state);
    return undefined;
  }

  async endPage(ctx: PageContext): Promise<void> {
    const state = this.#state(ctx);
    const tail = await state.encoder.finish();
    this.#pages.delete(ctx.jobId);
    state.pending.push(tail);
    state.pendingBytes += tail.length;
    await this.#write(ctx, state);
  }

  async endJob(ctx: JobContext, outcome: JobOutcome): Promise<void> {
    const state = this.#pages.get(ctx.jobId);
    this.#pages.delete(ctx.jobId);
    if (state !== undefined) {
      // A page was cut off: drop the encoder and the partial file the port holds.
      state.encoder.destroy();
      try {
        await ctx.port.discard();
      } catch (err) {
        ctx.log.warn({ err }, 'virtual engine could not drop the partial page');
      }
    }
    ctx.log.debug({ jobId: ctx.jobId, outcome }, 'virtual engine job ended');
  }

  async status(_port: TransportPort | undefined, _log: Logger): Promise<EngineStatus> {
    return engineStatusFrom(await this.#faults.current(), this.capabilities.media.ready);
  }

  async identify(actions: readonly string[], message: string | undefined, _port: TransportPort | undefined): Promise<void> {
    this.identifications.push({ actions: [...actions], message, at: new Date() });
    this.#log.info({ actions, message }, 'virtual engine identify');
  }

  #state(ctx: PageContext): PageState {
    const state = this.#pages.get(ctx.jobId);
    if (state === undefined) throw new DriverError(`virtual driver: page ${ctx.page} of job ${ctx.jobId} was not started`);
    return state;
  }

  async #flushBand(ctx: PageContext, state: PageState): Promise<void> {
    const idat = await state.encoder.compressBand();
    state.pending.push(idat);
    state.pendingBytes += idat.length;
    if (state.pendingBytes >= ctx.port.preferredChunk) await this.#write(ctx, state);
  }

  /** Write pending bytes in pieces of at most preferredChunk, one write in flight. */
  async #write(ctx: JobContext, state: PageState): Promise<void> {
    const data = Buffer.concat(state.pending, state.pendingBytes);
    state.pending = [];
    state.pendingBytes = 0;
    const chunk = Math.max(1, ctx.port.preferredChunk);
    for (let i = 0; i < data.length; i += chunk) {
      await ctx.port.write(data.subarray(i, Math.min(data.length, i + chunk)), ctx.signal);
    }
  }
}
