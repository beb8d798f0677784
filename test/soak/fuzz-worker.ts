// Worker thread of the soak runner: runs one in-process fuzz target until a deadline with coverage guidance,
// publishing each input in shared memory first so the parent can name the input of a hang or a memory blow-up.
// SPDX-License-Identifier: Apache-2.0
import { parentPort, workerData } from 'node:worker_threads';
import { CoverageTracker } from '../fuzz/coverage.js';
import { runFuzz, type FuzzTarget } from '../fuzz/engine.js';
import { ippSeeds, rasterSeeds, snmpSeeds } from '../fuzz/seeds.js';
import { ippTarget } from '../fuzz/targets/ipp.js';
import { rasterTarget } from '../fuzz/targets/raster.js';
import { snmpTarget } from '../fuzz/targets/snmp.js';

/** What the parent passes. */
export interface FuzzWorkerData {
  readonly target: 'ipp' | 'raster' | 'snmp';
  readonly seed: number;
  readonly deadline: number;
  /** Int32 [0] = input length, then the input bytes from offset 8 */
  readonly current: SharedArrayBuffer;
}

const TARGETS: Record<FuzzWorkerData['target'], [FuzzTarget, () => Uint8Array[]]> = {
  ipp: [ippTarget, ippSeeds],
  raster: [rasterTarget, rasterSeeds],
  snmp: [snmpTarget, snmpSeeds],
};

const data = workerData as FuzzWorkerData;
const [target, seeds] = TARGETS[data.target];
const length = new Int32Array(data.current, 0, 1);
const bytes = new Uint8Array(data.current, 8);
const coverage = new CoverageTracker();
const report = await runFuzz(target, seeds(), {
  seed: data.seed,
  deadline: data.deadline,
  coverage,
  maxRssMiB: 1024,
  beforeInput: (input) => {
    const n = Math.min(input.length, bytes.length);
    bytes.set(input.subarray(0, n));
    Atomics.store(length, 0, n);
  },
});
coverage.close();
parentPort?.postMessage(report);
