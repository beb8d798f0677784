// Unit tests of SnmpAgent with the real codec: community check, counters (RFC 3418), logging, and the UDP socket.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { decodeMessage, encodeMessage } from '../../src/snmp/message.js';
import { ErrorStatus, type CommunityMessage } from '../../src/snmp/types.js';
import { jsonSinkLogger } from '../support/fake-engine.js';
import { FakeTree, int, request, str } from './agent-fakes.js';

const SILENT = pino({ level: 'silent' });

function tree(): FakeTree {
  return new FakeTree([
    ['1.3.6.1.2.1.1.1.0', str('ippbridge')],
    ['1.3.6.1.2.1.1.7.0', int(72)],
    ['1.3.6.1.2.1.1.9.0', () => {
      throw new Error('broken provider');
    }],
  ]);
}

function agent(communities: readonly string[] = ['public'], log = SILENT): SnmpAgent<number> {
  return new SnmpAgent(tree(), () => 1, { port: 0, address: '127.0.0.1', communities, log });
}

function withCommunity(msg: CommunityMessage, community: string): CommunityMessage {
  return { ...msg, community: new TextEncoder().encode(community) };
}

function answer(a: SnmpAgent<number>, msg: CommunityMessage): CommunityMessage | undefined {
  const bytes = a.handlePacket(encodeMessage(msg));
  return bytes === undefined ? undefined : decodeMessage(bytes);
}

t.test('a request with a configured community is answered and counted in snmpInPkts', async (t) => {
  const a = agent(['private', 'public']);
  const res = answer(a, request(1, 'get', ['1.3.6.1.2.1.1.7.0']));
  t.equal(res?.pdu.errorStatus, ErrorStatus.noError);
  t.same(res?.pdu.varbinds[0]?.value, { type: 'integer', value: 72 });
  t.equal(a.counters.get('snmpInPkts'), 1);
});

t.test('an unknown community is dropped without a response and counted', async (t) => {
  const a = agent();
  t.equal(answer(a, withCommunity(request(1, 'get', ['1.3.6.1.2.1.1.7.0']), 'publi')), undefined);
  t.equal(answer(a, withCommunity(request(0, 'get', ['1.3.6.1.2.1.1.7.0']), 'Public')), undefined);
  t.equal(a.counters.get('snmpInBadCommunityNames'), 2);
  t.equal(a.counters.get('snmpInPkts'), 2);
});

t.test('an empty community list disables v1 and v2c', async (t) => {
  const a = agent([]);
  t.equal(answer(a, request(1, 'get', ['1.3.6.1.2.1.1.7.0'])), undefined);
  t.equal(a.counters.get('snmpInBadCommunityNames'), 1);
});

t.test('a SET is refused and counted as a bad community use', async (t) => {
  const a = agent();
  const res = answer(a, request(1, 'set', ['1.3.6.1.2.1.1.7.0']));
  t.equal(res?.pdu.errorStatus, ErrorStatus.notWritable);
  t.equal(a.counters.get('snmpInBadCommunityUses'), 1);
});

t.test('an unsupported version is dropped and counted in snmpInBadVersions', async (t) => {
  const a = agent();
  const bytes = Buffer.from(encodeMessage(request(1, 'get', ['1.3.6.1.2.1.1.7.0'])));
  t.equal(bytes[4], 1, 'version octet');
  bytes[4] = 3;
  t.equal(a.handlePacket(bytes), undefined);
  t.equal(a.counters.get('snmpInBadVersions'), 1);
  t.equal(a.counters.get('snmpInASNParseErrs'), 0);
});

t.test('a v1 GetBulk is dropped as a parse error', async (t) => {
  const a = agent();
  const bytes = Buffer.from(encodeMessage(request(1, 'getBulk', ['1.3.6.1'], 0, 10)));
  bytes[4] = 0;
  t.equal(a.handlePacket(bytes), undefined);
  t.equal(a.counters.get('snmpInASNParseErrs'), 1);
});

t.test('garbage and truncated messages are dropped and counted in snmpInASNParseErrs', async (t) => {
  const a = agent();
  const good = encodeMessage(request(1, 'get', ['1.3.6.1.2.1.1.7.0']));
  const packets = [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from('hello world'), ...[1, 5, 10, good.length - 1].map((n) => good.subarray(0, n))];
  for (const p of packets) t.equal(a.handlePacket(p), undefined);
  t.equal(a.counters.get('snmpInASNParseErrs'), packets.length);
  t.ok(a.handlePacket(good), 'still answers');
});

t.test('a provider failure answers genErr and logs once at warn', async (t) => {
  const { log, lines } = jsonSinkLogger('debug');
  const a = agent(['public'], log);
  for (let i = 0; i < 3; i++) {
    const res = answer(a, request(1, 'get', ['1.3.6.1.2.1.1.9.0']));
    t.equal(res?.pdu.errorStatus, ErrorStatus.genErr);
    t.equal(res?.pdu.errorIndex, 1);
  }
  const failures = lines.filter((l) => l['msg'] === 'SNMP request failed with genErr');
  t.same(failures.map((l) => l['level']), [40, 20, 20], 'warn once, then debug');
  t.equal(failures[0]?.['mod'], 'snmp');
});

/** Send `packet` from a fresh client socket and resolve with the first reply. */
async function exchange(t: Test, port: number, packet: Uint8Array): Promise<Buffer> {
  const client: Socket = createSocket('udp4');
  t.teardown(() => client.close());
  const reply = once(client, 'message');
  client.send(packet, port, '127.0.0.1');
  const [msg] = (await reply) as [Buffer];
  return msg;
}

t.test('the UDP agent answers the sender and keeps answering after garbage', async (t) => {
  const a = agent();
  const port = await a.start();
  t.teardown(() => a.stop());
  t.ok(port > 0);
  const junk = createSocket('udp4');
  t.teardown(() => junk.close());
  for (const p of [Buffer.from([0x30, 0x82, 0xff]), Buffer.from('x'), Buffer.alloc(0)]) junk.send(p, port, '127.0.0.1');
  const res = decodeMessage(await exchange(t, port, encodeMessage(request(0, 'get', ['1.3.6.1.2.1.1.1.0']))));
  t.equal(res.version, 0);
  t.equal(res.pdu.requestId, 42);
  t.same(res.pdu.varbinds[0]?.value, str('ippbridge'));
  t.equal(await a.start(), port, 'start() again reports the same port');
});

t.test('stop() closes the socket and may be called twice', async (t) => {
  const a = agent();
  const port = await a.start();
  await a.stop();
  await a.stop();
  const probe = createSocket('udp4');
  t.teardown(() => probe.close());
  probe.bind(port, '127.0.0.1');
  await once(probe, 'listening');
  t.equal(probe.address().port, port, 'the port is free again');
});
