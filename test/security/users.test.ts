// The local user store: scrypt hash format, file mode 0600, atomic writes, reload across processes, first admin.
// SPDX-License-Identifier: Apache-2.0
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { tempStateDir } from '../support/fake-engine.js';
import { hashPassword, isPasswordHash, verifyPassword } from '../../src/security/password-hash.js';
import { ensureAdmin, USERS_FILE, UserStore, userNameProblem } from '../../src/security/users.js';
import { constantTimeEqual } from '../../src/security/constant-time.js';
import { ConfigError } from '../../src/errors.js';

const CHEAP = { ln: 6, r: 8, p: 1 };

t.test('a password hash is $scrypt$ with cost, salt and key, and verifies only its password', async (t) => {
  const hash = await hashPassword('correct horse', CHEAP);
  t.match(hash, /^\$scrypt\$ln=6,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  t.ok(isPasswordHash(hash));
  t.equal(await verifyPassword('correct horse', hash), true);
  t.equal(await verifyPassword('correct horsf', hash), false);
  t.equal(await verifyPassword('correct horse', hash.replace('$scrypt$', '$bcrypt$')), false, 'malformed hash never matches');
});

t.test('two hashes of one password differ (per-user salt)', async (t) => {
  t.not(await hashPassword('same password', CHEAP), await hashPassword('same password', CHEAP));
});

t.test('the default cost is N=2^15, r=8', async (t) => {
  const hash = await hashPassword('x'.repeat(8));
  t.match(hash, /^\$scrypt\$ln=15,r=8,p=1\$/);
});

t.test('constantTimeEqual compares contents of any length', async (t) => {
  t.equal(constantTimeEqual('abc', 'abc'), true);
  t.equal(constantTimeEqual('abc', 'abd'), false);
  t.equal(constantTimeEqual('abc', 'abcd'), false);
  t.equal(constantTimeEqual(Buffer.from('abc'), 'abc'), true);
});

t.test('users.json is written with mode 0600 and holds hashes, never the password', async (t) => {
  const dir = await tempStateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  await store.add('alice', 'alice-password', false);
  const file = join(dir, USERS_FILE);
  t.equal((await stat(file)).mode & 0o777, 0o600);
  const text = await readFile(file, 'utf8');
  t.notMatch(text, /alice-password/);
  const doc = JSON.parse(text) as { version: number; users: { name: string; hash: string; admin: boolean }[] };
  t.equal(doc.version, 1);
  t.equal(doc.users[0]?.name, 'alice');
  t.equal(doc.users[0]?.admin, false);
  t.ok(isPasswordHash(doc.users[0]?.hash ?? ''));
});

t.test('writes are atomic: no temp file is left and a reopened store sees every change', async (t) => {
  const dir = await tempStateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  await store.add('alice', 'alice-password', true);
  await store.add('bob', 'bob-password', false);
  await store.setPassword('bob', 'bob-password-2');
  await store.remove('bob');
  t.same(await readdir(dir), [USERS_FILE]);
  const again = await UserStore.open(dir, { scrypt: CHEAP });
  t.same(again.list().map((u) => u.name), ['alice']);
});

t.test('verify returns the user for the right password only', async (t) => {
  const dir = await tempStateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  await store.add('alice', 'alice-password', true);
  t.equal((await store.verify('alice', 'alice-password'))?.isAdmin, true);
  t.equal(await store.verify('alice', 'wrong-password'), undefined);
  t.equal(await store.verify('nobody', 'alice-password'), undefined);
});

t.test('a running store picks up a change another process made', async (t) => {
  const dir = await tempStateDir(t);
  const server = await UserStore.open(dir, { scrypt: CHEAP });
  const cli = await UserStore.open(dir, { scrypt: CHEAP });
  await cli.add('carol', 'carol-password', false);
  await new Promise((r) => setTimeout(r, 1100));
  t.ok(await server.verify('carol', 'carol-password'));
});

t.test('the last administrator cannot be deleted', async (t) => {
  const dir = await tempStateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  await store.add('root', 'root-password', true);
  await t.rejects(store.remove('root'), ConfigError);
  t.ok(store.get('root'));
});

t.test('add refuses a taken name, a bad name and a short password', async (t) => {
  const dir = await tempStateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  await store.add('dave', 'dave-password', false);
  await t.rejects(store.add('dave', 'another-password', false), /already exists/);
  await t.rejects(store.add('da:ve', 'dave-password', false), /colon/);
  await t.rejects(store.add('erin', 'short', false), /at least 8/);
  t.equal(userNameProblem(' x'), 'a user name cannot start or end with white space');
});

t.test('ensureAdmin creates one administrator with a random password, once', async (t) => {
  const dir = await tempStateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  const first = await ensureAdmin(store);
  t.equal(first?.name, 'admin');
  t.ok((first?.password.length ?? 0) >= 20);
  t.ok(await store.verify('admin', first?.password ?? ''));
  t.equal(await ensureAdmin(store), undefined, 'not again');
  t.notMatch(await readFile(join(dir, USERS_FILE), 'utf8'), first?.password ?? '-');
});

t.test('malformed entries are ignored and a corrupt file is moved aside, not deleted', async (t) => {
  const dir = await tempStateDir(t);
  await writeFile(join(dir, USERS_FILE), JSON.stringify({ version: 1, users: [{ name: 'x', hash: 'plain' }] }));
  t.same((await UserStore.open(dir)).list(), []);
  await writeFile(join(dir, USERS_FILE), '{ not json');
  t.same((await UserStore.open(dir)).list(), []);
  t.ok((await readdir(dir)).some((f) => f.startsWith(`${USERS_FILE}.corrupt-`)));
});
