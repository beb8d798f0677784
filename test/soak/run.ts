// `npm run soak -- --minutes N [--seed S] [--out DIR] [--connections C] [--kills K]`: the long reliability run
// (issue 8). Half the time fuzzes every target (random seed, printed), then the load mix, the kill -9 harness and
// the engine-fault scenarios (about 2 minutes, on top of --minutes);
// prints a summary, writes it as JSON to <out>/summary.json, exits non-zero on any failure.
// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FuzzReport } from '../fuzz/engine.js';
import { formatCrash, formatReport } from '../fuzz/engine.js';
import { randomSeed } from '../fuzz/prng.js';
import { runKillHarness, type KillReport } from '../support/kill-harness.js';
import { formatFaultReport, runFaultPhase } from './fault-phase.js';
import { startServer } from '../support/server.js';
import { runFuzzPhase, saveCrashes } from './fuzz-phase.js';
import { runLoadMix, type LoadReport } from './load-mix.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    seed: { type: 'string' },
    out: { type: 'string' },
    connections: { type: 'string', default: '200' },
    kills: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
const seed = values.seed === undefined ? randomSeed() : Number(values.seed) >>> 0;
const out = values.out ?? join(tmpdir(), `ippbridge-soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(out, { recursive: true });
const totalMs = minutes * 60_000;
const log = (line: string): void => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
log(`seed ${seed} (reproduce with --seed ${seed}), ${minutes} min, output in ${out}`);

// Phase 1: fuzzing, half of the time.
log('fuzzing ipp, raster, snmp (worker threads, coverage-guided) and http (spawned server)');
const fuzz: FuzzReport[] = await runFuzzPhase(seed, Date.now() + totalMs * 0.5);
for (const r of fuzz) log(formatReport(r));
const crashFiles = saveCrashes(out, fuzz);
for (const c of fuzz.flatMap((r) => r.crashes)) log(`CRASH ${formatCrash(c)}`);

// Phase 2: load, 35% of the time.
log(`load mix: ${values.connections} concurrent clients`);
const server = await startServer();
let serverLog = '';
server.proc.stdout?.on('data', (c: Buffer) => (serverLog = (serverLog + c.toString('utf8')).slice(-1 << 20)));
let load: LoadReport;
try {
  load = await runLoadMix(server, { connections: Number(values.connections), durationMs: totalMs * 0.35, seed });
} finally {
  await server.stop();
}
const serverFailures = serverLog.split('\n').filter((line) => /"msg":"request failed"|"level":60/.test(line));
log(`load: ${JSON.stringify(load.requests)}; latency ms ${JSON.stringify(load.latencyMs)}`);

// Phase 3: kill -9, the rest of the time (about 3 s per kill).
const kills = values.kills === undefined ? Math.max(10, Math.round((totalMs * 0.15) / 3000)) : Number(values.kills);
log(`kill -9 harness: ${kills} kills`);
const kill: KillReport = await runKillHarness({ kills, seed });

// Phase 4: engine faults at soak length (a stall past the 60 s client watchdog, vanish, paper-out).
log('engine faults: stall, vanish, paper-out');
const faults = await runFaultPhase();
for (const line of formatFaultReport(faults)) log(line);

const fuzzCrashes = fuzz.reduce((n, r) => n + r.crashes.length, 0);
const failures = [
  ...(fuzzCrashes > 0 ? [`${fuzzCrashes} fuzz crashes (inputs in ${join(out, 'crashes')})`] : []),
  ...load.errors.map((e) => `load: ${e}`),
  ...(load.jobsCompleted !== load.jobsAccepted ? [`load: ${load.jobsAccepted} jobs accepted, ${load.jobsCompleted} printed`] : []),
  ...(load.fdsAfter > load.fdsBefore + 4 ? [`load: fds ${load.fdsBefore} -> ${load.fdsAfter}`] : []),
  ...(load.stillAnswers ? [] : ['load: the printer stopped answering']),
  ...serverFailures.slice(0, 10).map((line) => `server log: ${line.slice(0, 300)}`),
  ...kill.violations.map((v) => `kill: ${v}`),
  ...(kill.lost > 0 || kill.idsRepeated > 0 || kill.corruptFiles > 0 ? [`kill: lost ${kill.lost}, ids repeated ${kill.idsRepeated}, corrupt files ${kill.corruptFiles}`] : []),
  ...faults.failures.map((f) => `faults: ${f}`),
];
const summary = {
  seed,
  minutes,
  fuzz: Object.fromEntries(fuzz.map((r) => [r.target, { inputs: r.inputs, accepted: r.accepted, rejected: r.rejected, crashes: r.crashes.length, corpus: r.corpus, blocks: r.blocks }])),
  inputsTried: fuzz.reduce((n, r) => n + r.inputs, 0),
  crashes: fuzzCrashes,
  crashFiles,
  load: { ...load, serverLogFailures: serverFailures.length },
  kills: { kills: kill.kills, restarts: kill.restarts, survived: kill.violations.length === 0 && kill.lost === 0 ? kill.kills : 0, accepted: kill.accepted, completed: kill.completed, lost: kill.lost, idsRepeated: kill.idsRepeated, corruptFiles: kill.corruptFiles, violations: kill.violations.length },
  jobs: { accepted: load.jobsAccepted + kill.accepted, completed: load.jobsCompleted + kill.completed },
  faults: faults.scenarios,
  peakRssMiB: load.rssPeakMiB,
  fds: { before: load.fdsBefore, after: load.fdsAfter },
  failures,
  ok: failures.length === 0,
};
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

console.log('\n=== ippbridge soak summary ===');
console.log(`seed ${seed}, ${minutes} min`);
for (const r of fuzz) console.log(`fuzz ${r.target}: ${r.inputs} inputs, ${r.crashes.length} crashes, ${r.blocks} blocks, corpus ${r.corpus}`);
console.log(`inputs tried: ${summary.inputsTried}, crashes: ${fuzzCrashes}`);
console.log(`load: ${Object.values(load.requests).reduce((a, b) => a + b, 0)} requests, p50/p95/p99 ${load.latencyMs.p50}/${load.latencyMs.p95}/${load.latencyMs.p99} ms, errors ${load.errors.length}`);
console.log(`kills: ${kill.kills} (${kill.restarts} restarts, ${kill.violations.length} violations), kill jobs accepted ${kill.accepted} completed ${kill.completed} (lost ${kill.lost}, retired ${kill.retired}, aborted-unconfirmed ${kill.abortedLost})`);
console.log(`jobs accepted vs completed (load): ${load.jobsAccepted} / ${load.jobsCompleted}`);
console.log(`server peak RSS ${load.rssPeakMiB} MiB; open fds before/after ${load.fdsBefore}/${load.fdsAfter}`);
console.log(`summary JSON: ${join(out, 'summary.json')}`);
console.log(failures.length === 0 ? 'RESULT: ok' : `RESULT: FAILED\n  ${failures.join('\n  ')}`);
process.exitCode = failures.length === 0 ? 0 : 1;
