// Engine faults end to end (issue 8 item 3): the virtual engine vanishes mid-page. The job is held
// (processing-stopped, printer-stopped; the printer shows offline-report) until the engine is back, then printed again
// per board config engine.recovery: from the interrupted page (default), from the first page, or aborted.
// SPDX-License-Identifier: Apache-2.0
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import t, { type Test } from 'tap';
import { getJob, printerReasons } from '../support/kill-harness-checks.js';
import { JOB_STATE, countsList, faultDocument, printSpooled, startFaultRig, until, type FaultRig, type FaultRigOptions } from '../support/fault-rig.js';

const PAGES = 4;
/** The engine vanishes once it has taken the first bytes of page 2 (of about six 4 KiB writes). */
const VANISH_AT_PAGE_2 = { 'from-page': 2, vanished: true };

async function rig(t: Test, opts: FaultRigOptions): Promise<FaultRig> {
  const r = await startFaultRig({ ...opts, faults: VANISH_AT_PAGE_2 });
  t.teardown(() => r.server.stop());
  return r;
}

/** Start a spooled job on a rig whose engine vanishes at page 2; resolves once the job has stopped or ended. */
async function jobCutAtPage2(t: Test, r: FaultRig): Promise<{ id: number; doc: ReturnType<typeof faultDocument> }> {
  const doc = faultDocument(PAGES, 1);
  const id = await printSpooled(r.server.uri, doc, 'vanish');
  const stoppedOrEnded: number[] = [JOB_STATE.processingStopped, JOB_STATE.aborted, JOB_STATE.completed, JOB_STATE.canceled];
  await until('the job to stop or end', async () => stoppedOrEnded.includes((await getJob(r.server.uri, id))?.state ?? 0));
  t.same(countsList(await r.printedPages(id, doc), PAGES), [1, 0, 0, 0], 'page 1 printed, page 2 cut off mid-page');
  const partial = (await readdir(join(r.server.stateDir, 'output'))).filter((f) => f.endsWith('.tmp'));
  t.same(partial, [], 'the partial page was dropped');
  return { id, doc };
}

t.test('a job whose engine vanishes mid-page is held, then reprinted from the interrupted page', async (t) => {
  const r = await rig(t, {});
  const { id, doc } = await jobCutAtPage2(t, r);
  const held = await getJob(r.server.uri, id);
  t.equal(held?.state, JOB_STATE.processingStopped, 'the job is processing-stopped');
  t.ok(held?.reasons.includes('printer-stopped'), 'job-state-reasons printer-stopped');
  await until('offline-report', async () => (await printerReasons(r.server.uri)).includes('offline-report'));
  t.pass('printer-state-reasons shows offline-report while the engine is away');
  // The engine stays away for a while: the job must wait, not give up.
  await delay(1500);
  t.equal((await getJob(r.server.uri, id))?.state, JOB_STATE.processingStopped, 'still held while the engine is away');
  t.same(countsList(await r.printedPages(id, doc), PAGES), [1, 0, 0, 0], 'nothing printed while away');

  await r.faults({});
  await until('the job to complete', async () => (await getJob(r.server.uri, id))?.state === JOB_STATE.completed);
  t.same(countsList(await r.printedPages(id, doc), PAGES), [1, 1, 1, 1], 'every page exactly once, page 2 reprinted whole');
  await until('offline-report to clear', async () => !(await printerReasons(r.server.uri)).includes('offline-report'));
  t.pass('offline-report cleared');
});

t.test('with engine.recovery restart-job the whole document prints again once the engine is back', async (t) => {
  const r = await rig(t, { recovery: 'restart-job' });
  const { id, doc } = await jobCutAtPage2(t, r);
  t.equal((await getJob(r.server.uri, id))?.state, JOB_STATE.processingStopped, 'the job is held');
  await r.faults({});
  await until('the job to complete', async () => (await getJob(r.server.uri, id))?.state === JOB_STATE.completed);
  t.same(countsList(await r.printedPages(id, doc), PAGES), [2, 1, 1, 1], 'page 1 again (as configured), then the rest once');
});

t.test('with engine.recovery abort the job is aborted with a reason and nothing more prints', async (t) => {
  const r = await rig(t, { recovery: 'abort' });
  const { id, doc } = await jobCutAtPage2(t, r);
  const job = await getJob(r.server.uri, id);
  t.equal(job?.state, JOB_STATE.aborted, 'the job is aborted');
  t.ok(job?.reasons.includes('aborted-by-system'), 'job-state-reasons aborted-by-system');
  t.match(job?.message ?? '', /disconnected/i, 'job-state-message says the engine was disconnected');
  await r.faults({});
  await until('offline-report to clear', async () => !(await printerReasons(r.server.uri)).includes('offline-report'));
  // A printer gets a later job through: proves the engine is back and the aborted job stays aborted.
  const next = faultDocument(1, 2);
  const nextId = await printSpooled(r.server.uri, next, 'after');
  await until('the next job to complete', async () => (await getJob(r.server.uri, nextId))?.state === JOB_STATE.completed);
  t.same(countsList(await r.printedPages(id, doc), PAGES), [1, 0, 0, 0], 'the aborted job printed nothing more');
  t.same(countsList(await r.printedPages(nextId, next), 1), [1], 'the next job printed');
});
