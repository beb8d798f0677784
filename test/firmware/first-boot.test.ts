// First boot: identity, TLS key and SNMP engineID are generated, firstboot.json's admin password is hashed into the
// user store and the file deleted; no password is ever written in clear or logged.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { needsFirstBoot, runFirstBoot } from '../../src/firmware/first-boot.js';
import { factoryReset } from '../../src/firmware/factory-reset.js';
import { UserStore } from '../../src/security/users.js';
import { loadSnmpEngine } from '../../src/snmp/engine-id.js';

const CHEAP = { ln: 4, r: 8, p: 1 };
const PASSWORD = 'correct-horse-battery-staple';

function sink(): { log: pino.Logger; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { log: pino({ level: 'trace' }, stream), text: () => text };
}

async function stateDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-firstboot-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function allText(dir: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out += await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

t.test('a flashed state dir gets uuid, TLS key, engineID and the admin from firstboot.json, which is deleted', async (t) => {
  const dir = await stateDir(t);
  await writeFile(join(dir, 'firstboot.json'), JSON.stringify({ version: 1, hostname: 'printer', board: '/etc/ippbridge/board.json', 'admin-password': PASSWORD }), { mode: 0o600 });
  const { log, text } = sink();
  const report = await runFirstBoot(dir, log, { scrypt: CHEAP });
  t.match(report, { uuid: /^urn:uuid:[0-9a-f-]{36}$/, engineId: /^8001869f05[0-9a-f]{16}$/, admin: 'from-firstboot', hadSettings: true });
  t.equal(JSON.parse(await readFile(join(dir, 'printer.json'), 'utf8')).uuid, report?.uuid);
  t.equal((await stat(join(dir, 'tls/key.pem'))).mode & 0o777, 0o600, 'TLS key, mode 0600');
  t.same(JSON.parse(await readFile(join(dir, 'snmp.json'), 'utf8')), { engineIdOctets: report?.engineId.slice(10), boots: 0 });
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  t.ok(await store.verify('admin', PASSWORD), 'admin logs in with the flashed password');
  t.ok(store.get('admin')?.isAdmin);
  await t.rejects(stat(join(dir, 'firstboot.json')), { code: 'ENOENT' }, 'firstboot.json deleted');
  t.notOk((await allText(dir)).includes(PASSWORD), 'the password is nowhere in the state dir');
  t.notOk(text().includes(PASSWORD), 'nor in the log');
  t.notOk(await needsFirstBoot(dir), 'done once');
});

t.test('the first SNMP start after first boot keeps the engineID and counts boot 1', async (t) => {
  const dir = await stateDir(t);
  const report = await runFirstBoot(dir, sink().log, { scrypt: CHEAP });
  const engine = await loadSnmpEngine(dir, sink().log);
  t.equal(engine.engineId.toString('hex'), report?.engineId);
  t.equal(engine.boots, 1);
});

t.test('without a password in firstboot.json no administrator is made (the caller generates one) and the file goes', async (t) => {
  const dir = await stateDir(t);
  await writeFile(join(dir, 'firstboot.json'), JSON.stringify({ version: 1, board: '/etc/ippbridge/board.json' }));
  const report = await runFirstBoot(dir, sink().log, { scrypt: CHEAP });
  t.equal(report?.admin, 'none');
  t.notOk((await UserStore.open(dir)).hasAdmin());
  await t.rejects(stat(join(dir, 'firstboot.json')), { code: 'ENOENT' });
});

t.test('an existing administrator keeps their password and the flashed one is dropped', async (t) => {
  const dir = await stateDir(t);
  const store = await UserStore.open(dir, { scrypt: CHEAP });
  await store.add('root-admin', 'the-old-password', true);
  await writeFile(join(dir, 'firstboot.json'), JSON.stringify({ 'admin-password': PASSWORD }));
  const report = await runFirstBoot(dir, sink().log, { scrypt: CHEAP });
  t.equal(report?.admin, 'kept');
  const after = await UserStore.open(dir, { scrypt: CHEAP });
  t.equal(after.get('admin'), undefined);
  t.ok(await after.verify('root-admin', 'the-old-password'));
  await t.rejects(stat(join(dir, 'firstboot.json')), { code: 'ENOENT' });
});

t.test('a malformed firstboot.json is deleted too and the rest of the first boot still runs', async (t) => {
  const dir = await stateDir(t);
  await writeFile(join(dir, 'firstboot.json'), `{"admin-password": "${PASSWORD}"`);
  const { log, text } = sink();
  const report = await runFirstBoot(dir, log, { scrypt: CHEAP });
  t.equal(report?.admin, 'none');
  await t.rejects(stat(join(dir, 'firstboot.json')), { code: 'ENOENT' });
  t.notOk(text().includes(PASSWORD), 'the parse error does not echo the file');
});

t.test('a state dir with an identity and no firstboot.json is left alone', async (t) => {
  const dir = await stateDir(t);
  await runFirstBoot(dir, sink().log, { scrypt: CHEAP });
  const before = await readFile(join(dir, 'printer.json'), 'utf8');
  t.equal(await runFirstBoot(dir, sink().log, { scrypt: CHEAP }), undefined);
  t.equal(await readFile(join(dir, 'printer.json'), 'utf8'), before);
});

t.test('a factory reset empties the state dir and the next first boot makes a new identity', async (t) => {
  const dir = await stateDir(t);
  const first = await runFirstBoot(dir, sink().log, { scrypt: CHEAP });
  await writeFile(join(dir, 'users.json'), '{}');
  const removed = await factoryReset(dir, sink().log);
  t.ok(removed.includes('printer.json') && removed.includes('tls') && removed.includes('snmp.json'), removed.join(', '));
  t.same(await readdir(dir), [], 'empty, but still there');
  const second = await runFirstBoot(dir, sink().log, { scrypt: CHEAP });
  t.not(second?.uuid, first?.uuid, 'new printer-uuid');
  t.not(second?.engineId, first?.engineId, 'new SNMP engineID');
});

t.test('a factory reset refuses a file system root or a top-level folder', async (t) => {
  await t.rejects(factoryReset('/', sink().log), { code: 'ERR_CONFIG' });
  await t.rejects(factoryReset('/var', sink().log), { code: 'ERR_CONFIG' });
});
