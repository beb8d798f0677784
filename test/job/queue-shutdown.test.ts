// JobQueue.stop() at shutdown: the active job's run gets a grace period to end cleanly and save its record, and
// shutdown never hangs on an engine that does not come back.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Job } from '../../src/job/job.js';
import { SHUTDOWN_GRACE_MS } from '../../src/job/queue.js';
import type { Printer } from '../../src/printer/printer.js';
import type { FakeEngine } from '../support/fake-engine.js';
import { makeTestPrinter, tempStateDir } from '../support/fake-engine.js';
import { create, send } from '../support/job-helpers.js';

/** A spooled job whose first line has reached the gated engine. */
async function printingSpooledJob(printer: Printer, engine: FakeEngine): Promise<Job> {
  engine.gate();
  const job = await create(printer, { copies: 2 });
  const started = new Promise((resolve) => engine.once('line', resolve));
  await send(printer, job, 1);
  await started;
  return job;
}

async function storedState(stateDir: string, id: number): Promise<unknown> {
  const record = JSON.parse(await readFile(join(stateDir, 'jobs', `${id}.json`), 'utf8')) as Record<string, unknown>;
  return record['state'];
}

t.test('stop() returns once the active run has ended and saved its record', async (t) => {
  const stateDir = await tempStateDir(t);
  const { printer, engine } = await makeTestPrinter(t, { stateDir });
  const job = await printingSpooledJob(printer, engine);
  t.equal(await storedState(stateDir, job.id), 'processing');
  const stopping = printer.jobs.stop();
  await delay(50);
  engine.release();
  await stopping;
  t.equal(job.state, 'pending', 'requeued for the next start');
  t.equal(await storedState(stateDir, job.id), 'pending', 'and saved so before stop() returned');
});

t.test('stop() gives up after the grace period when the engine never lets go', async (t) => {
  const stateDir = await tempStateDir(t);
  const { printer, engine } = await makeTestPrinter(t, { stateDir });
  const job = await printingSpooledJob(printer, engine);
  const started = performance.now();
  await printer.jobs.stop();
  const waited = performance.now() - started;
  t.ok(waited >= SHUTDOWN_GRACE_MS - 50, `waited the grace period (${Math.round(waited)} ms)`);
  t.equal(job.state, 'processing', 'the run is still going');
  t.equal(await storedState(stateDir, job.id), 'processing', 'its record says processing: recovered at the next start');
});
