// The engine side of the job queue: which job prints next, one at a time, how its run is recorded (durable before
// visible), and the active job following the engine's stopping conditions.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { PrinterState } from '../printer/state.js';
import type { Job, JobStateName } from './job.js';
import type { JobStore } from './store.js';
import { runPipeline, type PipelineDeps } from './pipeline.js';

/** What the runner needs from the queue that owns the jobs. */
export interface RunnerHost {
  readonly jobs: ReadonlyMap<number, Job>;
  readonly store: JobStore;
  readonly pipeline: PipelineDeps;
  readonly state: PrinterState;
  readonly log: Logger;
  now(): number;
  /** a job changed state (the queue's 'change' event) */
  changed(): void;
  /** save a job that reached a terminal state, drop its spool, apply retention */
  finish(job: Job): Promise<void>;
  /** save a job's record and report the change */
  save(job: Job): Promise<void>;
  /** forget a job that was never durable (its first save failed) */
  forget(id: number): void;
}

/** Runs a printer's jobs on its engine, one at a time. */
export class JobRunner {
  readonly #host: RunnerHost;
  #active: Job | undefined;
  /** the active job while followEngine() holds it for an engine condition */
  #heldByEngine: Job | undefined;
  #stopped = false;
  /** the active job's run, to its last save */
  #running: Promise<void> | undefined;

  constructor(host: RunnerHost) {
    this.#host = host;
  }

  /** The job being printed. */
  get active(): Job | undefined {
    return this.#active;
  }

  /**
   * Take no more work, abort the active job and give its run up to `graceMs` to send the engine its end-of-job
   * sequence and save its record. Shutdown never hangs on the engine: a run still going by then is recovered from its
   * record at the next start.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    const running = this.#running;
    if (this.#active === undefined || running === undefined) return;
    this.#active.controller.abort('shutdown');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([running.catch(() => undefined), grace]);
    clearTimeout(timer);
  }

  /** Whether a job is waiting to print or printing. */
  get hasWork(): boolean {
    return this.#active !== undefined || [...this.#host.jobs.values()].some((j) => this.#isEligible(j));
  }

  /** A spooled, pending job waits for the engine. */
  #isEligible(j: Job): boolean {
    return j.state === 'pending' && j.record.documentState === 'spooled';
  }

  /** Whether `job`'s document (or, without a job, a new job's document) would stream straight to the engine. */
  canStreamNow(job: Job | undefined): boolean {
    const s = this.#host.state;
    if (this.#active || s.isPaused || s.isEngineStopped || this.#stopped) return false;
    if (job && (job.state !== 'pending' || job.record.options.copies > 1)) return false;
    for (const j of this.#host.jobs.values()) if (j !== job && this.#isEligible(j)) return false;
    return true;
  }

  /**
   * RFC 8011 §5.3.7: the job being printed is processing-stopped while the engine reports a stopping condition, even
   * in the middle of a page (the pipeline itself only waits between pages); it goes back to processing when it clears.
   */
  followEngine(): void {
    const job = this.#active;
    if (!job) return;
    const stopped = this.#host.state.isEngineStopped;
    if (stopped && job.state === 'processing') {
      this.#heldByEngine = job;
      job.transition('processing-stopped', ['printer-stopped'], this.#host.now());
      this.#host.changed();
    } else if (!stopped && this.#heldByEngine === job && job.state === 'processing-stopped') {
      this.#heldByEngine = undefined;
      job.transition('processing', ['job-printing'], this.#host.now());
      this.#host.changed();
    }
  }

  /** Start the next spooled job when the engine is free. */
  pump(): void {
    if (this.#active || this.#stopped) return;
    const h = this.#host;
    if (h.state.isPaused || h.state.isEngineStopped) return;
    const next = [...h.jobs.values()].find((j) => this.#isEligible(j));
    if (!next) return;
    const copies = Array.from({ length: next.record.options.copies }, () => () => h.store.readSpool(next.id));
    this.run(next, copies, next.controller.signal).catch((err: unknown) => h.log.error({ err, jobId: next.id }, 'job run failed'));
  }

  /**
   * Print one job. `saveIdMark`: the job is new (Print-Job streaming): its id mark is written with the record, and
   * the job is forgotten when that write fails (the client gets the error, nothing was printed).
   */
  run(job: Job, copies: readonly (() => AsyncIterable<Uint8Array>)[], signal: AbortSignal, saveIdMark?: () => Promise<void>): Promise<void> {
    const running = this.#run(job, copies, signal, saveIdMark);
    this.#running = running;
    return running;
  }

  async #run(
    job: Job,
    copies: readonly (() => AsyncIterable<Uint8Array>)[],
    signal: AbortSignal,
    saveIdMark?: () => Promise<void>,
  ): Promise<void> {
    const h = this.#host;
    this.#active = job;
    const log = h.log.child({ jobId: job.id });
    h.state.setActive(true, new Date(h.now()));
    // Durable first, visible second: once a client can see 'processing', a crash is recovered from that record.
    const now = h.now();
    const record = { ...job.record, state: 'processing' as const, reasons: ['job-printing'], processingAt: job.record.processingAt ?? now };
    try {
      await Promise.all([h.store.save(record), saveIdMark?.()]);
    } catch (err) {
      // Nothing was printed: the engine is free again and the caller reports the failure.
      this.#active = undefined;
      h.state.setActive(false, new Date(h.now()));
      if (saveIdMark !== undefined) h.forget(job.id);
      throw err;
    }
    job.transition('processing', ['job-printing'], now);
    h.changed();
    log.info({ format: job.record.format }, 'job processing');
    const r = job.record;
    const result = await runPipeline(
      {
        jobId: job.id,
        jobName: r.name,
        format: r.format,
        compression: r.compression,
        options: r.options,
        copies,
        replayable: r.documentState === 'spooled',
        log,
        signal,
        onStopped: (stopped) => {
          job.transition(stopped ? 'processing-stopped' : 'processing', [stopped ? 'printer-stopped' : 'job-printing'], h.now());
          h.changed();
        },
        onPage: () => {
          r.impressionsCompleted++;
          h.state.addImpressions(1);
        },
      },
      h.pipeline,
    );
    this.#active = undefined;
    h.state.setActive(false, new Date(h.now()));
    if (signal.reason === 'shutdown' && r.documentState === 'spooled') {
      // architecture.md §4.3: a spooled job cut off by shutdown prints again from the start after the restart.
      job.transition('pending', ['none'], h.now());
      r.impressionsCompleted = 0;
      log.info('job requeued at shutdown');
      await h.save(job);
      return;
    }
    const final: JobStateName = result.outcome === 'completed' ? 'completed' : result.outcome === 'canceled' ? 'canceled' : 'aborted';
    job.transition(final, result.reasons, h.now(), result.message);
    r.impressions = Math.max(r.impressions, r.impressionsCompleted);
    log.info({ state: final, reasons: result.reasons, pages: r.impressionsCompleted }, 'job finished');
    await h.finish(job);
  }
}
