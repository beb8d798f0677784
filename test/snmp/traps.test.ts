// printerV2Alert traps: the exact SNMPv2-Trap-PDU, TrapSender over loopback UDP (request-ids, critical only, one
// warning per failing target) and SnmpState.onAlertAdded.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { decodeMessage, encodeMessage } from '../../src/snmp/message.js';
import { printerV2AlertPdu, startTraps, TrapSender } from '../../src/snmp/traps.js';
import type { AlertRow } from '../../src/snmp/alert-table.js';
import type { CommunityMessage } from '../../src/snmp/types.js';
import { SnmpState } from '../../src/snmp/view.js';
import { jsonSinkLogger, makeTestPrinter } from '../support/fake-engine.js';

const CRITICAL: AlertRow = {
  index: 7,
  reason: 'media-empty-error',
  severity: 3,
  training: 3,
  group: 8,
  groupLabel: 'input',
  code: 808,
  description: 'Media empty',
  time: 4321,
};
const WARNING: AlertRow = { ...CRITICAL, index: 8, reason: 'media-low-warning', severity: 4, code: 807 };

/** A UDP receiver on 127.0.0.1 that decodes every datagram; closed at teardown. */
async function receiver(t: Test): Promise<{ socket: Socket; port: number; next(): Promise<CommunityMessage> }> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  t.teardown(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  const queue: CommunityMessage[] = [];
  const waiters: ((m: CommunityMessage) => void)[] = [];
  socket.on('message', (packet: Buffer) => {
    const msg = decodeMessage(packet);
    const waiter = waiters.shift();
    if (waiter) waiter(msg);
    else queue.push(msg);
  });
  const next = (): Promise<CommunityMessage> => {
    const queued = queue.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
  };
  return { socket, port: socket.address().port, next };
}

t.test('the printerV2Alert PDU carries sysUpTime, snmpTrapOID and the six RFC 3805 objects of the row', async (t) => {
  const pdu = printerV2AlertPdu(CRITICAL, 42);
  t.same(pdu, {
    type: 'trapV2',
    requestId: 42,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [
      { oid: [1, 3, 6, 1, 2, 1, 1, 3, 0], value: { type: 'timeticks', value: 4321 } },
      { oid: [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0], value: { type: 'oid', value: [1, 3, 6, 1, 2, 1, 43, 18, 2, 0, 1] } },
      { oid: [1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 1, 1, 7], value: { type: 'integer', value: 7 } },
      { oid: [1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 2, 1, 7], value: { type: 'integer', value: 3 } },
      { oid: [1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 4, 1, 7], value: { type: 'integer', value: 8 } },
      { oid: [1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 5, 1, 7], value: { type: 'integer', value: -1 } },
      { oid: [1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 6, 1, 7], value: { type: 'integer', value: -2 } },
      { oid: [1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 7, 1, 7], value: { type: 'integer', value: 808 } },
    ],
  });
  const bytes = encodeMessage({ version: 1, community: Buffer.from('public'), pdu });
  t.same(decodeMessage(bytes).pdu, pdu, 'encodes as an SNMPv2c message and decodes back');
});

t.test('TrapSender sends critical rows to every target as v2c traps with increasing request-ids', async (t) => {
  const a = await receiver(t);
  const b = await receiver(t);
  const sender = new TrapSender(
    [
      { host: '127.0.0.1', port: a.port, community: 'alpha' },
      { host: '127.0.0.1', port: b.port, community: 'beta' },
    ],
    pino({ level: 'silent' }),
  );
  t.teardown(() => sender.close());
  await sender.alertAdded(CRITICAL);
  await sender.alertAdded(WARNING);
  await sender.alertAdded({ ...CRITICAL, index: 9 });
  const [a1, a2, b1, b2] = [await a.next(), await a.next(), await b.next(), await b.next()];
  t.equal(a1.version, 1);
  t.equal(Buffer.from(a1.community).toString(), 'alpha');
  t.equal(Buffer.from(b1.community).toString(), 'beta');
  t.same(a1.pdu.varbinds, printerV2AlertPdu(CRITICAL, 0).varbinds);
  t.same(
    [a1, a2].map((m) => m.pdu.varbinds[2]?.value),
    [
      { type: 'integer', value: 7 },
      { type: 'integer', value: 9 },
    ],
    'the warning row sent nothing: the second trap is row 9',
  );
  const ids = [a1, b1, a2, b2].map((m) => m.pdu.requestId).sort((x, y) => x - y);
  t.same(ids, [1, 2, 3, 4], 'request-ids count up across targets');
});

t.test('a failing target is warned about once and never throws', async (t) => {
  const { log, lines } = jsonSinkLogger('debug');
  const sender = new TrapSender([{ host: '127.0.0.1', port: 0, community: 'public' }], log);
  t.teardown(() => sender.close());
  await sender.alertAdded(CRITICAL);
  await sender.alertAdded({ ...CRITICAL, index: 8 });
  const failures = lines.filter((l) => l['msg'] === 'SNMP trap not sent');
  t.same(
    failures.map((l) => l['level']),
    [40, 20],
    'warn, then debug',
  );
});

t.test('SnmpState reports added alert rows to subscribers until they unsubscribe', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const state = new SnmpState(printer, {
    sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1],
    firmwareVersion: '0.1.0',
    boardName: 'Fake',
    printerUri: () => 'ipp://127.0.0.1:631/ipp/print',
  });
  t.teardown(() => state.close());
  const added: AlertRow[] = [];
  const off = state.onAlertAdded((row) => added.push(row));
  printer.state.setEngineStatus({ reasons: ['media-empty'], supplies: [] }, new Date());
  printer.state.setEngineStatus({ reasons: [], supplies: [] }, new Date());
  t.equal(added.length, 1, 'one row added; the removal reports nothing');
  t.equal(added[0]?.code, 808);
  t.same(state.capture().alerts, [], 'the row is gone from the table');
  off();
  printer.state.setEngineStatus({ reasons: ['media-empty'], supplies: [] }, new Date());
  t.equal(added.length, 1, 'no report after unsubscribing');
  t.equal(state.capture().alerts.length, 1);
});

t.test('startTraps with no targets subscribes to nothing', async (t) => {
  let subscribed = 0;
  const traps = startTraps({ onAlertAdded: () => (subscribed++, () => undefined) }, [], pino({ level: 'silent' }));
  await traps.close();
  t.equal(subscribed, 0);
});
