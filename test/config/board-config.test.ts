// Board config validation: the shipped virtual.json parses; every error is a ConfigError naming its field.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoardConfig, parseBoardConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const VIRTUAL = fileURLToPath(new URL('../../board-configs/virtual.json', import.meta.url));

function valid(): Record<string, unknown> {
  return {
    name: 'Office',
    info: 'Office printer',
    location: 'Room 1',
    'geo-location': 'geo:52.5,13.4',
    organization: 'ACME',
    'organizational-unit': 'IT',
    engine: { driver: 'virtual', uri: 'virtual:', options: { pace: 1 } },
  };
}

function fails(t: Test, doc: unknown, pointer: string, message: RegExp): void {
  try {
    parseBoardConfig(doc, 'board.json');
  } catch (err) {
    t.type(err, ConfigError);
    const e = err as ConfigError;
    t.equal(e.code, 'ERR_CONFIG');
    t.equal(e.file, 'board.json');
    t.equal(e.pointer, pointer);
    t.match(e.message, message);
    return;
  }
  t.fail(`no error for ${pointer}`);
}

t.test('the shipped virtual board config loads', async (t) => {
  const b = await loadBoardConfig(VIRTUAL);
  t.equal(b.name, 'ippbridge Virtual Printer');
  t.equal(b.geoLocation, undefined);
  t.same(b.engine, { driver: 'virtual', uri: 'virtual:', options: {} });
});

t.test('a full config maps every field', async (t) => {
  t.same(parseBoardConfig(valid(), 'board.json'), {
    name: 'Office',
    info: 'Office printer',
    location: 'Room 1',
    geoLocation: 'geo:52.5,13.4',
    organization: 'ACME',
    organizationalUnit: 'IT',
    engine: { driver: 'virtual', uri: 'virtual:', options: { pace: 1 } },
    snmp: { communities: ['public'], sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1], contact: '', users: [], trapTargets: [] },
    security: { mode: 'open' },
    spool: { maxBytes: 268435456 },
    auth: { anonymousPrinting: true, localAdmin: true, jobPrivacy: true, realm: 'ippbridge', oauth: undefined },
  });
});

t.test('optional fields default (info to the name, the rest empty)', async (t) => {
  const b = parseBoardConfig({ name: 'N', engine: { driver: 'virtual', uri: 'virtual:' } }, 'b.json');
  t.equal(b.info, 'N');
  t.equal(b.location, '');
  t.equal(b.organization, '');
  t.equal(b.organizationalUnit, '');
  t.same(b.engine.options, {});
});

t.test('a document that is not an object is refused', async (t) => {
  fails(t, [], '', /JSON object/);
});

t.test('an unknown top-level field is named', async (t) => {
  fails(t, { ...valid(), colour: true }, '/colour', /unknown field \/colour/);
});

t.test('an unknown engine field is named', async (t) => {
  fails(t, { ...valid(), engine: { driver: 'virtual', uri: 'virtual:', speed: 3 } }, '/engine/speed', /\/engine\/speed/);
});

t.test('a missing engine is named', async (t) => {
  const doc = valid();
  delete doc['engine'];
  fails(t, doc, '/engine', /\/engine must be an object/);
});

t.test('engine options that are not an object are named', async (t) => {
  fails(t, { ...valid(), engine: { driver: 'virtual', uri: 'virtual:', options: [] } }, '/engine/options', /\/engine\/options/);
});

t.test('a missing engine uri is named', async (t) => {
  fails(t, { ...valid(), engine: { driver: 'virtual' } }, '/engine/uri', /\/engine\/uri must be a string/);
});

t.test('an engine uri that is not a URI is named', async (t) => {
  fails(t, { ...valid(), engine: { driver: 'virtual', uri: 'not a uri' } }, '/engine/uri', /not a URI/);
});

t.test('a missing engine driver is named', async (t) => {
  fails(t, { ...valid(), engine: { uri: 'virtual:' } }, '/engine/driver', /\/engine\/driver must be a string/);
});

