// The kill -9 harness (issue 8 item 2): clients submit jobs (Print-Job, Create-Job + Send-Document) to the built
// server while it is SIGKILLed at seeded random moments (also during start-up recovery); after every restart on the
// same state dir it checks that accepted jobs still exist, ids never repeat and no state file is damaged.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MAX_COMPLETED_JOBS } from '../../src/job/queue.js';
import { encodePwgRasterStream, seededRandom, type StreamPage } from './raster-writer.js';
import { cleanEnv, serverMain, startServer, type RunningServer } from './server.js';
import { createJob, getAllJobs, getJob, printerReasons, printJob, scanStateDir, sendDocument, type JobView } from './kill-harness-checks.js';

/** Options of one harness run. */
export interface KillHarnessOptions {
  /** how many SIGKILLs (cycles) */
  readonly kills: number;
  readonly seed?: number;
  /** concurrent clients (default 4) */
  readonly clients?: number;
  /** virtual engine pace, bytes per second (default 400 000), so jobs are mid-print when killed */
  readonly paceBytesPerSecond?: number;
  /** a kill comes this many ms after the server is ready: uniform in [min, max] (default 30..700) */
  readonly runMs?: readonly [number, number];
  /** share of kills aimed at start-up (recovery) instead of a running server (default 0.2) */
  readonly startupKillShare?: number;
  /** how long the final phase may take to let every job finish (default 45 s) */
  readonly finalTimeoutMs?: number;
  /** use this state dir (kept); default a temporary one, removed at the end */
  readonly stateDir?: string;
  /** progress lines */
  readonly log?: (line: string) => void;
}

/** What a harness run saw. A correct server has idsRepeated, corruptFiles, lost, violations 0 / empty. */
export interface KillReport {
  readonly kills: number;
  /** kills that hit the server while it was starting (recovering) */
  readonly startupKills: number;
  readonly restarts: number;
  /** job-creating requests sent */
  readonly submitted: number;
  /** jobs that got a successful Print-Job or Create-Job response */
  readonly accepted: number;
  /** accepted jobs whose document was confirmed (Print-Job, or Send-Document answered successful) */
  readonly documentsConfirmed: number;
  readonly completed: number;
  /** Create-Job jobs whose document never got a successful answer and that were aborted (documented, honest) */
  readonly abortedLost: number;
  /** jobs that ended unseen and were dropped by retention (MAX_COMPLETED_JOBS newer jobs ended since) */
  readonly retired: number;
  /** Send-Document retried after a restart for Create-Job jobs still waiting for their document */
  readonly resent: number;
  /** accepted jobs seen unfinished right after a restart (so cut off by the kill) that completed later */
  readonly survivedKill: number;
  /** requests refused with an IPP error (e.g. server-error-busy) */
  readonly refused: number;
  readonly idsRepeated: number;
  readonly corruptFiles: number;
  /** files the server moved aside at start (should be 0: nothing is ever torn) */
  readonly quarantinedFiles: number;
  /** accepted jobs that vanished */
  readonly lost: number;
  /** accepted jobs still unfinished when the final phase timed out */
  readonly unfinished: number;
  /** every broken rule, one line each */
  readonly violations: readonly string[];
  readonly durationMs: number;
}

interface Tracked {
  readonly id: number;
  readonly kind: 'print' | 'create';
  readonly doc: Uint8Array;
  uuid: string | undefined;
  docConfirmed: boolean;
  final: 'completed' | 'aborted-lost' | 'gone' | 'retired' | undefined;
  killedWhileOpen: boolean;
}

const STATE = { pending: 3, held: 4, processing: 5, stopped: 6, canceled: 7, aborted: 8, completed: 9 } as const;

/** A few PWG raster documents of random (incompressible) gray pixels, 1 to 3 pages of 12-29 KB. */
function documents(seed: number): Uint8Array[] {
  const rnd = seededRandom(seed);
  return [1, 2, 1, 3, 1, 2].map((pages, i) => {
    const width = 120 + i * 24;
    const height = 100;
    const stream: StreamPage[] = Array.from({ length: pages }, () => ({
      page: { width, height, type: 'sgray_8', xDpi: 150, yDpi: 150, pageSizeName: 'na_letter_8.5x11in' },
      row: () => Uint8Array.from({ length: width }, () => Math.floor(rnd() * 256)),
    }));
    return Buffer.concat([...encodePwgRasterStream(stream)]);
  });
}

