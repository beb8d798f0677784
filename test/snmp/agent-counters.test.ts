// Unit tests of the snmp-group counters (RFC 3418) and their providers.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { pino } from 'pino';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { SNMP_COUNTER_OIDS, SnmpCounters, snmpGroupProviders } from '../../src/snmp/counters.js';
import { encodeMessage } from '../../src/snmp/message.js';
import { FakeTree, request } from './agent-fakes.js';

t.test('counters start at zero and count each increment separately', async (t) => {
  const c = new SnmpCounters();
  t.equal(c.get('snmpInPkts'), 0);
  for (let i = 0; i < 3; i++) c.increment('snmpInPkts');
  t.equal(c.get('snmpInPkts'), 3);
  t.equal(c.snapshot().snmpInPkts, 3);
  t.equal(c.snapshot().snmpSilentDrops, 0);
});

t.test('the providers serve the counters an agent shares, live, as Counter32 under 1.3.6.1.2.1.11', async (t) => {
  const counters = new SnmpCounters();
  const agent = new SnmpAgent(new FakeTree([]), () => 1, { port: 0, communities: ['public'], log: pino({ level: 'silent' }), counters });
  t.equal(agent.counters, counters);
  const providers = snmpGroupProviders(counters);
  const bad = { ...request(1, 'get', ['1.3.6.1.2.1.1.1.0']), community: new Uint8Array([0x78]) };
  agent.handlePacket(encodeMessage(bad));
  const byOid = new Map(providers.map((p) => [p.oid.join('.'), p.read({})]));
  t.same(byOid.get(SNMP_COUNTER_OIDS.snmpInPkts.join('.')), { type: 'counter32', value: 1 });
  t.same(byOid.get('1.3.6.1.2.1.11.4'), { type: 'counter32', value: 1 }, 'snmpInBadCommunityNames');
  t.same(byOid.get('1.3.6.1.2.1.11.30'), { type: 'integer', value: 2 }, 'snmpEnableAuthenTraps disabled');
  t.equal(providers.length, Object.keys(SNMP_COUNTER_OIDS).length + 1);
});
