// Issue 6 bench: cold start to "ready" (listening and advertised with DNS-SD) and RSS idle, per board file, with the
// board's Node heap cap, in a private network namespace (multicast stays inside it). First boot (empty state dir:
// UUID, TLS key, admin password) and restart (same state dir) are measured separately.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { heapCapMb } from '../../src/firmware/board-hardware.js';
import { canCreateNetns } from '../support/netns.js';
import { repoRoot, serverMain } from '../support/server.js';
import { median, rssOf } from './proc-stats.js';

/** How long a start may take before the run counts as failed. */
const START_TIMEOUT_MS = 30_000;
/** Idle time before RSS is read. */
const IDLE_MS = 2000;

interface StartSample {
  readonly readyMs: number;
  readonly rssKiB: number;
}

/** One start of the built server for `board`; resolves after the ready line and the idle RSS reading. */
async function startOnce(board: string, stateDir: string, heapMb: number): Promise<StartSample> {
  const script = [
    'ip link set lo up',
    'ip link set lo multicast on',
    'ip route add 224.0.0.0/4 dev lo',
    `exec node --max-old-space-size=${heapMb} ${serverMain()} serve --board ${board} --port 0 --snmp-port 0 --state-dir ${stateDir} --log-level warn`,
  ].join('; ');
  const started = performance.now();
  const proc = spawn('unshare', ['-n', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot() });
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no ready line within ${START_TIMEOUT_MS} ms: ${out.slice(-300)}`)), START_TIMEOUT_MS);
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('ippbridge ready:')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before ready: ${out.slice(-300)}`));
      });
    });
    await delay(IDLE_MS);
    return { readyMs, rssKiB: rssOf(proc.pid).rssKiB };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode === null ? proc.once('exit', r) : r(undefined)));
  }
}

/** Median cold-start and idle RSS per board file that has a `board` section. */
export async function firmwareBench(opts: { runs: number }): Promise<Record<string, unknown>> {
  if (!canCreateNetns()) return { error: 'cannot create a network namespace (needs root or user namespaces)' };
  const dir = join(repoRoot(), 'board-configs');
  const result: Record<string, unknown> = {};
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort()) {
    const doc = JSON.parse(await readFile(join(dir, file), 'utf8')) as { board?: { 'memory-budget-mb'?: number } };
    const budget = doc.board?.['memory-budget-mb'];
    if (budget === undefined) continue;
    const heapMb = heapCapMb(budget);
    const first: StartSample[] = [];
    const again: StartSample[] = [];
    try {
      for (let i = 0; i < opts.runs; i++) {
        const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-coldstart-'));
        try {
          first.push(await startOnce(join(dir, file), stateDir, heapMb));
          again.push(await startOnce(join(dir, file), stateDir, heapMb));
        } finally {
          await rm(stateDir, { recursive: true, force: true });
        }
      }
      result[file] = {
        memoryBudgetMb: budget,
        heapCapMb: heapMb,
        firstBootReadyMs: Math.round(median(first.map((s) => s.readyMs))),
        restartReadyMs: Math.round(median(again.map((s) => s.readyMs))),
        rssIdleMiB: Math.round(median(again.map((s) => s.rssKiB)) / 102.4) / 10,
        runs: opts.runs,
      };
    } catch (err) {
      result[file] = { error: String(err) };
    }
  }
  return result;
}
