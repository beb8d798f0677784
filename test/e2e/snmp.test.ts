// End to end: a Printer on the fake engine, its SnmpState and the Printer MIB tree behind SnmpAgent on 127.0.0.1,
// driven by Net-SNMP's real tools (snmp-printer-mib.md §9), plus UDP garbage the agent must survive.
// SPDX-License-Identifier: Apache-2.0
import { createSocket } from 'node:dgram';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import type { EngineStatus, SupplyStatus } from '../../drivers/driver.js';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { SnmpCounters, snmpGroupProviders } from '../../src/snmp/counters.js';
import { decodeMessage, encodeMessage } from '../../src/snmp/message.js';
import { createMibTree, printerMibProviders } from '../../src/snmp/mib.js';
import type { CommunityMessage } from '../../src/snmp/types.js';
import { SnmpState } from '../../src/snmp/view.js';
import type { Printer } from '../../src/printer/printer.js';
import { makeTestPrinter, type FakeEngine } from '../support/fake-engine.js';
import { compareDotted, isExceptionLine, requireSnmpTools, runSnmpTool, type ToolLine } from './snmp-tools.js';

const HR_DEVICE_STATUS_1 = '1.3.6.1.2.1.25.3.2.1.5.1';
const HR_PRINTER_STATUS_1 = '1.3.6.1.2.1.25.3.5.1.1.1';
const HR_PRINTER_ERROR_STATE_1 = '1.3.6.1.2.1.25.3.5.1.2.1';

const SUPPLIES: readonly SupplyStatus[] = [
  { type: 'toner', description: 'Black Toner', color: '#000000', level: 80, lowLevel: 10 },
  { type: 'toner', description: 'Cyan Toner', color: '#00FFFF', level: 40, lowLevel: 10 },
  { type: 'wasteToner', description: 'Waste Toner', color: 'none', level: 20, lowLevel: 90 },
];

interface Setup {
  readonly port: number;
  readonly printer: Printer;
  readonly engine: FakeEngine;
  readonly counters: SnmpCounters;
}

/** Printer + SnmpState + tree (Printer MIB and snmp group) + agent on 127.0.0.1:0, all torn down with `t`. */
async function setup(t: Test): Promise<Setup> {
  const { printer, engine } = await makeTestPrinter(t);
  setStatus(printer, engine, []);
  const state = new SnmpState(printer, {
    sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1],
    firmwareVersion: '0.1.0',
    boardName: 'Fake Printer',
    printerUri: () => 'ipp://127.0.0.1:8631/ipp/print',
  });
  t.teardown(() => state.close());
  const counters = new SnmpCounters();
  const tree = createMibTree([...printerMibProviders(), ...snmpGroupProviders(counters)]);
  const agent = new SnmpAgent(tree, () => state.capture(), {
    port: 0,
    address: '127.0.0.1',
    communities: ['public'],
    log: pino({ level: 'silent' }),
    counters,
  });
  const port = await agent.start();
  t.teardown(() => agent.stop());
  return { port, printer, engine, counters };
}

/** What the engine reports, set both in the fake engine (so the status poll agrees) and in the state model. */
function setStatus(printer: Printer, engine: FakeEngine, reasons: readonly string[]): void {
  const status: EngineStatus = { reasons, supplies: SUPPLIES };
  engine.engineStatus = status;
  printer.state.setEngineStatus(status, new Date());
}

function valued(lines: readonly ToolLine[]): ToolLine[] {
  return lines.filter((l) => !isExceptionLine(l));
}

function isIncreasing(oids: readonly string[]): boolean {
  return oids.every((oid, i) => i === 0 || compareDotted(oids[i - 1] ?? '', oid) < 0);
}

t.test('snmpwalk -v2c walks the whole printer MIB in order and ends at the end of the MIB view', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const res = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1']);
  t.equal(res.code, 0, res.stderr);
  t.notMatch(res.stderr, /not increasing|Error|Timeout/);
  const oids = valued(res.lines).map((l) => l.oid);
  t.ok(oids.length > 50, `${oids.length} instances`);
  t.ok(isIncreasing(oids), 'strictly increasing');
  for (const oid of ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.25.3.2.1.2.1', HR_DEVICE_STATUS_1, HR_PRINTER_ERROR_STATE_1, '1.3.6.1.2.1.43.11.1.1.9.1.1']) {
    t.ok(oids.includes(oid), `walk has ${oid}`);
  }
  t.match(res.lines[res.lines.length - 1]?.value ?? '', /No more variables left in this MIB View/);
});

t.test('snmpwalk -v1 gets every v1 value of the v2c walk and no v2-only value', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const v2 = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1.2.1.25']);
  const v1 = await runSnmpTool('snmpwalk', '1', port, [], ['1.3.6.1.2.1.25']);
  t.equal(v1.code, 0, v1.stderr);
  t.notMatch(v1.stdout, /Counter64|No Such|No more variables/);
  const expected = valued(v2.lines).filter((l) => l.type !== 'Counter64');
  t.same(
    v1.lines.map((l) => `${l.oid} ${l.type}`),
    expected.map((l) => `${l.oid} ${l.type}`),
  );
  const whole = await runSnmpTool('snmpwalk', '1', port, [], ['1.3.6.1']);
  t.equal(whole.code, 0, whole.stderr);
  t.ok(isIncreasing(whole.lines.map((l) => l.oid)));
});

