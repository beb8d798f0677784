// End to end SNMPv3: the Printer MIB agent with USM users on 127.0.0.1, driven by Net-SNMP's snmpwalk/snmpget
// with -v3 (authPriv with SHA-1/SHA-256/SHA-512 and AES, authNoPriv, wrong password, unknown user).
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import type { SnmpUser } from '../../src/config.js';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { SnmpCounters, snmpGroupProviders } from '../../src/snmp/counters.js';
import { loadSnmpEngine, snmpEngineProviders, type SnmpEngine } from '../../src/snmp/engine-id.js';
import { createMibTree, printerMibProviders } from '../../src/snmp/mib.js';
import { V3Counters, v3CounterProviders } from '../../src/snmp/usm-stats.js';
import { SnmpState } from '../../src/snmp/view.js';
import { makeTestPrinter } from '../support/fake-engine.js';
import { compareDotted, isExceptionLine, parseLines, requireSnmpTools, runSnmpTool, type ToolResult } from './snmp-tools.js';

const USERS: readonly SnmpUser[] = [
  { name: 'sha256', authProtocol: 'SHA-256', authPassword: 'pass12345', privProtocol: 'AES', privPassword: 'pass67890' },
  { name: 'sha1', authProtocol: 'SHA', authPassword: 'maplesyrup', privProtocol: 'AES', privPassword: 'maplesyrup2' },
  { name: 'sha512', authProtocol: 'SHA-512', authPassword: 'pass12345-512', privProtocol: 'AES-256', privPassword: 'pass67890-512' },
  { name: 'sha224', authProtocol: 'SHA-224', authPassword: 'pass12345-224', privProtocol: 'AES-192', privPassword: 'pass67890-224' },
  { name: 'sha1x', authProtocol: 'SHA', authPassword: 'extend-me-1', privProtocol: 'AES-256', privPassword: 'extend-me-2' },
  { name: 'monitor', authProtocol: 'SHA-384', authPassword: 'monitor-pw', privProtocol: undefined, privPassword: undefined },
];

interface Setup {
  readonly port: number;
  readonly engine: SnmpEngine;
  readonly v3Counters: V3Counters;
}

async function setup(t: Test): Promise<Setup> {
  const { printer } = await makeTestPrinter(t);
  const state = new SnmpState(printer, {
    sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1],
    firmwareVersion: '0.1.0',
    boardName: 'Fake Printer',
    printerUri: () => 'ipp://127.0.0.1:8631/ipp/print',
  });
  t.teardown(() => state.close());
  const dir = await mkdtemp(join(tmpdir(), 'snmp-v3-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const log = pino({ level: 'silent' });
  const engine = await loadSnmpEngine(dir, log);
  const counters = new SnmpCounters();
  const v3Counters = new V3Counters();
  const tree = createMibTree([...printerMibProviders(), ...snmpGroupProviders(counters), ...snmpEngineProviders(engine), ...v3CounterProviders(v3Counters)]);
  const agent = new SnmpAgent(tree, () => state.capture(), {
    port: 0,
    address: '127.0.0.1',
    communities: ['public'],
    log,
    counters,
    v3: { engine, users: USERS, counters: v3Counters },
  });
  const port = await agent.start();
  t.teardown(() => agent.stop());
  return { port, engine, v3Counters };
}

/** Run a Net-SNMP tool with -v3 security options; never rejects. */
function runV3(tool: 'snmpwalk' | 'snmpget' | 'snmpbulkwalk', port: number, security: readonly string[], oids: readonly string[]): Promise<ToolResult> {
  const argv = ['-v3', ...security, '-On', '-t', '1', '-r', '1', `udp:127.0.0.1:${port}`, ...oids];
  const env = { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMPCONFPATH: '/nonexistent' };
  return new Promise((resolve) => {
    execFile(`/usr/bin/${tool}`, argv, { timeout: 30_000, env, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr, lines: parseLines(stdout) });
    });
  });
}

function authPriv(user: string, auth: string, authPw: string, priv: string, privPw: string): string[] {
  return ['-l', 'authPriv', '-u', user, '-a', auth, '-A', authPw, '-x', priv, '-X', privPw];
}

/** OIDs of a walk outside the counter groups, which move with every request. */
function stableOids(res: ToolResult): string[] {
  return res.lines.filter((l) => !isExceptionLine(l) && !/^1\.3\.6\.1\.(2\.1\.11|6\.3)\./.test(l.oid)).map((l) => `${l.oid} ${l.type}`);
}

function isIncreasing(oids: readonly string[]): boolean {
  return oids.every((oid, i) => i === 0 || compareDotted(oids[i - 1] ?? '', oid) < 0);
}

