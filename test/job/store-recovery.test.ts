// Start-up recovery from the files a crash leaves in <state-dir>/jobs: torn uploads and lost spools abort their job
// with a message, spooled jobs resume, orphans go, and the next id is above every id any file names.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { newJobRecord, type DocumentState, type JobRecord, type JobStateName } from '../../src/job/job.js';
import { defaultOptions } from '../../src/job/options.js';
import { loadJobs } from '../../src/job/recover.js';
import { JobStore } from '../../src/job/store.js';
import { FAKE_CAPABILITIES } from '../support/fake-engine.js';

const silent = pino({ level: 'silent' });

function rec(id: number, state: JobStateName, documentState: DocumentState): string {
  const r: JobRecord = newJobRecord({
    id,
    name: 'j',
    user: 'u',
    now: 1000,
    format: 'image/pwg-raster',
    compression: 'none',
    holdUntil: 'no-hold',
    options: defaultOptions(FAKE_CAPABILITIES),
    impressions: 0,
  });
  r.state = state;
  r.documentState = documentState;
  return JSON.stringify(r);
}

t.test('crash leftovers are recovered by the documented rule and start-up never fails', async (t) => {
  const dir = t.testdir({
    jobs: {
      '1.json': rec(1, 'processing', 'spooled'),
      '1.doc': 'resume me',
      '2.json': rec(2, 'pending', 'none'),
      '.2.doc.deadbeef.tmp': 'torn upload',
      '3.json': rec(3, 'pending', 'spooled'),
      '4.json': rec(4, 'processing', 'streaming'),
      '5.json': rec(5, 'pending', 'none'),
      '6.json': rec(6, 'completed', 'spooled'),
      '6.doc': 'left behind',
      '7.json': '',
      '40.doc': 'orphan',
      '41.json.corrupt-1700000000000': 'x',
      'next-id.json': '{"next": 8}',
    },
  });
  const { jobs, nextId, spoolBytes } = await loadJobs(new JobStore(dir, silent), 9000, silent);
  const by = new Map(jobs.map((j) => [j.id, j.record]));
  t.equal(by.get(1)?.state, 'pending', 'a spooled job cut off while printing prints again');
  t.same([...spoolBytes], [[1, 9]], 'its spool counts against the cap');
  for (const [id, why] of [[2, /being received/], [3, /missing/], [4, /streaming/]] as const) {
    t.equal(by.get(id)?.state, 'aborted', `job ${id} aborted`);
    t.same(by.get(id)?.reasons, ['aborted-by-system']);
    t.match(by.get(id)?.message, why);
  }
  t.equal(by.get(5)?.state, 'pending', 'a job still waiting for Send-Document keeps waiting');
  t.equal(by.get(6)?.state, 'completed');
  t.notOk(existsSync(join(dir, 'jobs', '6.doc')), 'spool of a finished job removed');
  t.notOk(existsSync(join(dir, 'jobs', '40.doc')), 'spool without a record removed');
  t.notOk(by.has(7), 'the empty record is not loaded');
  t.equal(nextId, 42, 'the next id is above every id a file names, quarantined ones included');
  const files = await readdir(join(dir, 'jobs'));
  t.ok(files.some((f) => /^7\.json\.corrupt-\d+$/.test(f)), 'the empty record was moved aside');
  t.same(files.filter((f) => f.endsWith('.tmp')), [], 'temp files removed');
});

t.test('the recovered high-water mark is saved, so ids stay unique even if every record is lost later', async (t) => {
  const dir = t.testdir({ jobs: { '9.json': rec(9, 'completed', 'none') } });
  const store = new JobStore(dir, silent);
  t.equal((await loadJobs(store, 9000, silent)).nextId, 10);
  t.equal(await new JobStore(dir, silent).loadNextId(), 10);
});
