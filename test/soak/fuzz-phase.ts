// Soak fuzz phase: the in-process targets in worker threads (bounded heap, hang watchdog) and the HTTP target
// against a spawned server, all until one deadline; crash inputs are written to <out>/crashes/<target>/.
// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { inputId, runFuzz, type Crash, type FuzzReport } from '../fuzz/engine.js';
import { httpSeeds, ippSeeds } from '../fuzz/seeds.js';
import { httpTarget, printerAnswers } from '../fuzz/targets/http.js';
import { startServer } from '../support/server.js';
import type { FuzzWorkerData } from './fuzz-worker.js';

const CURRENT_BYTES = 1 << 20;
/** Grace after the deadline before a silent worker counts as hung. */
const GRACE_MS = 30_000;

function workerCrash(target: string, seed: number, kind: Crash['kind'], message: string, current: SharedArrayBuffer): FuzzReport {
  const n = Atomics.load(new Int32Array(current, 0, 1), 0);
  const input = new Uint8Array(current, 8, n).slice();
  return { target, seed, inputs: 0, accepted: 0, rejected: 0, crashes: [{ target, kind, message, input, runSeed: -1 }], corpus: 0, blocks: 0, peakRssMiB: 0 };
}

/** One target in a worker; resolves with its report, or a crash report when the worker dies or hangs. */
function fuzzInWorker(target: FuzzWorkerData['target'], seed: number, deadline: number): Promise<FuzzReport> {
  const current = new SharedArrayBuffer(8 + CURRENT_BYTES);
  const workerData: FuzzWorkerData = { target, seed, deadline, current };
  const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData, resourceLimits: { maxOldGenerationSizeMb: 768 } });
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (report: FuzzReport): void => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(watchdog);
      void worker.terminate();
      resolve(report);
    };
    const watchdog = setTimeout(
      () => settle(workerCrash(target, seed, 'hang', `worker still busy ${GRACE_MS} ms after the deadline`, current)),
      deadline - Date.now() + GRACE_MS,
    );
    worker.once('message', (report: FuzzReport) => settle(report));
    worker.once('error', (err) => {
      const isMemory = (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(workerCrash(target, seed, isMemory ? 'memory' : 'exception', `worker died: ${String(err)}`, current));
    });
    worker.once('exit', (code) => settle(workerCrash(target, seed, 'exception', `worker exited with code ${code} without a report`, current)));
  });
}

async function fuzzHttp(seed: number, deadline: number): Promise<FuzzReport> {
  const server = await startServer();
  try {
    const report = await runFuzz(httpTarget(server, ippSeeds()), httpSeeds(), { seed, deadline, inputTimeoutMs: 15_000 });
    if (await printerAnswers(server)) return report;
    const crash: Crash = { target: 'http', kind: 'exception', message: 'the printer stopped answering at the end', input: new Uint8Array(0), runSeed: -1 };
    return { ...report, crashes: [...report.crashes, crash] };
  } finally {
    await server.stop();
  }
}

/** Save each crash input (and a line saying why) under `dir`; returns the paths. */
export function saveCrashes(dir: string, reports: readonly FuzzReport[]): string[] {
  const paths: string[] = [];
  for (const crash of reports.flatMap((r) => r.crashes)) {
    const folder = join(dir, 'crashes', crash.target);
    mkdirSync(folder, { recursive: true });
    const base = join(folder, inputId(crash.input));
    writeFileSync(`${base}.bin`, crash.input);
    writeFileSync(`${base}.txt`, `${crash.kind} (run seed ${crash.runSeed}): ${crash.message}\n`);
    paths.push(`${base}.bin`);
  }
  return paths;
}

/** Fuzz every target until `deadline`; seeds are `seed`, `seed + 1`, … in target order ipp, raster, snmp, http. */
export async function runFuzzPhase(seed: number, deadline: number): Promise<FuzzReport[]> {
  return Promise.all([
    fuzzInWorker('ipp', seed, deadline),
    fuzzInWorker('raster', seed + 1, deadline),
    fuzzInWorker('snmp', seed + 2, deadline),
    fuzzHttp(seed + 3, deadline),
  ]);
}
