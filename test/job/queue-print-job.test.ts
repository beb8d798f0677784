// JobQueue.createWithDocument (Print-Job): a document that streams straight to the engine gets one durable write
// (the record already printing, with the id mark) before the first byte goes out; a busy engine means the usual
// create and spool; a write that fails leaves no job behind and the engine free.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { once } from 'node:events';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { defaultOptions } from '../../src/job/options.js';
import type { Job } from '../../src/job/job.js';
import type { Printer } from '../../src/printer/printer.js';
import { FAKE_CAPABILITIES, makeTestPrinter, testDocument, until } from '../support/fake-engine.js';
import { documentOf } from '../support/ipp-client.js';
import { PWG, stalledJob } from '../support/job-helpers.js';

function printJob(printer: Printer, created: Job[] = []): Promise<Job> {
  const fields = {
    name: 'print-job',
    user: 'alice',
    format: 'image/pwg-raster',
    compression: 'none',
    holdUntil: 'no-hold',
    options: defaultOptions(FAKE_CAPABILITIES),
    impressions: 0,
  };
  return printer.jobs.createWithDocument(fields, documentOf(testDocument(2)), PWG, new AbortController().signal, (job) => created.push(job));
}

async function record(stateDir: string, id: number): Promise<{ state: string; documentState: string }> {
  return JSON.parse(await readFile(`${stateDir}/jobs/${id}.json`, 'utf8')) as { state: string; documentState: string };
}

t.test('a streamed Print-Job is on disk as printing, with its id mark, before the engine gets a line', async (t) => {
  const { printer, engine, stateDir } = await makeTestPrinter(t);
  engine.gate();
  const created: Job[] = [];
  const started = once(engine, 'line');
  const done = printJob(printer, created);
  await started;
  const job = created[0];
  if (job === undefined) throw new Error('onCreated was not called');
  t.equal(job.state, 'processing');
  const saved = await record(stateDir, job.id);
  t.equal(saved.state, 'processing');
  t.equal(saved.documentState, 'streaming', 'a crash now aborts it at restart');
  const mark = JSON.parse(await readFile(`${stateDir}/jobs/next-id.json`, 'utf8')) as unknown;
  t.match(JSON.stringify(mark), String(job.id + 1), 'the id mark is past the job');
  engine.release();
  t.equal(await done, job);
  t.equal(job.state, 'completed');
  t.equal((await record(stateDir, job.id)).state, 'completed');
  t.equal(engine.jobs[0]?.pages.length, 2);
});

t.test('a Print-Job while another job prints is created, spooled and printed after it', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  const created: Job[] = [];
  const second = await printJob(printer, created);
  t.equal(created[0], second, 'onCreated got the job');
  t.equal(second.state, 'pending');
  t.equal(second.record.documentState, 'spooled');
  engine.release();
  await first.done;
  await until(printer, () => second.state === 'completed');
  t.same(engine.jobs.map((j) => j.jobId), [first.job.id, second.id]);
});

t.test('a failed first write leaves no job and the engine free', async (t) => {
  const { printer, engine, stateDir } = await makeTestPrinter(t);
  // The jobs folder replaced by a file: every write in it fails.
  await rename(`${stateDir}/jobs`, `${stateDir}/jobs.away`);
  await writeFile(`${stateDir}/jobs`, 'not a folder');
  const created: Job[] = [];
  await t.rejects(printJob(printer, created));
  const id = created[0]?.id ?? -1;
  t.notOk(printer.jobs.get(id), 'the job is forgotten');
  t.equal(printer.state.state, 'idle');
  t.equal(engine.jobs.length, 0, 'nothing was printed');
  await rm(`${stateDir}/jobs`);
  await rename(`${stateDir}/jobs.away`, `${stateDir}/jobs`);
  await mkdir(`${stateDir}/jobs`, { recursive: true });
  const next = await printJob(printer);
  t.equal(next.state, 'completed');
  t.ok(next.id > id, 'ids go on');
});
