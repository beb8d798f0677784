// SnmpAgent protocol behaviour against Net-SNMP's real tools, over a synthetic MIB (Counter64, a wide table, long
// strings): walk order, the v1 rules, GetBulk arithmetic and the byte cap (snmp-printer-mib.md §7, §9).
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { FakeTree, int, str, type FakeCell } from '../snmp/agent-fakes.js';
import { compareDotted, isExceptionLine, requireSnmpTools, runSnmpTool } from './snmp-tools.js';

const ROWS = 30;
const TABLE = '1.3.6.1.4.1.99999.1.1';

/** sysDescr, sysUpTime, one Counter64, and a 30-row table with an integer column and a 100-octet string column. */
function rows(): [string, FakeCell][] {
  const list: [string, FakeCell][] = [
    ['1.3.6.1.2.1.1.1.0', str('ippbridge protocol test')],
    ['1.3.6.1.2.1.1.3.0', { type: 'timeticks', value: 12345 }],
    ['1.3.6.1.2.1.31.1.1.1.6.1', { type: 'counter64', value: 2n ** 40n }],
  ];
  for (let i = 1; i <= ROWS; i++) list.push([`${TABLE}.2.${i}`, int(i)]);
  for (let i = 1; i <= ROWS; i++) list.push([`${TABLE}.3.${i}`, str(`row ${i} `.padEnd(100, 'x'))]);
  return list;
}

const ALL_OIDS = rows()
  .map(([oid]) => oid)
  .sort(compareDotted);

async function startAgent(t: Test): Promise<number> {
  const agent = new SnmpAgent(new FakeTree(rows()), () => 1, { port: 0, address: '127.0.0.1', communities: ['public'], log: pino({ level: 'silent' }) });
  const port = await agent.start();
  t.teardown(() => agent.stop());
  return port;
}

t.test('snmpwalk -v2c returns every instance in order and ends at the end of the MIB view', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1']);
  t.equal(res.code, 0, res.stderr);
  t.notMatch(res.stderr, /not increasing|Error/);
  const values = res.lines.filter((l) => !isExceptionLine(l));
  t.same(values.map((l) => l.oid), ALL_OIDS);
  t.match(res.lines[res.lines.length - 1]?.value ?? '', /No more variables left in this MIB View/);
  t.equal(values.find((l) => l.oid === '1.3.6.1.2.1.31.1.1.1.6.1')?.type, 'Counter64');
});

t.test('snmpwalk -v1 skips the Counter64 and gets no v2-only values', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpwalk', '1', port, [], ['1.3.6.1']);
  t.equal(res.code, 0, res.stderr);
  t.same(
    res.lines.map((l) => l.oid),
    ALL_OIDS.filter((o) => o !== '1.3.6.1.2.1.31.1.1.1.6.1'),
  );
  t.notOk(res.lines.some((l) => /Counter64|No Such|No more variables/.test(`${l.type} ${l.value}`)));
});

t.test('snmpbulkwalk -v2c with 50 repetitions walks the same instances despite the caps', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpbulkwalk', '2c', port, ['-Cr50'], ['1.3.6.1']);
  t.equal(res.code, 0, res.stderr);
  t.same(
    res.lines.filter((l) => !isExceptionLine(l)).map((l) => l.oid),
    ALL_OIDS,
  );
});

t.test('snmpbulkget answers N non-repeaters then M rounds over the repeaters', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpbulkget', '2c', port, ['-Cn1', '-Cr5'], ['1.3.6.1.2.1.1', `${TABLE}.2`, `${TABLE}.2.28`]);
  t.equal(res.code, 0, res.stderr);
  t.same(
    res.lines.map((l) => `${l.oid} ${l.type}`),
    [
      '1.3.6.1.2.1.1.1.0 STRING',
      `${TABLE}.2.1 INTEGER`,
      `${TABLE}.2.29 INTEGER`,
      `${TABLE}.2.2 INTEGER`,
      `${TABLE}.2.30 INTEGER`,
      `${TABLE}.2.3 INTEGER`,
      `${TABLE}.3.1 STRING`,
      `${TABLE}.2.4 INTEGER`,
      `${TABLE}.3.2 STRING`,
      `${TABLE}.2.5 INTEGER`,
      `${TABLE}.3.3 STRING`,
    ],
  );
});

t.test('snmpbulkget -Cn1 -Cr50 stops at the varbind and byte caps with a prefix of the full answer', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpbulkget', '2c', port, ['-Cn1', '-Cr50'], ['1.3.6.1.2.1.1', `${TABLE}.2`]);
  t.equal(res.code, 0, res.stderr);
  // Unbounded, the answer would be sysDescr then 50 successors of TABLE.2: .2.1-.2.30 and .3.1-.3.20.
  const expected = ['1.3.6.1.2.1.1.1.0', ...ALL_OIDS.filter((o) => o.startsWith(`${TABLE}.`)).slice(0, 50)];
  const got = res.lines.map((l) => l.oid);
  t.ok(got.length > 1 && got.length < 48, `trimmed by bytes to ${got.length} varbinds`);
  t.same(got, expected.slice(0, got.length));
});

t.test('snmpget -v1 of a missing object or a Counter64 reports noSuchName', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  for (const oid of ['1.3.6.1.2.1.31.1.1.1.6.1', '1.3.6.1.2.1.1.9.0']) {
    const res = await runSnmpTool('snmpget', '1', port, [], ['1.3.6.1.2.1.1.1.0', oid]);
    t.match(res.stderr, /noSuchName/);
    t.match(res.stderr, new RegExp(`Failed object: \\.?${oid.replaceAll('.', '\\.')}`));
  }
});

t.test('snmpget -v2c answers exceptions per varbind', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpget', '2c', port, [], ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.9.0', '1.3.6.1.2.1.31.1.1.1.6.1']);
  t.equal(res.code, 0, res.stderr);
  t.same(
    res.lines.map((l) => `${l.oid} ${l.type}`),
    ['1.3.6.1.2.1.1.1.0 STRING', '1.3.6.1.2.1.1.9.0 ', '1.3.6.1.2.1.31.1.1.1.6.1 Counter64'],
  );
  t.match(res.lines[1]?.value ?? '', /No Such Object/);
  t.equal(res.lines[2]?.value, String(2n ** 40n));
});

t.test('snmpset is refused: notWritable in v2c, noSuchName in v1', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const v2 = await runSnmpTool('snmpset', '2c', port, [], [`${TABLE}.2.1`, 'i', '5']);
  t.match(v2.stderr, /notWritable/);
  const v1 = await runSnmpTool('snmpset', '1', port, [], [`${TABLE}.2.1`, 'i', '5']);
  t.match(v1.stderr, /noSuchName/);
  const after = await runSnmpTool('snmpget', '2c', port, [], [`${TABLE}.2.1`]);
  t.equal(after.lines[0]?.value, '1', 'value unchanged');
});

t.test('a wrong community gets no answer', async (t) => {
  if (!requireSnmpTools(t)) return;
  const port = await startAgent(t);
  const res = await runSnmpTool('snmpget', '2c', port, ['-t', '0.3', '-r', '0'], ['1.3.6.1.2.1.1.1.0'], 'private');
  t.not(res.code, 0);
  t.match(res.stdout + res.stderr, /Timeout/);
});