t.test('snmpwalk -v3 authPriv SHA-256/AES walks the same tree as the v2c walk', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const v2 = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1']);
  const v3 = await runV3('snmpwalk', port, authPriv('sha256', 'SHA-256', 'pass12345', 'AES', 'pass67890'), ['1.3.6.1']);
  t.equal(v3.code, 0, v3.stderr);
  const oids = v3.lines.filter((l) => !isExceptionLine(l)).map((l) => l.oid);
  t.ok(oids.length > 50, `${oids.length} instances`);
  t.ok(isIncreasing(oids), 'strictly increasing');
  t.ok(oids.includes('1.3.6.1.6.3.10.2.1.1.0'), 'snmpEngineID is served');
  t.ok(oids.includes('1.3.6.1.6.3.15.1.1.4.0'), 'usmStatsUnknownEngineIDs is served');
  t.same(stableOids(v3), stableOids(v2));
  t.match(v3.lines[v3.lines.length - 1]?.value ?? '', /No more variables left in this MIB View/);
});

t.test('snmpwalk -v3 authPriv works with SHA-1/AES, SHA-512/AES-256, SHA-224/AES-192 and SHA-1/AES-256 (key extension)', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const v2 = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1.2.1.43']);
  for (const security of [
    authPriv('sha1', 'SHA', 'maplesyrup', 'AES', 'maplesyrup2'),
    authPriv('sha512', 'SHA-512', 'pass12345-512', 'AES-256', 'pass67890-512'),
    authPriv('sha224', 'SHA-224', 'pass12345-224', 'AES-192', 'pass67890-224'),
    authPriv('sha1x', 'SHA', 'extend-me-1', 'AES-256', 'extend-me-2'),
  ]) {
    const v3 = await runV3('snmpwalk', port, security, ['1.3.6.1.2.1.43']);
    t.equal(v3.code, 0, v3.stderr);
    t.same(stableOids(v3), stableOids(v2), security[3] ?? '');
  }
});

t.test('snmpbulkwalk -v3 authNoPriv with SHA-384 returns the v2c walk', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const v2 = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1.2.1.25']);
  const v3 = await runV3('snmpbulkwalk', port, ['-l', 'authNoPriv', '-u', 'monitor', '-a', 'SHA-384', '-A', 'monitor-pw'], ['1.3.6.1.2.1.25']);
  t.equal(v3.code, 0, v3.stderr);
  t.same(stableOids(v3), stableOids(v2));
});

t.test('snmpget -v3 with the engineID given up front (-e) works', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port, engine } = await setup(t);
  const security = [...authPriv('sha256', 'SHA-256', 'pass12345', 'AES', 'pass67890'), '-e', engine.engineId.toString('hex')];
  const res = await runV3('snmpget', port, security, ['1.3.6.1.6.3.10.2.1.1.0', '1.3.6.1.6.3.10.2.1.2.0']);
  t.equal(res.code, 0, res.stderr);
  t.equal(res.lines[0]?.value.replace(/\s+/g, '').toLowerCase(), engine.engineId.toString('hex'));
  t.equal(res.lines[1]?.value, String(engine.boots));
});

t.test('a wrong password gets no data and an authentication error, counted in usmStatsWrongDigests', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port, v3Counters } = await setup(t);
  const res = await runV3('snmpget', port, authPriv('sha256', 'SHA-256', 'wrong-pass', 'AES', 'pass67890'), ['1.3.6.1.2.1.1.1.0']);
  t.not(res.code, 0);
  t.same(res.lines, []);
  t.match(res.stderr, /Authentication failure/i);
  t.ok(v3Counters.get('usmStatsWrongDigests') >= 1);
});

t.test('an unknown user fails with an unknown user name error', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port, v3Counters } = await setup(t);
  const res = await runV3('snmpget', port, authPriv('nobody', 'SHA-256', 'pass12345', 'AES', 'pass67890'), ['1.3.6.1.2.1.1.1.0']);
  t.not(res.code, 0);
  t.same(res.lines, []);
  t.match(res.stderr, /Unknown user name/i);
  t.ok(v3Counters.get('usmStatsUnknownUserNames') >= 1);
});

t.test('noAuthNoPriv is refused with an unsupported security level error', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const res = await runV3('snmpget', port, ['-l', 'noAuthNoPriv', '-u', 'sha256'], ['1.3.6.1.2.1.1.1.0']);
  t.not(res.code, 0);
  t.same(res.lines, []);
  t.match(res.stderr, /Unsupported security level/i);
});
