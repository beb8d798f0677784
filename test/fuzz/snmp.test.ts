// Short seeded fuzz run of the SNMP codec (issue 8): Net-SNMP packets captured from snmpget/snmpwalk (v1, v2c, v3)
// and fixtures, mutated and generated; only SnmpDecodeError may escape. `npm run soak` runs it longer.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { formatCrash, formatReport, runFuzz } from './engine.js';
import { snmpSeeds } from './seeds.js';
import { snmpTarget } from './targets/snmp.js';

t.test('the seeds include captured Net-SNMP packets that decode', async (t) => {
  const seeds = snmpSeeds();
  t.ok(seeds.length >= 10, `${seeds.length} seeds`);
  const report = await runFuzz(snmpTarget, seeds, { seed: 1, iterations: seeds.length });
  t.ok(report.accepted >= 10, `${report.accepted} seeds decode`);
});

t.test('20000 mutated and generated SNMP v1/v2c/v3 packets only ever raise SnmpDecodeError', async (t) => {
  const report = await runFuzz(snmpTarget, snmpSeeds(), { seed: 0x5eed_0161, iterations: 20_000 });
  t.comment(formatReport(report));
  t.same(report.crashes.map(formatCrash), [], 'no crashes');
  t.ok(report.accepted > 50 && report.rejected > 500, 'a mix of accepted and rejected inputs');
});

