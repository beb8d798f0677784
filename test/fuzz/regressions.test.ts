// Replays every crash input the fuzzers ever found (test/fixtures/fuzz-seeds/regressions/<target>/*.bin) through
// the in-process targets, under many run seeds (chunk splits, formats): each must now pass the oracle.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { FuzzTarget } from './engine.js';
import { Rng } from './prng.js';
import { readSeedFiles } from './seeds.js';
import { ippTarget } from './targets/ipp.js';
import { rasterTarget } from './targets/raster.js';
import { snmpTarget } from './targets/snmp.js';

const RUN_SEEDS = 32;

for (const target of [ippTarget, rasterTarget, snmpTarget] satisfies FuzzTarget[]) {
  t.test(`every saved ${target.name} crash input now passes the oracle`, async (t) => {
    const inputs = readSeedFiles(`regressions/${target.name}`);
    const failures: string[] = [];
    for (const [i, input] of inputs.entries()) {
      for (let seed = 0; seed < RUN_SEEDS; seed++) {
        try {
          await target.run(input, new Rng(seed));
        } catch (err) {
          if (!target.isExpected(err)) failures.push(`input ${i}, run seed ${seed}: ${String(err)}`);
        }
      }
    }
    t.same(failures, [], `${inputs.length} inputs x ${RUN_SEEDS} run seeds`);
  });
}