t.test('a geo-location that is not a geo: URI is named', async (t) => {
  fails(t, { ...valid(), 'geo-location': '52.5,13.4' }, '/geo-location', /geo:/);
});

t.test('a null geo-location means unknown', async (t) => {
  t.equal(parseBoardConfig({ ...valid(), 'geo-location': null }, 'b.json').geoLocation, undefined);
});

t.test('a missing name is named', async (t) => {
  const doc = valid();
  delete doc['name'];
  fails(t, doc, '/name', /\/name must be a string/);
});

t.test('a blank name is named', async (t) => {
  fails(t, { ...valid(), name: '  ' }, '/name', /must not be empty/);
});

t.test('a string over 127 characters is named', async (t) => {
  fails(t, { ...valid(), location: 'x'.repeat(128) }, '/location', /longer than 127/);
});

t.test('a field of the wrong type is named', async (t) => {
  fails(t, { ...valid(), organization: 7 }, '/organization', /\/organization must be a string/);
  fails(t, { ...valid(), 'organizational-unit': false }, '/organizational-unit', /must be a string/);
  fails(t, { ...valid(), info: null }, '/info', /\/info must be a string/);
});

t.test('an unreadable file is a ConfigError naming the file', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'missing.json');
  await t.rejects(loadBoardConfig(file), { constructor: ConfigError, code: 'ERR_CONFIG', file });
});

t.test('a file that is not JSON is a ConfigError naming the file', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'bad.json');
  await writeFile(file, '{ "name": ');
  await t.rejects(loadBoardConfig(file), { constructor: ConfigError, file, message: /not valid JSON/ });
});

t.test('the snmp section has defaults and is validated', async (t) => {
  const d = parseBoardConfig(valid(), 'board.json');
  t.same(d.snmp.communities, ['public']);
  t.same(d.snmp.sysObjectId, [1, 3, 6, 1, 4, 1, 99999, 1]);
  const custom = parseBoardConfig({ ...valid(), snmp: { communities: [], 'sys-object-id': '1.3.6.1.4.1.4242.7', contact: 'ops' } }, 'b.json');
  t.same(custom.snmp, { communities: [], sysObjectId: [1, 3, 6, 1, 4, 1, 4242, 7], contact: 'ops', users: [], trapTargets: [] });
  fails(t, { ...valid(), snmp: { communities: 'public' } }, '/snmp/communities', /array/);
  fails(t, { ...valid(), snmp: { 'sys-object-id': '2.5.4' } }, '/snmp/sys-object-id', /OID/);
  fails(t, { ...valid(), snmp: { port: 161 } }, '/snmp/port', /unknown field/);
});

function withUsers(users: unknown): Record<string, unknown> {
  return { ...valid(), snmp: { users } };
}

t.test('snmp.users maps authPriv and authNoPriv users', async (t) => {
  const b = parseBoardConfig(
    withUsers([
      { name: 'ops', 'auth-protocol': 'SHA-256', 'auth-password': 'pass12345', 'priv-protocol': 'AES', 'priv-password': 'pass67890' },
      { name: 'mon', 'auth-protocol': 'SHA', 'auth-password': 'monitor-pw' },
    ]),
    'b.json',
  );
  t.same(b.snmp.users, [
    { name: 'ops', authProtocol: 'SHA-256', authPassword: 'pass12345', privProtocol: 'AES', privPassword: 'pass67890' },
    { name: 'mon', authProtocol: 'SHA', authPassword: 'monitor-pw', privProtocol: undefined, privPassword: undefined },
  ]);
});

