// The pipeline when the engine link drops mid-job: the job is held until the engine is back, then printed again
// from the interrupted page (or the first page, or aborted, as configured); streamed documents via a replay copy.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { JobContext, JobOutcome, PageContext, RasterDriver } from '../../drivers/driver.js';
import type { TransportPort } from '../../drivers/transports/transport.js';
import { TransportError } from '../../src/errors.js';
import { runPipeline, type PipelineDeps, type PipelineJob, type Recovery } from '../../src/job/pipeline.js';
import { defaultOptions } from '../../src/job/options.js';
import { PrinterState } from '../../src/printer/state.js';
import { FAKE_CAPABILITIES, FakePort, testDocument } from '../support/fake-engine.js';
import { documentOf } from '../support/ipp-client.js';

const silent = pino({ level: 'silent' });

/** A driver that notes every finished page and whose link can be unplugged during page `unplugOn`. */
class UnpluggableEngine implements RasterDriver {
  readonly capabilities = FAKE_CAPABILITIES;
  /** pages finished, in order, over every attempt */
  readonly printed: number[] = [];
  starts = 0;
  unplugOn: number | undefined;
  #plugged = true;
  #replug: (() => void) | undefined;
  opens = 0;

  async openPort(_log: unknown, signal: AbortSignal): Promise<TransportPort> {
    if (!this.#plugged) {
      // Wait for the device, as a kept-open link does.
      await new Promise<void>((resolve, reject) => {
        this.#replug = resolve;
        signal.addEventListener('abort', () => reject(new TransportError('canceled', 'canceled')), { once: true });
      });
    }
    this.opens++;
    return new FakePort();
  }
  replug(): void {
    this.#plugged = true;
    this.#replug?.();
  }
  async startJob(): Promise<void> {
    this.starts++;
  }
  async startPage(ctx: PageContext): Promise<void> {
    if (ctx.page === this.unplugOn) {
      this.unplugOn = undefined;
      this.#plugged = false;
      throw new TransportError('disconnected', 'the printer was unplugged');
    }
  }
  writeLine(): void {}
  async endPage(ctx: PageContext): Promise<void> {
    this.printed.push(ctx.page);
  }
  async endJob(_ctx: JobContext, _outcome: JobOutcome): Promise<void> {}
}

function job(over: Partial<PipelineJob>, stopped: boolean[]): PipelineJob {
  const doc = testDocument(3);
  return {
    jobId: 7,
    jobName: 'recover',
    format: 'image/pwg-raster',
    compression: 'none',
    options: defaultOptions(FAKE_CAPABILITIES),
    copies: [() => documentOf(doc, 50)],
    log: silent,
    signal: new AbortController().signal,
    onStopped: (s) => stopped.push(s),
    onPage: () => undefined,
    ...over,
  };
}

function deps(engine: UnpluggableEngine, recovery: Recovery, replayDir?: string): PipelineDeps {
  return {
    driver: engine,
    openPort: (log, signal) => engine.openPort(log, signal),
    state: new PrinterState(new Date(), []),
    recovery,
    ...(replayDir ? { replay: { dir: replayDir, maxBytes: 1 << 20 } } : {}),
  };
}

async function unplugAndReplug(engine: UnpluggableEngine, stopped: boolean[], run: Promise<unknown>): Promise<void> {
  while (!stopped.includes(true)) await new Promise((r) => setTimeout(r, 5));
  engine.replug();
  await run;
}

t.test('a spooled job is held while the engine is away and reprinted from the interrupted page', async (t) => {
  const engine = new UnpluggableEngine();
  engine.unplugOn = 2;
  const stopped: boolean[] = [];
  const run = runPipeline(job({}, stopped), deps(engine, 'reprint-page'));
  await unplugAndReplug(engine, stopped, run);
  const result = await run;
  t.equal(result.outcome, 'completed');
  t.same(engine.printed, [1, 2, 3], 'page 1 is not printed twice');
  t.same(stopped, [true, false], 'held, then printing again');
  t.equal(engine.starts, 2);
});

t.test('restart-job prints the whole document again', async (t) => {
  const engine = new UnpluggableEngine();
  engine.unplugOn = 3;
  const stopped: boolean[] = [];
  const run = runPipeline(job({}, stopped), deps(engine, 'restart-job'));
  await unplugAndReplug(engine, stopped, run);
  t.equal((await run).outcome, 'completed');
  t.same(engine.printed, [1, 2, 1, 2, 3]);
});

t.test('recovery abort ends the job with a reason and does not wait', async (t) => {
  const engine = new UnpluggableEngine();
  engine.unplugOn = 2;
  const stopped: boolean[] = [];
  const result = await runPipeline(job({}, stopped), deps(engine, 'abort'));
  t.equal(result.outcome, 'aborted');
  t.match(result.message, /disconnected/);
  t.same(engine.printed, [1]);
  t.same(stopped, []);
});

t.test('a streamed document is kept in a replay copy and printed again from the interrupted page', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-replay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const engine = new UnpluggableEngine();
  engine.unplugOn = 2;
  const stopped: boolean[] = [];
  let reads = 0;
  const doc = testDocument(3);
  const live = (): AsyncIterable<Uint8Array> => {
    reads++;
    return documentOf(doc, 50);
  };
  const run = runPipeline(job({ copies: [live], replayable: false }, stopped), deps(engine, 'reprint-page', dir));
  await unplugAndReplug(engine, stopped, run);
  t.equal((await run).outcome, 'completed');
  t.same(engine.printed, [1, 2, 3]);
  t.equal(reads, 1, 'the live stream is read once');
  t.same(await readdir(dir), [], 'the replay copy is removed');
});

t.test('a streamed document without a replay copy is aborted when the engine goes away', async (t) => {
  const engine = new UnpluggableEngine();
  engine.unplugOn = 2;
  const stopped: boolean[] = [];
  const result = await runPipeline(job({ replayable: false }, stopped), deps(engine, 'reprint-page'));
  t.equal(result.outcome, 'aborted');
  t.same(engine.printed, [1]);
});

t.test('canceling a held job ends it as canceled', async (t) => {
  const engine = new UnpluggableEngine();
  engine.unplugOn = 1;
  const stopped: boolean[] = [];
  const ac = new AbortController();
  const run = runPipeline(job({ signal: ac.signal }, stopped), deps(engine, 'reprint-page'));
  while (!stopped.includes(true)) await new Promise((r) => setTimeout(r, 5));
  ac.abort('job-canceled-by-user');
  const result = await run;
  t.equal(result.outcome, 'canceled');
  t.same(engine.printed, []);
});

t.test('a link that refuses to open after an unplug is retried until it opens, and the job is held only once', async (t) => {
  const engine = new UnpluggableEngine();
  engine.unplugOn = 2;
  let refusals = 0;
  const stopped: boolean[] = [];
  const d = deps(engine, 'reprint-page');
  const run = runPipeline(job({}, stopped), {
    ...d,
    // After the unplug the engine refuses connections twice (a socket engine that is down), then accepts.
    openPort: async (log, signal) => {
      if (engine.printed.length > 0 && refusals < 2) {
        refusals++;
        throw new TransportError('disconnected', 'connection refused');
      }
      engine.replug();
      return engine.openPort(log, signal);
    },
  });
  const result = await run;
  t.equal(result.outcome, 'completed');
  t.equal(refusals, 2);
  t.same(engine.printed, [1, 2, 3]);
  t.same(stopped, [true, false], 'held once, released once, however many attempts');
});
