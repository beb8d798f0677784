// JobQueue with the fake engine: streaming when idle, spooling when busy, hold/release, cancel, the
// multiple-operation time-out, retention, copies and failures (pausing is in queue-stopped.test.ts).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { IppError } from '../../src/errors.js';
import { MAX_COMPLETED_JOBS } from '../../src/job/queue.js';
import { makeTestPrinter, until } from '../support/fake-engine.js';
import { documentOf } from '../support/ipp-client.js';
import { create, send, stalledJob, PWG } from '../support/job-helpers.js';

t.test('a document sent while the engine is idle streams straight through and completes', async (t) => {
  const { printer, engine, stateDir } = await makeTestPrinter(t);
  const job = await create(printer);
  t.equal(job.state, 'pending');
  t.same(job.record.reasons, ['job-incoming']);
  await send(printer, job, 3);
  t.equal(job.state, 'completed');
  t.same(job.record.reasons, ['job-completed-successfully']);
  t.equal(job.record.documentState, 'streaming');
  t.equal(job.record.impressionsCompleted, 3);
  t.equal(engine.jobs.length, 1);
  t.same(engine.jobs[0]?.pages.map((p) => [p.lines, p.bytes]), [[8, 128], [8, 128], [8, 128]]);
  t.equal(engine.jobs[0]?.outcome, 'completed');
  t.equal(engine.ports[0]?.isOpen, false, 'port closed after the job');
  t.ok((engine.ports[0]?.metrics.bytesWritten ?? 0) > 0);
  t.notOk(existsSync(`${stateDir}/jobs/${job.id}.doc`), 'never spooled');
  t.equal(printer.state.impressionsCompleted, 3);
  t.equal(printer.state.state, 'idle');
});

t.test('a second job sent while the first is printing is spooled, stays pending, then prints', async (t) => {
  const { printer, engine, stateDir } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  t.equal(first.job.state, 'processing');
  t.equal(printer.state.state, 'processing');
  const second = await create(printer);
  await send(printer, second);
  t.equal(second.state, 'pending', 'spooled, not printing');
  t.same(second.record.reasons, ['none']);
  t.equal(second.record.documentState, 'spooled');
  t.ok(existsSync(`${stateDir}/jobs/${second.id}.doc`), 'spool file exists');
  t.equal(engine.jobs.length, 1);
  engine.release();
  await first.done;
  await until(printer, () => second.state === 'completed');
  t.same(engine.jobs.map((j) => [j.jobId, j.outcome]), [[first.job.id, 'completed'], [second.id, 'completed']]);
  t.equal(engine.jobs[1]?.pages.length, 2);
  t.notOk(existsSync(`${stateDir}/jobs/${second.id}.doc`), 'spool removed after printing');
});

t.test('a job created with job-hold-until indefinite waits until released', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const job = await create(printer, { holdUntil: 'indefinite' });
  t.equal(job.state, 'pending-held');
  t.same(job.record.reasons, ['job-hold-until-specified']);
  await send(printer, job);
  t.equal(job.state, 'pending-held');
  t.equal(job.record.documentState, 'spooled');
  t.equal(engine.jobs.length, 0);
  await printer.jobs.release(job);
  t.equal(job.record.holdUntil, 'no-hold');
  await until(printer, () => job.state === 'completed');
  t.equal(engine.jobs.length, 1);
});

t.test('a spooled pending job can be held and released', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  const second = await create(printer);
  await send(printer, second);
  await printer.jobs.hold(second, 'indefinite');
  t.equal(second.state, 'pending-held');
  engine.release();
  await first.done;
  t.equal(second.state, 'pending-held', 'not printed while held');
  t.equal(engine.jobs.length, 1);
  await printer.jobs.release(second);
  await until(printer, () => second.state === 'completed');
});

t.test('releasing a job that is not held is client-error-not-possible', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer);
  await t.rejects(printer.jobs.release(job), { name: 'IppError', constructor: IppError, status: 'client-error-not-possible' });
});

t.test('holding a printing job is client-error-not-possible', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  await t.rejects(printer.jobs.hold(first.job, 'indefinite'), { name: 'IppError', constructor: IppError, status: 'client-error-not-possible' });
  engine.release();
  await first.done;
});

t.test('canceling a pending job makes it canceled by the user and removes its spool', async (t) => {
  const { printer, engine, stateDir } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  const second = await create(printer);
  await send(printer, second);
  await printer.jobs.cancel(second, 'job-canceled-by-user');
  t.equal(second.state, 'canceled');
  t.same(second.record.reasons, ['job-canceled-by-user']);
  t.notOk(existsSync(`${stateDir}/jobs/${second.id}.doc`));
  engine.release();
  await first.done;
  t.same(engine.jobs.map((j) => j.jobId), [first.job.id], 'the canceled job never reached the engine');
});

t.test('canceling the active job stops the pipeline, then the job is canceled by the user', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  await printer.jobs.cancel(first.job, 'job-canceled-by-user');
  t.equal(first.job.state, 'processing', 'still processing until the pipeline stops');
  t.ok(first.job.record.reasons.includes('processing-to-stop-point'));
  engine.release();
  await first.done;
  t.equal(first.job.state, 'canceled');
  t.same(first.job.record.reasons, ['job-canceled-by-user']);
  t.equal(engine.jobs[0]?.outcome, 'canceled', 'endJob still called');
  t.ok((engine.jobs[0]?.pages.length ?? 0) < 2, 'stopped before the last page');
  t.equal(printer.state.state, 'idle');
});

