// The coverage guidance of the fuzz loop: V8 block coverage finds inputs that reach new decoder blocks.
// The tracker starts before any decoder function runs (V8 only counts blocks of functions compiled after it).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { CoverageTracker } from './coverage.js';
import { runFuzz } from './engine.js';
import { snmpSeeds } from './seeds.js';
import { snmpTarget } from './targets/snmp.js';

const coverage = new CoverageTracker();
t.teardown(() => coverage.close());

t.test('coverage guidance keeps inputs that reach new codec blocks', async (t) => {
  // Few inputs: a coverage take is slow under the test runner's TypeScript loader (the soak runs it at length).
  const seeds = snmpSeeds();
  const report = await runFuzz(snmpTarget, seeds, { seed: 5, iterations: 320, coverage });
  t.ok(report.blocks > 50, `${report.blocks} blocks covered`);
  t.ok(report.corpus > seeds.length, `corpus grew from ${seeds.length} to ${report.corpus}`);
  t.same(report.crashes, [], 'no crashes');
});