/** Spawn the server and SIGKILL it `ms` later, before or while it starts (recovery). */
async function killDuringStartup(stateDir: string, ms: number): Promise<void> {
  const args = [serverMain(), 'serve', '--listen', '127.0.0.1', '--port', '0', '--no-dnssd', '--snmp-port', '0', '--state-dir', stateDir, '--log-level', 'warn'];
  const proc = spawn(process.execPath, args, { stdio: 'ignore', env: cleanEnv() });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await delay(ms);
  proc.kill('SIGKILL');
  await exited;
}

/** Run the harness; resolves with the report (never throws for a broken rule: those are in `violations`). */
export async function runKillHarness(opts: KillHarnessOptions): Promise<KillReport> {
  const started = Date.now();
  const seed = opts.seed ?? 1;
  const rnd = seededRandom(seed);
  const log = opts.log ?? ((): void => undefined);
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'ippbridge-kill9-')));
  await writeFile(join(stateDir, 'virtual-engine.json'), JSON.stringify({ 'pace-bytes-per-second': opts.paceBytesPerSecond ?? 400_000 }));
  const docs = documents(seed);
  const [minRun, maxRun] = opts.runMs ?? [30, 700];
  const jobs = new Map<number, Tracked>();
  const uuids = new Map<number, string>();
  const violations: string[] = [];
  const c = { kills: 0, startupKills: 0, restarts: 0, submitted: 0, refused: 0, resent: 0, idsRepeated: 0, corrupt: 0, quarantined: new Set<string>() };
  const violate = (line: string): void => {
    violations.push(line);
    log(`VIOLATION ${line}`);
  };

  const track = (id: number, kind: Tracked['kind'], doc: Uint8Array, docConfirmed: boolean): Tracked => {
    if (jobs.has(id)) {
      c.idsRepeated++;
      violate(`job-id ${id} was handed out twice`);
    }
    const job: Tracked = { id, kind, doc, uuid: undefined, docConfirmed, final: undefined, killedWhileOpen: false };
    jobs.set(id, job);
    return job;
  };

  /** Poll a job until it ends (or `stop`), judging what the printer says. */
  const follow = async (server: RunningServer, job: Tracked, stop: { now: boolean }): Promise<void> => {
    while (!stop.now && job.final === undefined) {
      judge(job, await getJob(server.uri, job.id), 'running');
      if (job.final === undefined) await delay(40);
    }
  };

  /**
   * One client: submit a job, follow it until it ends, repeat until `stop`; connection errors (the kill) end the
   * current request. Four clients keep the engine busy with one streamed and a few spooled jobs at a time.
   */
  const client = async (server: RunningServer, stop: { now: boolean }, n: number): Promise<void> => {
    while (!stop.now) {
      const doc = docs[Math.floor(rnd() * docs.length)] ?? new Uint8Array();
      const usePrintJob = rnd() < 0.5;
      c.submitted++;
      try {
        if (usePrintJob) {
          const res = await printJob(server.uri, doc, `kill9-p${n}`);
          if (res.id === undefined) c.refused++;
          else await follow(server, track(res.id, 'print', doc, true), stop);
        } else {
          const res = await createJob(server.uri, `kill9-c${n}`);
          if (res.id === undefined) {
            c.refused++;
            continue;
          }
          const job = track(res.id, 'create', doc, false);
          if (stop.now) return;
          const status = await sendDocument(server.uri, job.id, doc);
          if (status.startsWith('successful')) job.docConfirmed = true;
          else c.refused++;
          await follow(server, job, stop);
        }
      } catch {
        if (!stop.now) await delay(20);
      }
    }
  };

  /** After a (re)start: the printer answers, ids map to one uuid, accepted jobs exist in an allowed state. */
  const check = async (server: RunningServer, where: string): Promise<void> => {
    try {
      await printerReasons(server.uri);
    } catch (err) {
      violate(`${where}: the printer does not answer (${String(err)})`);
      return;
    }
    const listed = await getAllJobs(server.uri);
    for (const view of listed) {
      const known = uuids.get(view.id);
      if (view.uuid !== undefined && known !== undefined && known !== view.uuid) {
        c.idsRepeated++;
        violate(`${where}: job-id ${view.id} now names another job (${known} -> ${view.uuid})`);
      }
      if (view.uuid !== undefined) uuids.set(view.id, view.uuid);
    }
    for (const job of jobs.values()) {
      if (job.final !== undefined) continue;
      const view = await getJob(server.uri, job.id);
      // Retention (MAX_COMPLETED_JOBS) may drop a job that ended unseen when that many newer jobs ended since.
      const newerEnded = listed.filter((v) => v.id > job.id && v.state >= STATE.canceled).length;
      if (view === undefined && newerEnded >= MAX_COMPLETED_JOBS) {
        job.final = 'retired';
        continue;
      }
      judge(job, view, where);
    }
  };

  const judge = (job: Tracked, view: JobView | undefined, where: string): void => {
    if (view === undefined) {
      job.final = 'gone';
      violate(`${where}: accepted job ${job.id} (${job.kind}) is gone`);
      return;
    }
    job.uuid ??= view.uuid;
    if (where.startsWith('restart') && view.state < STATE.canceled) job.killedWhileOpen = true;
    if (view.state === STATE.completed) job.final = 'completed';
    else if (view.state === STATE.aborted || view.state === STATE.canceled) {
      job.final = 'aborted-lost';
      const documented = view.state === STATE.aborted && view.reasons.includes('aborted-by-system') && view.message !== '';
      if (job.docConfirmed || !documented) {
        violate(`${where}: job ${job.id} (${job.kind}, document ${job.docConfirmed ? 'confirmed' : 'unconfirmed'}) ended in state ${view.state} ${view.reasons.join(',')} "${view.message}"`);
      }
    }
  };

  const scan = async (where: string): Promise<void> => {
    const found = await scanStateDir(stateDir);
    for (const f of found.corrupt) violate(`${where}: damaged state file ${f}`);
    c.corrupt += found.corrupt.length;
    for (const q of found.quarantined) {
      if (!c.quarantined.has(q)) violate(`${where}: the server moved ${q} aside`);
      c.quarantined.add(q);
    }
  };

  try {
    for (let cycle = 1; cycle <= opts.kills; cycle++) {
      if (rnd() < (opts.startupKillShare ?? 0.2)) {
        await killDuringStartup(stateDir, 20 + rnd() * 400);
        c.kills++;
        c.startupKills++;
        await scan(`after start-up kill ${cycle}`);
        continue;
      }
      const server = await startServer({ stateDir });
      c.restarts++;
      await check(server, `restart ${c.restarts}`);
      const stop = { now: false };
      const clients = Array.from({ length: opts.clients ?? 4 }, (_, n) => client(server, stop, n));
      await delay(minRun + rnd() * (maxRun - minRun));
      stop.now = true;
      await server.kill9();
      c.kills++;
      await Promise.all(clients);
      await scan(`after kill ${cycle}`);
      log(`kill ${cycle}: accepted ${jobs.size}, open ${[...jobs.values()].filter((j) => j.final === undefined).length}`);
    }
    // Final phase: a client retries Send-Document for its jobs still waiting, then everything may finish.
    const server = await startServer({ stateDir });
    c.restarts++;
    try {
      await check(server, 'final restart');
      for (const job of jobs.values()) {
        if (job.final !== undefined || job.docConfirmed) continue;
        const status = await sendDocument(server.uri, job.id, job.doc).catch(() => 'no answer');
        c.resent++;
        if (status.startsWith('successful')) job.docConfirmed = true;
      }
      const deadline = Date.now() + (opts.finalTimeoutMs ?? 45_000);
      while ([...jobs.values()].some((j) => j.final === undefined) && Date.now() < deadline) {
        await delay(250);
        await check(server, 'final phase');
      }
    } finally {
      await server.stop();
    }
    await scan('end');
  } finally {
    if (opts.stateDir === undefined) await rm(stateDir, { recursive: true, force: true });
  }
  const all = [...jobs.values()];
  const unfinished = all.filter((j) => j.final === undefined);
  for (const j of unfinished) violate(`job ${j.id} (${j.kind}) did not finish`);
  return {
    kills: c.kills,
    startupKills: c.startupKills,
    restarts: c.restarts,
    submitted: c.submitted,
    accepted: all.length,
    documentsConfirmed: all.filter((j) => j.docConfirmed).length,
    completed: all.filter((j) => j.final === 'completed').length,
    abortedLost: all.filter((j) => j.final === 'aborted-lost').length,
    retired: all.filter((j) => j.final === 'retired').length,
    resent: c.resent,
    survivedKill: all.filter((j) => j.killedWhileOpen && j.final === 'completed').length,
    refused: c.refused,
    idsRepeated: c.idsRepeated,
    corruptFiles: c.corrupt,
    quarantinedFiles: c.quarantined.size,
    lost: all.filter((j) => j.final === 'gone').length,
    unfinished: unfinished.length,
    violations,
    durationMs: Date.now() - started,
  };
}
