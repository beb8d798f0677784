// Short seeded fuzz run of the IPP decoder (issue 8): captured ipptool requests, fixtures and generated messages,
// mutated with coverage guidance; only IppDecodeError may escape. `npm run soak` runs the long variant.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { formatCrash, formatReport, runFuzz } from './engine.js';
import { ippSeeds } from './seeds.js';
import { ippTarget } from './targets/ipp.js';

t.test('the seeds include captured ipptool requests that decode', async (t) => {
  const seeds = ippSeeds();
  t.ok(seeds.length >= 10, `${seeds.length} seeds`);
  const report = await runFuzz(ippTarget, seeds, { seed: 1, iterations: seeds.length });
  t.ok(report.accepted >= 10, `${report.accepted} seeds decode`);
});

t.test('10000 mutated and generated IPP messages only ever raise IppDecodeError', async (t) => {
  const report = await runFuzz(ippTarget, ippSeeds(), { seed: 0x1990_0602, iterations: 10_000 });
  t.comment(formatReport(report));
  t.same(report.crashes.map(formatCrash), [], 'no crashes');
  t.ok(report.accepted > 500 && report.rejected > 2000, 'a mix of accepted and rejected inputs');
});
