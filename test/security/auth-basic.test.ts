// Authenticator.check with HTTP Basic: refused (426) over plaintext without touching the store, 401 with a
// challenge for a wrong password, the user for a right one, 429 after repeated failures; nothing secret logged.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { jsonSinkLogger, tempStateDir } from '../support/fake-engine.js';
import { Authenticator, isLoopback, type RequestFacts } from '../../src/security/authenticate.js';
import { FailureLimiter } from '../../src/security/rate-limit.js';
import { UserStore } from '../../src/security/users.js';
import { parseBasic } from '../../src/security/basic-auth.js';

const CHEAP = { ln: 6, r: 8, p: 1 };

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function facts(authorization: string | undefined, secure = true, address = '192.0.2.7'): RequestFacts {
  return { authorization, secure, address, authority: 'printer.local:8631' };
}

async function setup(t: Test, limiter?: FailureLimiter): Promise<{ auth: Authenticator; lines: Record<string, unknown>[] }> {
  const dir = await tempStateDir(t);
  const users = await UserStore.open(dir, { scrypt: CHEAP });
  await users.add('alice', 'alice-password', false);
  await users.add('root', 'root-password', true);
  const { log, lines } = jsonSinkLogger('trace');
  const auth = await Authenticator.open({ users, log, ...(limiter ? { limiter } : {}) });
  return { auth, lines };
}

t.test('Basic over plaintext is refused with 426 Upgrade and never checked against the store', async (t) => {
  const spy = {
    get: () => t.fail('store consulted'),
    refresh: async () => t.fail('store consulted'),
    verify: async () => t.fail('store consulted'),
  } as unknown as UserStore;
  const auth = await Authenticator.open({ users: spy });
  const r = await auth.check(facts(basic('root', 'root-password'), false));
  t.equal(r.ok, false);
  if (r.ok) return;
  t.equal(r.status, 426);
  t.match(r.headers['Upgrade'], /TLS\/1\.2/);
  t.match(r.reason, /only over TLS/);
});

t.test('a wrong password over TLS is 401 with a Basic challenge', async (t) => {
  const { auth } = await setup(t);
  const r = await auth.check(facts(basic('alice', 'wrong-password')));
  t.equal(r.ok, false);
  if (r.ok) return;
  t.equal(r.status, 401);
  t.match(r.headers['WWW-Authenticate'], /^Basic realm="ippbridge"$/);
});

t.test('the right password over TLS authenticates the user, admin flag from the store', async (t) => {
  const { auth } = await setup(t);
  const a = await auth.check(facts(basic('alice', 'alice-password')));
  t.same(a, { ok: true, authenticated: { user: 'alice', isAdmin: false, method: 'basic' } });
  const r = await auth.check(facts(basic('root', 'root-password')));
  t.same(r, { ok: true, authenticated: { user: 'root', isAdmin: true, method: 'basic' } });
  const again = await auth.check(facts(basic('root', 'root-password')));
  t.same(again, r, 'a cached verification gives the same answer');
  t.equal((await auth.check(facts(basic('root', 'root-passwore')))).ok, false, 'the cache does not match a near miss');
});

t.test('no Authorization header is no identity, not a refusal', async (t) => {
  const { auth } = await setup(t);
  t.same(await auth.check(facts(undefined, false)), { ok: true, authenticated: undefined });
});

t.test('an unknown scheme over TLS is 401', async (t) => {
  const { auth } = await setup(t);
  const r = await auth.check(facts('Digest username="alice"'));
  t.equal(r.ok ? 0 : r.status, 401);
});

t.test('after the burst of failures an address gets 429 with Retry-After, even with the right password', async (t) => {
  const limiter = new FailureLimiter({ burst: 3, refillMs: 60_000, maxClients: 10 });
  const { auth } = await setup(t, limiter);
  for (let i = 0; i < 3; i++) t.equal(((await auth.check(facts(basic('alice', `nope-${i}-xxxx`)))) as { status: number }).status, 401);
  const r = await auth.check(facts(basic('alice', 'alice-password')));
  t.equal(r.ok, false);
  if (r.ok) return;
  t.equal(r.status, 429);
  t.ok(Number(r.headers['Retry-After']) >= 1);
  const other = await auth.check(facts(basic('alice', 'alice-password'), true, '192.0.2.8'));
  t.equal(other.ok, true, 'another address is not throttled');
});

t.test('the failure bucket refills over time', async (t) => {
  let now = 0;
  const limiter = new FailureLimiter({ burst: 2, refillMs: 1000, maxClients: 10 }, () => now);
  limiter.fail('a');
  limiter.fail('a');
  t.equal(limiter.retryAfter('a'), 1);
  now = 1000;
  t.equal(limiter.retryAfter('a'), 0);
});

t.test('the limiter forgets the oldest address beyond its capacity', async (t) => {
  const limiter = new FailureLimiter({ burst: 1, refillMs: 60_000, maxClients: 2 });
  limiter.fail('a');
  limiter.fail('b');
  limiter.fail('c');
  t.equal(limiter.size, 2);
  t.equal(limiter.retryAfter('a'), 0);
  t.ok(limiter.retryAfter('c') > 0);
});

t.test('passwords never reach the log', async (t) => {
  const { auth, lines } = await setup(t);
  await auth.check(facts(basic('alice', 'wrong-secret-1')));
  await auth.check(facts(basic('alice', 'alice-password')));
  await auth.check(facts(basic('alice', 'plain-secret-2'), false));
  const text = JSON.stringify(lines);
  t.ok(lines.length > 0, 'something was logged');
  for (const secret of ['wrong-secret-1', 'alice-password', 'plain-secret-2', Buffer.from('alice:wrong-secret-1').toString('base64')]) {
    t.notOk(text.includes(secret), `no ${secret} in the log`);
  }
});

t.test('parseBasic splits at the first colon and rejects malformed values', async (t) => {
  t.same(parseBasic(basic('bob', 'pa:ss')), { user: 'bob', password: 'pa:ss' });
  t.equal(parseBasic('Basic !!!'), undefined);
  t.equal(parseBasic(`Basic ${Buffer.from('nocolon').toString('base64')}`), undefined);
  t.equal(parseBasic('Bearer abc'), undefined);
});

t.test('loopback means 127/8 and ::1, also IPv4-mapped', async (t) => {
  t.ok(isLoopback('127.0.0.1'));
  t.ok(isLoopback('::ffff:127.1.2.3'));
  t.ok(isLoopback('::1'));
  t.notOk(isLoopback('192.168.1.2'));
  t.notOk(isLoopback('::ffff:10.0.0.1'));
});
