// The job queue: creation, documents (streamed straight to the engine when it is free, else spooled durably),
// hold/release/cancel, the multiple-operation time-out, retention and crash recovery. runner.ts prints the jobs.
// SPDX-License-Identifier: Apache-2.0
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { IppError } from '../errors.js';
import type { PrinterState } from '../printer/state.js';
import { Job, newJobRecord, type NewJobFields } from './job.js';
import { countBytes, type JobStore } from './store.js';
import type { PipelineDeps } from './pipeline.js';
import { JobRunner } from './runner.js';
import { loadJobs } from './recover.js';
import { DocumentTimers } from './document-timers.js';
import { DEFAULT_SPOOL_MAX_BYTES, SpoolCap, isNoSpace, spoolFullError } from './spool-cap.js';

/** Completed, canceled and aborted jobs kept for Get-Jobs which-jobs=completed. */
export const MAX_COMPLETED_JOBS = 100;
/** How long stop() waits for the active job to reach a clean end. */
export const SHUTDOWN_GRACE_MS = 3000;

export interface JobQueueDeps {
  readonly store: JobStore;
  readonly pipeline: PipelineDeps;
  readonly state: PrinterState;
  readonly log: Logger;
  /** seconds to wait for Send-Document after Create-Job (multiple-operation-time-out) */
  readonly multipleOperationTimeOut: number;
  readonly now?: () => number;
  /** board config spool.max-bytes (0 = no limit of our own); default DEFAULT_SPOOL_MAX_BYTES */
  readonly spoolMaxBytes?: number | undefined;
}

/** What a document arrives with. */
export interface DocumentInfo {
  readonly format: string;
  readonly compression: string;
  readonly lastDocument: boolean;
}

/** All jobs of one printer. Emits 'change' whenever a job changes state. */
export class JobQueue extends EventEmitter<{ change: [] }> {
  readonly #deps: JobQueueDeps;
  readonly #jobs = new Map<number, Job>();
  readonly #timers: DocumentTimers;
  readonly #now: () => number;
  readonly #spool: SpoolCap;
  readonly #runner: JobRunner;
  #nextId = 1;

