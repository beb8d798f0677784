// JobStore: ordered record writes, a high-water mark that never goes down, spool files that appear only whole,
// damaged records moved aside, and the start-up scan of the jobs directory.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import t, { type Test } from 'tap';
import { newJobRecord, type JobRecord } from '../../src/job/job.js';
import { defaultOptions } from '../../src/job/options.js';
import { JobStore } from '../../src/job/store.js';
import { FAKE_CAPABILITIES, jsonSinkLogger } from '../support/fake-engine.js';

const silent = pino({ level: 'silent' });

function record(id: number): JobRecord {
  return newJobRecord({
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
}

async function store(t: Test, files: Record<string, string> = {}): Promise<JobStore> {
  const dir = t.testdir({ jobs: files });
  const s = new JobStore(dir, silent);
  await s.prepare();
  return s;
}

async function* chunks(parts: readonly string[], between?: () => void): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    yield Buffer.from(p);
    between?.();
    await new Promise((r) => setImmediate(r));
  }
}

t.test('concurrent saves of one record land in call order', async (t) => {
  const s = await store(t);
  const r = record(4);
  const writes: Promise<void>[] = [];
  for (const state of ['pending', 'processing', 'completed'] as const) {
    r.state = state;
    writes.push(s.save(r));
  }
  await Promise.all(writes);
  const saved = JSON.parse(await readFile(s.recordPath(4), 'utf8')) as JobRecord;
  t.equal(saved.state, 'completed');
});

t.test('the next-id high-water mark never goes down, even with concurrent writes', async (t) => {
  const s = await store(t);
  await Promise.all([s.saveNextId(5), s.saveNextId(9), s.saveNextId(3), s.saveNextId(7)]);
  t.same(JSON.parse(await readFile(s.nextIdPath, 'utf8')), { next: 9 });
  const again = new JobStore(join(s.dir, '..'), silent);
  t.equal(await again.loadNextId(), 9);
});

t.test('a next-id file without a valid number is moved aside and read as missing', async (t) => {
  const s = await store(t, { 'next-id.json': '{"next": "seven"}' });
  t.equal(await s.loadNextId(), undefined);
  t.match((await readdir(s.dir)).join(' '), /next-id\.json\.corrupt-\d+/);
});

t.test('a spool file appears only once the whole document is on disk', async (t) => {
  const s = await store(t);
  const seen: boolean[] = [];
  const bytes = await s.spool(7, chunks(['abc', 'def', 'gh'], () => seen.push(existsSync(s.spoolPath(7)))), new AbortController().signal);
  t.same(seen, [false, false, false], 'no <id>.doc while writing');
  t.equal(bytes, 8);
  t.equal(await readFile(s.spoolPath(7), 'utf8'), 'abcdefgh');
  t.equal(await s.spoolSize(7), 8);
  t.same((await readdir(s.dir)).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
});

t.test('a failed upload leaves neither the spool file nor a temp file', async (t) => {
  const s = await store(t);
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('half');
    throw new Error('client went away');
  }
  await t.rejects(s.spool(8, broken(), new AbortController().signal), /client went away|cannot write/);
  t.same(await readdir(s.dir), []);
});

t.test('an aborted upload stops at once and leaves nothing behind', async (t) => {
  const s = await store(t);
  const ac = new AbortController();
  async function* stalls(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('first');
    ac.abort();
    await new Promise(() => undefined);
  }
  await t.rejects(s.spool(9, stalls(), ac.signal), { name: 'AbortError' });
  t.same(await readdir(s.dir), []);
});

t.test('empty, non-JSON, malformed and misnamed records are moved aside with a warning', async (t) => {
  const good = record(3);
  const dir = t.testdir({
    jobs: {
      '1.json': '',
      '2.json': '{"id": 2, "state": "pend',
      '3.json': JSON.stringify(good),
      '4.json': JSON.stringify({ id: 4, state: 'pending' }),
      '5.json': JSON.stringify(record(6)),
    },
  });
  const { log, lines } = jsonSinkLogger();
  const s = new JobStore(dir, log);
  await s.prepare();
  t.same((await s.loadAll()).map((r) => r.id), [3]);
  const left = (await readdir(s.dir)).sort();
  t.equal(left.filter((f) => /^[1245]\.json\.corrupt-\d+$/.test(f)).length, 4, `moved aside: ${left.join(' ')}`);
  t.ok(left.includes('3.json'));
  t.equal(lines.filter((l) => l['msg'] === 'corrupt state file moved aside' && l['level'] === 40).length, 4);
});

t.test('the start-up scan removes temp files and reports torn uploads, spool files and the highest id named', async (t) => {
  const dir = t.testdir({
    jobs: {
      '.12.doc.0a1b2c3d.tmp': 'partial',
      '.13.json.0a1b2c3d.tmp': '{"id":',
      '11.doc': 'whole',
      '11.json': '{}',
      '20.json.corrupt-1700000000000': 'x',
      'next-id.json': '{"next": 3}',
    },
  });
  const s = new JobStore(dir, silent);
  const scan = await s.prepare();
  t.same([...scan.tornSpools], [12]);
  t.same([...scan.spooled], [11]);
  t.equal(scan.highestId, 20);
  t.same((await readdir(s.dir)).filter((f) => f.endsWith('.tmp')), []);
});

t.test('remove deletes the spool and the record, after a pending save of it', async (t) => {
  const s = await store(t);
  await writeFile(s.spoolPath(5), 'doc');
  const saving = s.save(record(5));
  await s.remove(5);
  await saving;
  t.notOk(existsSync(s.recordPath(5)), 'record gone');
  t.notOk(existsSync(s.spoolPath(5)), 'spool gone');
});
