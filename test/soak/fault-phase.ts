// The engine-fault phase of `npm run soak` (issue 8 item 3, long variants): the virtual engine stalls mid-page for
// longer than the server's 60 s client watchdog while a document streams in, vanishes mid-page for a while, and runs
// out of paper mid-job. Each job must complete with every page printed exactly once. Called by test/soak/run.ts.
// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import { getJob } from '../support/kill-harness-checks.js';
import { JOB_STATE, countsList, faultDocument, printSpooled, printStreamed, startFaultRig, until, type FaultRig } from '../support/fault-rig.js';

/** Options of runFaultPhase (all durations in ms). */
export interface FaultPhaseOptions {
  /** how long the engine stalls mid-page (default 70 s: past the 60 s idle watchdog of src/server/http.ts) */
  readonly stallMs?: number;
  /** how long the engine stays vanished mid-page (default 20 s) */
  readonly vanishMs?: number;
  /** how long paper stays out (default 20 s) */
  readonly paperOutMs?: number;
}

/** One scenario's result. */
export interface FaultScenario {
  readonly name: string;
  readonly ok: boolean;
  /** pages printed per page number, or the error */
  readonly detail: string;
  readonly ms: number;
}

/** What the fault phase found; `failures` empty means every scenario passed. */
export interface FaultReport {
  readonly scenarios: readonly FaultScenario[];
  readonly failures: readonly string[];
}

const PAGES = 4;

type Scenario = (r: FaultRig, holdMs: number) => Promise<number[]>;

/** Stall mid-page 2 with the document streaming from the client; the client waits longer than the stall. */
const stall: Scenario = async (r, holdMs) => {
  await r.faults({ 'from-page': 2, stalled: true });
  const doc = faultDocument(PAGES, 11);
  const printing = printStreamed(r.server.uri, doc, 'soak-stall', holdMs + 60_000);
  printing.catch(() => undefined);
  await delay(holdMs);
  const state = (await getJob(r.server.uri, 1))?.state;
  if (state !== JOB_STATE.processing) throw new Error(`job-state ${state ?? 'missing'} after the stall, expected processing`);
  await r.faults({});
  const id = await printing;
  await until('the job to complete', async () => (await getJob(r.server.uri, id))?.state === JOB_STATE.completed, 60_000);
  return countsList(await r.printedPages(id, doc), PAGES);
};

/** Vanish mid-page 2 with a spooled document; the job must wait and then reprint from page 2. */
const vanish: Scenario = async (r, holdMs) => {
  await r.faults({ 'from-page': 2, vanished: true });
  const doc = faultDocument(PAGES, 12);
  const id = await printSpooled(r.server.uri, doc, 'soak-vanish');
  await until('the job to be held', async () => (await getJob(r.server.uri, id))?.state === JOB_STATE.processingStopped);
  await delay(holdMs);
  const state = (await getJob(r.server.uri, id))?.state;
  if (state !== JOB_STATE.processingStopped) throw new Error(`job-state ${state ?? 'missing'} while the engine was away`);
  await r.faults({});
  await until('the job to complete', async () => (await getJob(r.server.uri, id))?.state === JOB_STATE.completed, 60_000);
  return countsList(await r.printedPages(id, doc), PAGES);
};

/** Paper out once page 2 has started, the engine paced so the job stops at the page-3 boundary. */
const paperOut: Scenario = async (r, holdMs) => {
  await r.faults({ 'from-page': 2, 'state-reasons': ['media-empty-error'], 'pace-bytes-per-second': 16_000 });
  const doc = faultDocument(PAGES, 13);
  const printing = printStreamed(r.server.uri, doc, 'soak-paper-out', holdMs + 60_000);
  printing.catch(() => undefined);
  await until('the job to stop', async () => (await getJob(r.server.uri, 1))?.state === JOB_STATE.processingStopped);
  await delay(holdMs);
  await r.faults({});
  const id = await printing;
  await until('the job to complete', async () => (await getJob(r.server.uri, id))?.state === JOB_STATE.completed, 60_000);
  return countsList(await r.printedPages(id, doc), PAGES);
};

async function runScenario(name: string, scenario: Scenario, holdMs: number): Promise<FaultScenario> {
  const started = Date.now();
  let rig: FaultRig | undefined;
  try {
    rig = await startFaultRig();
    const counts = await scenario(rig, holdMs);
    const ok = counts.every((n) => n === 1);
    return { name, ok, detail: `pages printed ${JSON.stringify(counts)}`, ms: Date.now() - started };
  } catch (err) {
    return { name, ok: false, detail: err instanceof Error ? err.message : String(err), ms: Date.now() - started };
  } finally {
    await rig?.server.stop();
  }
}

/** Run the three long fault scenarios one after another (about 2 minutes with the defaults). */
export async function runFaultPhase(opts: FaultPhaseOptions = {}): Promise<FaultReport> {
  const scenarios = [
    await runScenario('stall', stall, opts.stallMs ?? 70_000),
    await runScenario('vanish', vanish, opts.vanishMs ?? 20_000),
    await runScenario('paper-out', paperOut, opts.paperOutMs ?? 20_000),
  ];
  const failures = scenarios.filter((s) => !s.ok).map((s) => `fault ${s.name}: ${s.detail}`);
  return { scenarios, failures };
}

/** One summary line per scenario, for the soak log. */
export function formatFaultReport(report: FaultReport): string[] {
  return report.scenarios.map((s) => `fault ${s.name}: ${s.ok ? 'ok' : 'FAILED'} (${s.detail}, ${(s.ms / 1000).toFixed(1)} s)`);
}