  constructor(deps: JobQueueDeps) {
    super();
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#timers = new DocumentTimers(deps.multipleOperationTimeOut, (id) => this.#onDocumentTimeOut(id));
    this.#spool = new SpoolCap(deps.spoolMaxBytes ?? DEFAULT_SPOOL_MAX_BYTES, deps.state, deps.log);
    this.#runner = new JobRunner({
      ...deps,
      jobs: this.#jobs,
      now: this.#now,
      changed: () => this.emit('change'),
      finish: (job) => this.#finish(job),
      save: (job) => this.#save(job),
      forget: (id) => this.#jobs.delete(id),
    });
    deps.state.on('change', () => {
      this.#runner.followEngine();
      this.#runner.pump();
    });
  }

  /** Load persisted jobs; jobs cut off by a crash are recovered or aborted (see recover.ts). */
  async load(): Promise<void> {
    const { jobs, nextId, spoolBytes } = await loadJobs(this.#deps.store, this.#now(), this.#deps.log);
    for (const [id, bytes] of spoolBytes) this.#spool.track(id, bytes);
    for (const job of jobs) {
      this.#jobs.set(job.id, job);
      if (!job.isTerminal && job.record.documentState === 'none') this.#timers.arm(job.id);
    }
    this.#nextId = Math.max(this.#nextId, nextId);
    this.#runner.pump();
  }

  get(id: number): Job | undefined {
    return this.#jobs.get(id);
  }

  /** Jobs newest first, filtered per which-jobs. */
  list(which: 'completed' | 'not-completed' | 'all'): Job[] {
    const all = [...this.#jobs.values()].reverse();
    if (which === 'all') return all;
    return all.filter((j) => (which === 'completed' ? j.isTerminal : !j.isTerminal));
  }

  /** queued-job-count: jobs not yet finished. */
  get queuedCount(): number {
    let n = 0;
    for (const j of this.#jobs.values()) if (!j.isTerminal) n++;
    return n;
  }

  /** Whether a job is waiting to print or printing. */
  get hasWork(): boolean {
    return this.#runner.hasWork;
  }

  /** The spool size accounting (spool-area-full). */
  get spool(): SpoolCap {
    return this.#spool;
  }

  /** Refuse a new job with server-error-busy while the spool is full and its document could not stream to the engine. */
  assertSpoolRoom(): void {
    if (this.#spool.isFull && !this.#runner.canStreamNow(undefined)) throw spoolFullError();
  }

  /**
   * Create and persist a job (no document yet). The id's high-water mark and then the record are durable before this
   * resolves, so a job a client was told about survives a crash and its id is never handed out again.
   */
  async create(fields: NewJobFields): Promise<Job> {
    const id = this.#nextId++;
    const job = new Job(newJobRecord({ ...fields, id, now: this.#now() }));
    if (fields.holdUntil !== 'no-hold') job.transition('pending-held', ['job-hold-until-specified'], this.#now());
    else job.transition('pending', ['job-incoming'], this.#now());
    this.#jobs.set(id, job);
    // Both files are written at once: recovery takes the larger of the saved mark and the highest record id, so
    // whichever lands first the id is never handed out again.
    await Promise.all([this.#deps.store.saveNextId(this.#nextId), this.#save(job)]);
    return job;
  }

  /**
   * Print-Job: create the job and take its document. When the document streams straight to the engine, the record
   * is written once, already printing with a streaming document, together with the id mark, before the first byte
   * goes out (a crash then aborts it at restart, as any streamed job); otherwise create() then addDocument().
   */
  async createWithDocument(
    fields: NewJobFields,
    source: AsyncIterable<Uint8Array>,
    info: DocumentInfo,
    signal: AbortSignal,
    onCreated: (job: Job) => void,
  ): Promise<Job> {
    if (fields.holdUntil !== 'no-hold' || fields.options.copies > 1 || !this.#runner.canStreamNow(undefined)) {
      const job = await this.create(fields);
      onCreated(job);
      await this.addDocument(job, source, info, signal);
      return job;
    }
    const id = this.#nextId++;
    const job = new Job(newJobRecord({ ...fields, id, now: this.#now() }));
    job.transition('pending', ['job-incoming'], this.#now());
    this.#takeInfo(job, info);
    job.record.documentState = 'streaming';
    this.#jobs.set(id, job);
    onCreated(job);
    const linked = AbortSignal.any([signal, job.controller.signal]);
    await this.#runner.run(job, this.#streamed(job, source), linked, () => this.#deps.store.saveNextId(this.#nextId));
    return job;
  }

  #takeInfo(job: Job, info: DocumentInfo): void {
    Object.assign(job.record, { format: info.format, compression: info.compression, lastDocument: info.lastDocument });
  }

  /** A live document as the job's one copy, counted into job-k-octets as it streams. */
  #streamed(job: Job, source: AsyncIterable<Uint8Array>): (() => AsyncIterable<Uint8Array>)[] {
    return [() => countBytes(source, (n) => (job.record.kOctets = Math.ceil(n / 1024)))];
  }

  /** Start the multiple-operation-time-out for a job created without a document. */
  awaitDocument(job: Job): void {
    this.#timers.arm(job.id);
  }

  /**
   * Take the job's document. When the engine is free it streams straight through (resolves when printed); otherwise
   * it is spooled and fsynced (resolves when durable) and printed later.
   */
  async addDocument(job: Job, source: AsyncIterable<Uint8Array>, info: DocumentInfo, signal: AbortSignal): Promise<void> {
    if (job.isTerminal) throw new IppError('client-error-not-possible', `Job #${job.id} is already ${job.state}.`);
    if (job.record.documentState !== 'none') {
      throw new IppError('server-error-multiple-document-jobs-not-supported', 'This printer takes one document per job.');
    }
    this.#timers.clear(job.id);
    this.#takeInfo(job, info);
    const linked = AbortSignal.any([signal, job.controller.signal]);
    if (this.#runner.canStreamNow(job)) {
      job.record.documentState = 'streaming';
      await this.#runner.run(job, this.#streamed(job, source), linked);
      return;
    }
    try {
      if (this.#spool.isFull) throw spoolFullError();
      // Durable before the response: the spool file is fsynced and renamed, then the record says 'spooled'.
      const bytes = await this.#deps.store.spool(job.id, this.#spool.meter(job.id, source), linked);
      job.record.kOctets = Math.ceil(bytes / 1024);
      job.record.documentState = 'spooled';
      if (job.state === 'pending') job.transition('pending', ['none'], this.#now());
      await this.#save(job);
    } catch (err) {
      await this.#deps.store.removeSpool(job.id);
      job.record.documentState = 'none';
      const isFull = err instanceof IppError ? err.status === 'server-error-busy' : isNoSpace(err);
      if (isFull) this.#spool.markFull('no room for a document');
      this.#spool.release(job.id, 'dropped');
      if (!job.isTerminal) {
        const message = isFull ? 'The spool area is full.' : 'The document could not be received.';
        job.transition('aborted', ['aborted-by-system'], this.#now(), message);
        await this.#finish(job);
      }
      if (isFull) throw spoolFullError();
      if (!signal.aborted && !job.controller.signal.aborted) throw err;
      return;
    }
    this.#runner.pump();
  }

  /** Cancel-Job and friends (RFC 8011 §4.3.3): terminal jobs cannot be canceled. */
  async cancel(job: Job, by: 'job-canceled-by-user' | 'job-canceled-by-operator'): Promise<void> {
    if (job.isTerminal) throw new IppError('client-error-not-possible', `Job #${job.id} is already ${job.state}.`);
    this.#timers.clear(job.id);
    job.controller.abort(by);
    if (job === this.#runner.active) {
      job.setReason('processing-to-stop-point', true);
      this.emit('change');
      return;
    }
    job.transition('canceled', [by], this.#now(), 'Canceled.');
    await this.#finish(job);
  }

  /** Hold-Job: a pending job waits until released. */
  async hold(job: Job, until: string): Promise<void> {
    if (job.state !== 'pending' && job.state !== 'pending-held') {
      throw new IppError('client-error-not-possible', `Job #${job.id} is ${job.state} and cannot be held.`);
    }
    job.record.holdUntil = until;
    job.transition('pending-held', ['job-hold-until-specified'], this.#now());
    await this.#save(job);
  }

  /** Release-Job: a held job becomes pending. */
  async release(job: Job): Promise<void> {
    if (job.state !== 'pending-held') throw new IppError('client-error-not-possible', `Job #${job.id} is not held.`);
    job.record.holdUntil = 'no-hold';
    job.transition('pending', [job.record.documentState === 'none' ? 'job-incoming' : 'none'], this.#now());
    await this.#save(job);
    this.#runner.pump();
  }

  /** Close-Job: no more documents; a job that never got one is aborted. */
  async close(job: Job): Promise<void> {
    if (job.isTerminal || job.record.documentState !== 'none') return;
    this.#timers.clear(job.id);
    job.transition('aborted', ['job-data-insufficient'], this.#now(), 'Closed without a document.');
    await this.#finish(job);
  }

  /** Stop taking new work and abort the active job (shutdown), waiting up to SHUTDOWN_GRACE_MS for its run to end. */
  async stop(): Promise<void> {
    this.#timers.clearAll();
    await this.#runner.stop(SHUTDOWN_GRACE_MS);
  }

  /** Save a job that reached a terminal state, then (never before) drop its spool, then apply retention. */
  async #finish(job: Job): Promise<void> {
    await this.#deps.store.save(job.record);
    if (job.record.documentState === 'spooled') {
      await this.#deps.store.removeSpool(job.id);
      this.#spool.release(job.id, 'job-ended');
    }
    this.emit('change');
    const done = [...this.#jobs.values()].filter((j) => j.isTerminal);
    for (const old of done.slice(0, Math.max(0, done.length - MAX_COMPLETED_JOBS))) {
      this.#jobs.delete(old.id);
      await this.#deps.store.remove(old.id);
    }
    this.#runner.pump();
  }

  async #save(job: Job): Promise<void> {
    await this.#deps.store.save(job.record);
    this.emit('change');
  }

  /** multiple-operation-time-out-action abort-job. */
  #onDocumentTimeOut(id: number): void {
    const job = this.#jobs.get(id);
    if (!job || job.isTerminal || job.record.documentState !== 'none') return;
    job.transition('aborted', ['aborted-by-system'], this.#now(), 'No document arrived within multiple-operation-time-out.');
    this.#finish(job).catch((err: unknown) => this.#deps.log.error({ err, jobId: job.id }, 'cannot save job'));
  }
}