t.test('snmpbulkwalk -v2c returns what snmpwalk returns', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  // Skip the snmp group (1.3.6.1.2.1.11): its counters move with every request of the walk.
  const walk = await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1.2.1.43']);
  for (const reps of ['-Cr10', '-Cr100']) {
    const bulk = await runSnmpTool('snmpbulkwalk', '2c', port, [reps], ['1.3.6.1.2.1.43']);
    t.equal(bulk.code, 0, bulk.stderr);
    t.same(
      valued(bulk.lines).map((l) => `${l.oid} ${l.type} ${l.value}`),
      valued(walk.lines).map((l) => `${l.oid} ${l.type} ${l.value}`),
      reps,
    );
  }
});

t.test('snmpbulkget -Cn1 -Cr50 answers one non-repeater then successors in walk order, capped', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port } = await setup(t);
  const walk = valued((await runSnmpTool('snmpwalk', '2c', port, [], ['1.3.6.1.2.1.43'])).lines).map((l) => l.oid);
  const res = await runSnmpTool('snmpbulkget', '2c', port, ['-Cn1', '-Cr50'], ['1.3.6.1.2.1.1', '1.3.6.1.2.1.43']);
  t.equal(res.code, 0, res.stderr);
  const got = res.lines.map((l) => l.oid);
  const expected = ['1.3.6.1.2.1.1.1.0', ...walk.slice(0, 50)];
  t.ok(got.length > 10 && got.length <= 48, `${got.length} varbinds`);
  t.same(got, expected.slice(0, got.length));
});

async function hostStatus(port: number): Promise<{ device: string; printer: string; errors: string }> {
  const res = await runSnmpTool('snmpget', '2c', port, [], [HR_DEVICE_STATUS_1, HR_PRINTER_STATUS_1, HR_PRINTER_ERROR_STATE_1]);
  const value = (oid: string): string => res.lines.find((l) => l.oid === oid)?.value.trim() ?? `missing (${res.stderr})`;
  return { device: value(HR_DEVICE_STATUS_1), printer: value(HR_PRINTER_STATUS_1), errors: value(HR_PRINTER_ERROR_STATE_1) };
}

t.test('hrDeviceStatus and hrPrinterDetectedErrorState follow the engine status together with IPP reasons', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port, printer, engine } = await setup(t);
  t.same(await hostStatus(port), { device: '2', printer: '3', errors: '00 00' }, 'running, idle, no error bits');

  setStatus(printer, engine, ['media-empty-error']);
  t.ok(printer.statusView().reasons.includes('media-empty-error'));
  t.same(await hostStatus(port), { device: '5', printer: '1', errors: '40 04' }, 'down: noPaper + inputTrayEmpty');

  setStatus(printer, engine, ['cover-open-error']);
  t.ok(printer.statusView().reasons.includes('cover-open-error'));
  t.notOk(printer.statusView().reasons.includes('media-empty-error'));
  t.same(await hostStatus(port), { device: '5', printer: '1', errors: '08 00' }, 'down: doorOpen');

  setStatus(printer, engine, []);
  t.same(printer.statusView().reasons.filter((r) => r !== 'none' && r !== ''), []);
  t.same(await hostStatus(port), { device: '2', printer: '3', errors: '00 00' }, 'cleared');
});

t.test('the snmp group counts what the agent dropped', async (t) => {
  if (!requireSnmpTools(t)) return;
  const { port, counters } = await setup(t);
  await runSnmpTool('snmpget', '2c', port, ['-t', '0.2', '-r', '0'], ['1.3.6.1.2.1.1.1.0'], 'wrong');
  const res = await runSnmpTool('snmpget', '2c', port, [], ['1.3.6.1.2.1.11.4.0', '1.3.6.1.2.1.11.1.0']);
  t.equal(res.lines[0]?.type, 'Counter32');
  t.equal(res.lines[0]?.value, '1', 'snmpInBadCommunityNames');
  t.equal(Number(res.lines[1]?.value), counters.get('snmpInPkts'));
});

function getRequest(requestId: number): Buffer {
  return encodeMessage({
    version: 1,
    community: new TextEncoder().encode('public'),
    pdu: { type: 'get', requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 1, 1, 0], value: { type: 'null' } }] },
  });
}

t.test('the agent keeps answering after garbage and truncated packets over UDP', async (t) => {
  const { port, counters } = await setup(t);
  const client = createSocket('udp4');
  t.teardown(() => client.close());
  // Seeded pseudo-random garbage, every truncation of a good request, and single-byte corruptions of it.
  const good = getRequest(7);
  let seed = 0x1234;
  const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const packets: Buffer[] = [];
  for (let i = 0; i < 50; i++) packets.push(Buffer.from(Array.from({ length: 1 + (random() % 64) }, random)));
  for (let n = 0; n < good.length; n++) packets.push(good.subarray(0, n));
  for (let i = 0; i < good.length; i++) {
    const bad = Buffer.from(good);
    bad[i] = (bad[i] ?? 0) ^ 0xff;
    packets.push(bad);
  }
  // Corruptions that still decode may be answered too: wait for the answer to the probe, request 8.
  const probeAnswer = new Promise<CommunityMessage>((resolve) => {
    client.on('message', (msg: Buffer) => {
      const answer = decodeMessage(msg);
      if (answer.pdu.requestId === 8) resolve(answer);
    });
  });
  for (const p of packets) client.send(p, port, '127.0.0.1');
  client.send(getRequest(8), port, '127.0.0.1');
  const answer = await probeAnswer;
  t.equal(answer.pdu.errorStatus, 0);
  t.equal(answer.pdu.varbinds[0]?.value.type, 'octets');
  t.ok(counters.get('snmpInASNParseErrs') >= good.length, `${counters.get('snmpInASNParseErrs')} parse errors counted`);
});