t.test('every snmp.users field is validated with a pointer to it', async (t) => {
  const good = { name: 'u', 'auth-protocol': 'SHA-512', 'auth-password': 'pass12345' };
  fails(t, withUsers({}), '/snmp/users', /array/);
  fails(t, withUsers(['u']), '/snmp/users/0', /object/);
  fails(t, withUsers([good, { ...good, name: 'v', extra: 1 }]), '/snmp/users/1/extra', /unknown field/);
  fails(t, withUsers([{ ...good, name: '' }]), '/snmp/users/0/name', /1-32/);
  fails(t, withUsers([{ ...good, name: 'x'.repeat(33) }]), '/snmp/users/0/name', /1-32/);
  fails(t, withUsers([{ ...good, 'auth-protocol': 'MD5' }]), '/snmp/users/0/auth-protocol', /one of SHA/);
  fails(t, withUsers([{ ...good, 'auth-password': 'short' }]), '/snmp/users/0/auth-password', /at least 8/);
  fails(t, withUsers([{ name: 'u', 'auth-protocol': 'SHA' }]), '/snmp/users/0/auth-password', /string/);
  fails(t, withUsers([{ ...good, 'priv-protocol': 'DES', 'priv-password': 'pass67890' }]), '/snmp/users/0/priv-protocol', /one of AES/);
  fails(t, withUsers([{ ...good, 'priv-protocol': 'AES' }]), '/snmp/users/0/priv-password', /string/);
  fails(t, withUsers([{ ...good, 'priv-protocol': 'AES', 'priv-password': '1234567' }]), '/snmp/users/0/priv-password', /at least 8/);
  fails(t, withUsers([{ ...good, 'priv-password': 'pass67890' }]), '/snmp/users/0/priv-password', /needs priv-protocol/);
  fails(t, withUsers([good, good]), '/snmp/users/1/name', /duplicate/);
});

function withTraps(traps: unknown): Record<string, unknown> {
  return { ...valid(), snmp: { traps } };
}

t.test('snmp.traps maps addresses to host, port (default 162) and community', async (t) => {
  const b = parseBoardConfig(
    withTraps([
      { address: '192.0.2.7:1162', community: 'public' },
      { address: 'nms.example.org', community: 'ops' },
      { address: '[2001:db8::1]:10162', community: 'c' },
      { address: '[fe80::1]', community: 'c' },
      { address: '::1', community: 'c' },
      { address: 'localhost:162', community: 'c' },
    ]),
    'b.json',
  );
  t.same(b.snmp.trapTargets, [
    { host: '192.0.2.7', port: 1162, community: 'public' },
    { host: 'nms.example.org', port: 162, community: 'ops' },
    { host: '2001:db8::1', port: 10162, community: 'c' },
    { host: 'fe80::1', port: 162, community: 'c' },
    { host: '::1', port: 162, community: 'c' },
    { host: 'localhost', port: 162, community: 'c' },
  ]);
  t.same(parseBoardConfig(valid(), 'b.json').snmp.trapTargets, []);
});

t.test('every snmp.traps field is validated with a pointer to it', async (t) => {
  const good = { address: '127.0.0.1', community: 'public' };
  fails(t, withTraps({}), '/snmp/traps', /array/);
  fails(t, withTraps(['x']), '/snmp/traps/0', /object/);
  fails(t, withTraps([good, { ...good, port: 162 }]), '/snmp/traps/1/port', /unknown field/);
  fails(t, withTraps([{ address: '127.0.0.1' }]), '/snmp/traps/0', /either "community".*or "user"/);
  fails(t, withTraps([{ ...good, user: 'u' }]), '/snmp/traps/0', /either "community".*or "user"/);
  fails(t, withTraps([{ address: '127.0.0.1', user: 'nobody' }]), '/snmp/traps/0/user', /one of \/snmp\/users/);
  fails(t, withTraps([{ ...good, community: '' }]), '/snmp/traps/0/community', /1-64/);
  fails(t, withTraps([{ ...good, community: 'x'.repeat(65) }]), '/snmp/traps/0/community', /1-64/);
  fails(t, withTraps([{ community: 'public' }]), '/snmp/traps/0/address', /host:port/);
  for (const address of ['', 'host:0', 'host:65536', 'host:port', 'host:', '[::1', '[nothost]:162', '999.1.1.1', 'bad_name:162', 'a b']) {
    fails(t, withTraps([{ ...good, address }]), '/snmp/traps/0/address', /host:port/);
  }
});
