// Restart: a new Printer on the same state dir lists the finished jobs, prints a spooled pending job, keeps
// numbering, and survives a corrupt job record.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from '../../src/job/job.js';
import { defaultOptions } from '../../src/job/options.js';
import type { Printer } from '../../src/printer/printer.js';
import { FAKE_CAPABILITIES, makeTestPrinter, settle, tempStateDir, testDocument, until } from '../support/fake-engine.js';
import { documentOf } from '../support/ipp-client.js';

const PWG = { format: 'image/pwg-raster', compression: 'none', lastDocument: true };

function create(printer: Printer, holdUntil = 'no-hold'): Promise<Job> {
  return printer.jobs.create({
    name: 'restart job',
    user: 'bob',
    format: 'image/pwg-raster',
    compression: 'none',
    holdUntil,
    options: defaultOptions(FAKE_CAPABILITIES),
    impressions: 0,
  });
}

t.test('a new printer on the same state dir lists completed jobs and prints the spooled pending one', async (t) => {
  const stateDir = await tempStateDir(t);
  const first = await makeTestPrinter(t, { stateDir });
  const done = await create(first.printer);
  await first.printer.jobs.addDocument(done, documentOf(testDocument(1)), PWG, new AbortController().signal);
  t.equal(done.state, 'completed');
  first.printer.state.setReasons({ add: ['paused'] }, new Date());
  const waiting = await create(first.printer);
  await first.printer.jobs.addDocument(waiting, documentOf(testDocument(2)), PWG, new AbortController().signal);
  t.equal(waiting.state, 'pending');
  await first.printer.stop();
  await settle(first.printer);

  const second = await makeTestPrinter(t, { stateDir });
  const completed = second.printer.jobs.list('completed');
  t.ok(completed.some((j) => j.id === done.id && j.state === 'completed'), 'completed job listed');
  const again = second.printer.jobs.get(waiting.id);
  t.ok(again, 'pending job reloaded');
  await until(second.printer, () => again?.state === 'completed');
  t.same(second.engine.jobs.map((j) => [j.jobId, j.pages.length]), [[waiting.id, 2]]);
  t.equal(first.engine.jobs.length, 1, 'the first printer printed only the first job');
  const next = await create(second.printer);
  t.equal(next.id, waiting.id + 1, 'job ids continue');
});

t.test('a held job stays held after a restart', async (t) => {
  const stateDir = await tempStateDir(t);
  const first = await makeTestPrinter(t, { stateDir });
  const held = await create(first.printer, 'indefinite');
  await first.printer.jobs.addDocument(held, documentOf(testDocument(1)), PWG, new AbortController().signal);
  await first.printer.stop();
  const second = await makeTestPrinter(t, { stateDir });
  const again = second.printer.jobs.get(held.id);
  t.equal(again?.state, 'pending-held');
  t.equal(second.engine.jobs.length, 0);
  if (again) await second.printer.jobs.release(again);
  await until(second.printer, () => again?.state === 'completed');
});

t.test('ids are never reused even when every job record is gone', async (t) => {
  const stateDir = await tempStateDir(t);
  const first = await makeTestPrinter(t, { stateDir });
  await create(first.printer);
  const last = await create(first.printer);
  await first.printer.stop();
  for (const f of await readdir(join(stateDir, 'jobs'))) if (/^\d+\.json$/.test(f)) await writeFile(join(stateDir, 'jobs', f), '{');
  const second = await makeTestPrinter(t, { stateDir });
  t.same(second.printer.jobs.list('all'), [], 'corrupt records are skipped');
  t.equal((await create(second.printer)).id, last.id + 1);
  const aside = (await readdir(join(stateDir, 'jobs'))).filter((f) => f.includes('.corrupt-'));
  t.equal(aside.length, 2, 'corrupt records moved aside');
});

t.test(
  'a spooled job printing at shutdown is requeued and printed after the restart (architecture.md §4.3)',
  async (t) => {
    const stateDir = await tempStateDir(t);
    const first = await makeTestPrinter(t, { stateDir });
    first.engine.gate();
    const job = await first.printer.jobs.create({
      name: 'two copies',
      user: 'bob',
      format: 'image/pwg-raster',
      compression: 'none',
      holdUntil: 'no-hold',
      options: { ...defaultOptions(FAKE_CAPABILITIES), copies: 2 },
      impressions: 0,
    });
    const started = new Promise((resolve) => first.engine.once('line', resolve));
    await first.printer.jobs.addDocument(job, documentOf(testDocument(1)), PWG, new AbortController().signal);
    t.equal(job.record.documentState, 'spooled');
    await started;
    await first.printer.stop();
    first.engine.release();
    await settle(first.printer);
    t.not(job.state, 'aborted', 'not aborted by a clean shutdown');

    const second = await makeTestPrinter(t, { stateDir });
    const again = second.printer.jobs.get(job.id);
    t.ok(again && !again.isTerminal, 'still queued after the restart');
    if (again && !again.isTerminal) {
      await until(second.printer, () => again.state === 'completed');
      t.equal(second.engine.jobs[0]?.pages.length, 2);
    }
  },
);

/** Rewrite a stored job record as a crash would have left it. */
async function rewriteRecord(stateDir: string, id: number, change: Record<string, unknown>): Promise<void> {
  const file = join(stateDir, 'jobs', `${id}.json`);
  const record = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...record, ...change }));
}

t.test('a spooled job cut off by a crash while printing is printed again from the start', async (t) => {
  const stateDir = await tempStateDir(t);
  const first = await makeTestPrinter(t, { stateDir });
  first.printer.state.setReasons({ add: ['paused'] }, new Date());
  const job = await create(first.printer);
  await first.printer.jobs.addDocument(job, documentOf(testDocument(2)), PWG, new AbortController().signal);
  await first.printer.stop();
  await rewriteRecord(stateDir, job.id, { state: 'processing', reasons: ['job-printing'], impressionsCompleted: 1, processingAt: 5 });

  const second = await makeTestPrinter(t, { stateDir });
  const again = second.printer.jobs.get(job.id);
  await until(second.printer, () => again?.state === 'completed');
  t.equal(second.engine.jobs[0]?.pages.length, 2, 'both pages printed again');
  t.equal(again?.record.impressionsCompleted, 2);
});

t.test('a streamed job cut off by a crash is listed as aborted-by-system after the restart', async (t) => {
  const stateDir = await tempStateDir(t);
  const first = await makeTestPrinter(t, { stateDir });
  const job = await create(first.printer);
  await first.printer.stop();
  await rewriteRecord(stateDir, job.id, { state: 'processing', reasons: ['job-printing'], documentState: 'streaming', processingAt: 5 });

  const second = await makeTestPrinter(t, { stateDir });
  const again = second.printer.jobs.get(job.id);
  t.equal(again?.state, 'aborted');
  t.same(again?.record.reasons, ['aborted-by-system']);
  t.ok(second.printer.jobs.list('completed').includes(again as Job));
  t.equal(second.engine.jobs.length, 0);
});
