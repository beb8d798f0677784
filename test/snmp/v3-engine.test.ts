// The SNMPv3 engine identity (RFC 3411 §5, RFC 3414 §2.2): engineID stable across restarts, snmpEngineBoots
// persisted and incremented per start, a corrupt state file replaced; and the agent's dispatch of v3 packets.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { SnmpCounters } from '../../src/snmp/counters.js';
import { ENGINE_STATE_FILE, SnmpEngine, loadSnmpEngine, makeEngineId, snmpEngineProviders } from '../../src/snmp/engine-id.js';
import { decodeMessage, encodeMessage } from '../../src/snmp/message.js';
import { createMibTree } from '../../src/snmp/mib.js';
import { V3Counters } from '../../src/snmp/usm-stats.js';
import { PRIV_USER, buildRequest, getPdu, openResponse } from './v3-manager.js';

const log = pino({ level: 'silent' });

t.test('the engineID is 0x80000000|PEN, format 5, then the random octets', async (t) => {
  t.equal(makeEngineId(Buffer.from('0102', 'hex')).toString('hex'), '8001869f050102');
  t.equal(makeEngineId(Buffer.from('ff', 'hex'), 4242).toString('hex'), '80001092' + '05ff');
});

t.test('engineBoots is persisted and incremented on every start while the engineID stays', async (t) => {
  const dir = t.testdir();
  const first = await loadSnmpEngine(dir, log);
  const second = await loadSnmpEngine(dir, log);
  t.equal(first.boots, 1);
  t.equal(second.boots, 2);
  t.same(second.engineId, first.engineId);
  t.equal(first.engineId.length, 13);
  t.equal(first.engineId.subarray(0, 5).toString('hex'), '8001869f05');
  const saved: unknown = JSON.parse(await readFile(join(dir, ENGINE_STATE_FILE), 'utf8'));
  t.match(saved, { boots: 2, engineIdOctets: first.engineId.subarray(5).toString('hex') });
});

t.test('a corrupt or invalid state file starts a new engine and is set aside', async (t) => {
  const dir = t.testdir({ [ENGINE_STATE_FILE]: '{ not json' });
  const engine = await loadSnmpEngine(dir, log);
  t.equal(engine.boots, 1);
  t.ok((await readdir(dir)).some((f) => f.startsWith(`${ENGINE_STATE_FILE}.corrupt-`)));
  await writeFile(join(dir, ENGINE_STATE_FILE), JSON.stringify({ engineIdOctets: 'xyz', boots: -3 }));
  const fresh = await loadSnmpEngine(dir, log);
  t.equal(fresh.boots, 1);
  t.notSame(fresh.engineId, engine.engineId);
});

t.test('engineTime counts whole seconds since the start and the snmpEngine group serves the engine', async (t) => {
  const clock = { ms: 5000 };
  const engine = new SnmpEngine(makeEngineId(Buffer.from('aa', 'hex')), 3, () => clock.ms);
  t.equal(engine.time(), 0);
  clock.ms += 2999;
  t.equal(engine.time(), 2);
  const tree = createMibTree<object>(snmpEngineProviders(engine));
  t.same(tree.get({}, [1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0]), { type: 'integer', value: 3 });
  t.same(tree.get({}, [1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0]), { type: 'integer', value: 2 });
  t.same(tree.get({}, [1, 3, 6, 1, 6, 3, 10, 2, 1, 4, 0]), { type: 'integer', value: 65507 });
});

function agentWith(v3: boolean): { agent: SnmpAgent<object>; counters: SnmpCounters } {
  const engine = new SnmpEngine(makeEngineId(Buffer.from('bb', 'hex')), 1);
  const counters = new SnmpCounters();
  const tree = createMibTree<object>(snmpEngineProviders(engine));
  const agent = new SnmpAgent<object>(tree, () => ({}), {
    port: 0,
    communities: ['public'],
    log,
    counters,
    ...(v3 ? { v3: { engine, users: [PRIV_USER], counters: new V3Counters() } } : {}),
  });
  return { agent, counters };
}

const DISCOVERY = buildRequest({ userName: '', level: 'noAuthNoPriv', engineId: new Uint8Array(0), boots: 0, time: 0, pdu: getPdu(1) });

t.test('the agent answers v3 discovery when users are configured and still serves v2c', async (t) => {
  const { agent, counters } = agentWith(true);
  const report = agent.handlePacket(DISCOVERY);
  t.ok(report);
  t.equal(openResponse(report ?? new Uint8Array(0)).scoped.pdu.type, 'report');
  const v2c = encodeMessage({ version: 1, community: Buffer.from('public'), pdu: getPdu(2, [1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0]) });
  t.same(decodeMessage(agent.handlePacket(v2c) ?? new Uint8Array(0)).pdu.varbinds[0]?.value, { type: 'integer', value: 1 });
  t.equal(counters.get('snmpInPkts'), 2);
});

t.test('without users a v3 message counts as a bad version, as before', async (t) => {
  const { agent, counters } = agentWith(false);
  t.equal(agent.handlePacket(DISCOVERY), undefined);
  t.equal(counters.get('snmpInBadVersions'), 1);
});
