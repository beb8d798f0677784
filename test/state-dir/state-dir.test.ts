// State directory: atomic replace, tolerant JSON reads (corrupt files moved aside), temp-file clean-up.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readdir, readFile, chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareDir, readJsonTolerant, writeFileAtomic, writeJsonAtomic } from '../../src/state-dir.js';
import { StateError } from '../../src/errors.js';
import { jsonSinkLogger } from '../support/fake-engine.js';
import { pino } from 'pino';

const silent = pino({ level: 'silent' });

t.test('writeFileAtomic creates a file with the given content', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'a.json');
  await writeFileAtomic(file, 'hello');
  t.equal(await readFile(file, 'utf8'), 'hello');
});

t.test('writeFileAtomic replaces an existing file and leaves no temp file', async (t) => {
  const dir = t.testdir({ 'a.json': 'old' });
  await writeFileAtomic(join(dir, 'a.json'), new TextEncoder().encode('new'));
  t.equal(await readFile(join(dir, 'a.json'), 'utf8'), 'new');
  t.same(await readdir(dir), ['a.json']);
});

t.test('writeFileAtomic into a missing directory throws StateError and leaves nothing', async (t) => {
  const dir = t.testdir({});
  await t.rejects(writeFileAtomic(join(dir, 'nope', 'a.json'), 'x'), { constructor: StateError, code: 'ERR_STATE' });
  t.same(await readdir(dir), []);
});

t.test('writeJsonAtomic round-trips through readJsonTolerant', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'v.json');
  await writeJsonAtomic(file, { next: 7, list: ['a'] });
  t.same(await readJsonTolerant(file, silent), { next: 7, list: ['a'] });
});

t.test('readJsonTolerant gives undefined for a missing file', async (t) => {
  const dir = t.testdir({});
  t.equal(await readJsonTolerant(join(dir, 'missing.json'), silent), undefined);
});

t.test('a corrupt file is moved aside (not deleted), logged at warn, and read as undefined', async (t) => {
  const dir = t.testdir({ 'state.json': '{"next": ' });
  const { log, lines } = jsonSinkLogger();
  t.equal(await readJsonTolerant(join(dir, 'state.json'), log), undefined);
  const entries = await readdir(dir);
  t.equal(entries.length, 1);
  t.match(entries[0], /^state\.json\.corrupt-\d+$/);
  t.equal(await readFile(join(dir, entries[0] ?? ''), 'utf8'), '{"next": ');
  const warn = lines.find((l) => l['msg'] === 'corrupt state file moved aside');
  t.ok(warn, 'warned');
  t.equal(warn?.['level'], 40);
});

t.test('an unreadable path (a directory) is a StateError', async (t) => {
  const dir = t.testdir({ sub: {} });
  await t.rejects(readJsonTolerant(join(dir, 'sub'), silent), { name: 'StateError', constructor: StateError });
});

t.test('prepareDir creates missing parents with mode 0700', async (t) => {
  const dir = t.testdir({});
  const target = join(dir, 'a', 'b');
  await prepareDir(target);
  t.same(await readdir(target), []);
  t.equal((await stat(target)).mode & 0o777, 0o700);
});

t.test('prepareDir removes temp files a crash left and keeps everything else', async (t) => {
  const dir = t.testdir({ '.1.json.abcd1234.tmp': 'half', '1.json': '{}', '.hidden': 'x', 'x.tmp': 'y' });
  await prepareDir(dir);
  t.same((await readdir(dir)).sort(), ['.hidden', '1.json', 'x.tmp']);
});

t.test('prepareDir on a path below a file throws StateError', async (t) => {
  const dir = t.testdir({ file: 'x' });
  await t.rejects(prepareDir(join(dir, 'file', 'sub')), { constructor: StateError, code: 'ERR_STATE' });
});

t.test('writeFileAtomic in a read-only directory throws StateError', { skip: process.getuid?.() === 0 ? 'root ignores permissions' : false }, async (t) => {
  const dir = t.testdir({});
  const ro = join(dir, 'ro');
  await mkdir(ro);
  await chmod(ro, 0o500);
  t.teardown(() => chmod(ro, 0o700));
  await t.rejects(writeFileAtomic(join(ro, 'a'), 'x'), { name: 'StateError', constructor: StateError });
});