t.test('an operator cancel of the active job says job-canceled-by-operator', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  await printer.jobs.cancel(first.job, 'job-canceled-by-operator');
  engine.release();
  await first.done;
  t.same(first.job.record.reasons, ['job-canceled-by-operator']);
});

t.test('canceling a completed job is client-error-not-possible', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer);
  await send(printer, job);
  await t.rejects(printer.jobs.cancel(job, 'job-canceled-by-user'), { name: 'IppError', constructor: IppError, status: 'client-error-not-possible' });
  t.equal(job.state, 'completed');
});

t.test('a job created without a document is aborted after multiple-operation-time-out', async (t) => {
  const { printer } = await makeTestPrinter(t, { multipleOperationTimeOut: 0.02 });
  const job = await create(printer);
  printer.jobs.awaitDocument(job);
  await until(printer, () => job.isTerminal);
  t.equal(job.state, 'aborted');
  t.same(job.record.reasons, ['aborted-by-system']);
  await t.rejects(send(printer, job), { name: 'IppError', constructor: IppError, status: 'client-error-not-possible' });
});

t.test('a job whose document arrived in time is not aborted by the time-out', async (t) => {
  const { printer } = await makeTestPrinter(t, { multipleOperationTimeOut: 0.02 });
  const job = await create(printer, { holdUntil: 'indefinite' });
  printer.jobs.awaitDocument(job);
  await send(printer, job);
  await new Promise((r) => setTimeout(r, 60));
  t.equal(job.state, 'pending-held');
});

t.test('Close-Job on a job without a document aborts it with job-data-insufficient', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer);
  await printer.jobs.close(job);
  t.equal(job.state, 'aborted');
  t.same(job.record.reasons, ['job-data-insufficient']);
});

t.test('a second document for the same job is refused', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer, { holdUntil: 'indefinite' });
  await send(printer, job);
  await t.rejects(send(printer, job), { name: 'IppError', constructor: IppError, status: 'server-error-multiple-document-jobs-not-supported' });
});

t.test('a job with copies is spooled and printed that many times', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const job = await create(printer, { copies: 3 });
  await send(printer, job, 2);
  await until(printer, () => job.state === 'completed');
  t.equal(engine.jobs[0]?.pages.length, 6);
  t.equal(job.record.impressionsCompleted, 6);
});

t.test('an engine failure aborts the job with aborted-by-system and still ends the job', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.failAt('startPage');
  const job = await create(printer);
  await send(printer, job);
  t.equal(job.state, 'aborted');
  t.same(job.record.reasons, ['aborted-by-system']);
  t.equal(engine.jobs[0]?.outcome, 'aborted');
  t.equal(engine.ports[0]?.discards, 1, 'queued bytes discarded');
});

t.test('a port that cannot open aborts the job and the next job prints', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.failAt('openPort');
  const a = await create(printer);
  await send(printer, a);
  t.equal(a.state, 'aborted');
  const b = await create(printer);
  await send(printer, b);
  t.equal(b.state, 'completed');
});

t.test('a broken document aborts the job with document-format-error', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const job = await create(printer);
  await printer.jobs.addDocument(job, documentOf(new TextEncoder().encode('RaS2 this is not raster')), PWG, new AbortController().signal);
  t.equal(job.state, 'aborted');
  t.same(job.record.reasons, ['document-format-error']);
});

t.test('a client that goes away mid-stream aborts the job', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.gate();
  const job = await create(printer);
  const ac = new AbortController();
  const started = once(engine, 'line');
  const done = send(printer, job, 2, ac.signal);
  await started;
  ac.abort(new Error('client gone'));
  engine.release();
  await done;
  t.equal(job.state, 'aborted');
  t.same(job.record.reasons, ['aborted-by-system']);
});

t.test('list filters by which-jobs, newest first, and queuedCount counts unfinished jobs', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const a = await create(printer);
  await send(printer, a);
  const b = await create(printer, { holdUntil: 'indefinite' });
  const c = await create(printer);
  t.same(printer.jobs.list('completed').map((j) => j.id), [a.id]);
  t.same(printer.jobs.list('not-completed').map((j) => j.id), [c.id, b.id]);
  t.same(printer.jobs.list('all').map((j) => j.id), [c.id, b.id, a.id]);
  t.equal(printer.jobs.queuedCount, 2);
});

t.test('only the newest MAX_COMPLETED_JOBS finished jobs are kept, in memory and on disk', async (t) => {
  const { printer, stateDir } = await makeTestPrinter(t);
  const first = await create(printer);
  await printer.jobs.cancel(first, 'job-canceled-by-user');
  for (let i = 0; i < MAX_COMPLETED_JOBS; i++) await printer.jobs.cancel(await create(printer), 'job-canceled-by-user');
  t.equal(printer.jobs.list('completed').length, MAX_COMPLETED_JOBS);
  t.equal(printer.jobs.get(first.id), undefined);
  t.notOk(existsSync(`${stateDir}/jobs/${first.id}.json`));
  t.ok(existsSync(`${stateDir}/jobs/${first.id + 1}.json`));
});
