// JobQueue while the printer cannot print: Pause-Printer/Resume-Printer and stopping engine reasons (media-empty
// holds jobs and adds media-needed), before and during a job.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { makeTestPrinter, until } from '../support/fake-engine.js';
import { create, send, stalledJob } from '../support/job-helpers.js';

t.test('a paused printer spools new jobs and prints them after resume', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  printer.state.setReasons({ add: ['paused'] }, new Date());
  t.equal(printer.state.state, 'stopped');
  const job = await create(printer);
  await send(printer, job);
  t.equal(job.state, 'pending');
  t.equal(job.record.documentState, 'spooled');
  t.equal(engine.jobs.length, 0);
  printer.state.setReasons({ remove: ['paused'] }, new Date());
  await until(printer, () => job.state === 'completed');
  t.equal(engine.jobs.length, 1);
});

t.test('pausing during a job stops it at the next page (processing-stopped) until resume', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  printer.state.setReasons({ add: ['paused'] }, new Date());
  engine.release();
  await until(printer, () => first.job.state === 'processing-stopped');
  t.same(first.job.record.reasons, ['printer-stopped']);
  t.equal(engine.jobs[0]?.pages.length, 1, 'page 1 finished, page 2 waits');
  printer.state.setReasons({ remove: ['paused'] }, new Date());
  await first.done;
  t.equal(first.job.state, 'completed');
  t.equal(engine.jobs[0]?.pages.length, 2);
});

t.test('a media-empty engine holds a new job and the printer reports media-needed until media is back', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.engineStatus = { reasons: ['media-empty'], supplies: [] };
  await printer.pollStatus();
  t.equal(printer.state.state, 'stopped');
  t.notOk(printer.state.reasons.includes('media-needed'), 'no media-needed without work');
  const job = await create(printer);
  await send(printer, job);
  t.equal(job.state, 'pending', 'waits, does not fail');
  t.equal(engine.jobs.length, 0);
  t.ok(printer.state.reasons.includes('media-needed'));
  t.ok(printer.state.reasons.includes('media-empty'));
  engine.engineStatus = { reasons: [], supplies: [] };
  await printer.pollStatus();
  await until(printer, () => job.state === 'completed');
  t.notOk(printer.state.reasons.includes('media-needed'));
  t.equal(engine.jobs.length, 1);
});

t.test('media running out during a job stops it (processing-stopped) and it resumes when media is back', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  engine.engineStatus = { reasons: ['media-empty-error'], supplies: [] };
  await printer.pollStatus();
  engine.release();
  await until(printer, () => first.job.state === 'processing-stopped');
  t.ok(printer.state.reasons.includes('media-needed'));
  engine.engineStatus = { reasons: [], supplies: [] };
  await printer.pollStatus();
  await first.done;
  t.equal(first.job.state, 'completed');
  t.notOk(printer.state.reasons.includes('media-needed'));
});

t.test('a -warning engine reason does not hold jobs', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.engineStatus = { reasons: ['media-empty-warning'], supplies: [] };
  await printer.pollStatus();
  const job = await create(printer);
  await send(printer, job);
  t.equal(job.state, 'completed');
});

t.test('canceling a job stopped by a paused printer ends it canceled', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const first = await stalledJob(printer, engine);
  printer.state.setReasons({ add: ['paused'] }, new Date());
  engine.release();
  await until(printer, () => first.job.state === 'processing-stopped');
  await printer.jobs.cancel(first.job, 'job-canceled-by-user');
  await first.done;
  t.equal(first.job.state, 'canceled');
  t.same(first.job.record.reasons, ['job-canceled-by-user']);
  t.equal(engine.jobs[0]?.outcome, 'canceled');
});
