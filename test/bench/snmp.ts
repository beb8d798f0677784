// SNMP benchmark (issue #5): v2c GET requests/s of 5 varbinds from 1 and 8 UDP clients, GETNEXT and GETBULK walks of
// the whole tree, RSS added by the agent (a --no-snmp twin beside it), and Net-SNMP's C snmpd measured the same way;
// SNMPv3 authPriv GET rates of both agents (snmp-v3.ts).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Oid } from '../../src/snmp/types.js';
import { startServer, type RunningServer } from '../support/server.js';
import { median, round, rssOf } from './proc-stats.js';
import { probe, runGetLoad, walk, type WalkResult } from './snmp-client.js';
import { startPlainServer, type Stoppable } from './plain-server.js';
import { SNMPD, SNMPD_MODULES, startSnmpd, type ReferenceAgent } from './snmpd-reference.js';
import { V3_REQUEST, snmpdV3Config, v3Compare, v3CpuRatios, writeV3Board, type V3Agent } from './snmp-v3.js';

/** Options of {@link snmpBench}. */
export interface SnmpBenchOptions {
  /** seconds per GET load run */
  readonly seconds: number;
  /** GET load runs per figure (the median is reported) */
  readonly repeat: number;
  /** walks per kind (the median time is reported) */
  readonly walks: number;
  /** registers a child process the caller's watchdog kills; returns its unregister function */
  readonly track: (child: { readonly proc: ChildProcess }) => () => void;
}


const COMMUNITY = 'public';
/** Longest time spent walking per agent and kind, whatever `walks` says. */
const WALK_BUDGET_MS = 10_000;
/** Untimed load per OID set before an agent's first timed run. */
const WARM_UP_MS = 1000;
/** Idle time after the last load before the settled RSS reading (V8 gives unused heap back by then). */
const SETTLE_MS = 15_000;

/** The five printer objects a monitoring tool polls (HOST-RESOURCES-MIB, Printer-MIB). */
const PRINTER_OIDS: Readonly<Record<string, Oid>> = {
  'sysUpTime.0': [1, 3, 6, 1, 2, 1, 1, 3, 0],
  'hrDeviceStatus.1': [1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 5, 1],
  'hrPrinterStatus.1': [1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 1, 1],
  'hrPrinterDetectedErrorState.1': [1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1],
  'prtMarkerSuppliesLevel.1.1': [1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1],
};

/** Five scalars both agents serve (SNMPv2-MIB system and snmp groups): the same request to each. */
const COMMON_OIDS: Readonly<Record<string, Oid>> = {
  'sysDescr.0': [1, 3, 6, 1, 2, 1, 1, 1, 0],
  'sysObjectID.0': [1, 3, 6, 1, 2, 1, 1, 2, 0],
  'sysUpTime.0': [1, 3, 6, 1, 2, 1, 1, 3, 0],
  'sysName.0': [1, 3, 6, 1, 2, 1, 1, 5, 0],
  'snmpInPkts.0': [1, 3, 6, 1, 2, 1, 11, 1, 0],
};

/** Median GET requests/s of `repeat` runs, with error counts and the agent's peak RSS while loaded. */
async function getRate(port: number, oids: readonly Oid[], clients: number, opts: SnmpBenchOptions, pid: number | undefined) {
  const runs: number[] = [];
  let badResponses = 0;
  let resends = 0;
  let lost = 0;
  let maxRssKiB = 0;
  const sampler = setInterval(() => (maxRssKiB = Math.max(maxRssKiB, rssOf(pid).rssKiB)), 250);
  try {
    for (let i = 0; i < opts.repeat; i++) {
      const r = await runGetLoad({ port, community: COMMUNITY, oids, clients, durationMs: opts.seconds * 1000 });
      runs.push(round(r.requestsPerSecond));
      badResponses += r.badResponses;
      resends += r.resends;
      lost += r.lost;
    }
  } finally {
    clearInterval(sampler);
  }
  return { median: median(runs), runs, badResponses, resends, lost, maxRssKiB };
}

/** Untimed load of each OID set so both agents are measured warm (JIT, caches), not while starting. */
async function warmUp(port: number, sets: readonly (readonly Oid[])[]): Promise<void> {
  for (const oids of sets) await runGetLoad({ port, community: COMMUNITY, oids, clients: 8, durationMs: WARM_UP_MS });
}

/** Median time of up to `walks` walks of the whole tree (within WALK_BUDGET_MS); all walks must agree on the count. */
/** Untimed walks of each kind before the timed ones. */
const WALK_WARM_UP = 30;

async function walkTime(port: number, kind: 'getNext' | 'getBulk', walks: number) {
  const results: WalkResult[] = [];
  const started = performance.now();
  while (results.length < Math.max(1, walks) && (results.length === 0 || performance.now() - started < WALK_BUDGET_MS)) {
    results.push(await walk({ port, community: COMMUNITY, kind, maxRepetitions: 20 }));
  }
  const first = results[0]!;
  if (results.some((r) => r.varbinds !== first.varbinds)) throw new Error(`${kind} walks disagree on the varbind count`);
  const ms = median(results.map((r) => r.milliseconds));
  return {
    varbinds: first.varbinds,
    requests: first.requests,
    walks: results.length,
    medianMs: round(ms, 2),
    walksPerSecond: round(1000 / ms),
    microsecondsPerVarbind: round((ms * 1000) / Math.max(1, first.varbinds), 2),
  };
}

/**
 * Walk times of one agent. Both agents first get the same untimed walks, as the GET rates get a warm-up: the figure
 * is the steady state a monitoring station that walks the printer again and again sees (our JIT has compiled the
 * walk path by then; without it the median of 20 walks mostly timed interpreted code).
 */
async function walks(port: number, count: number) {
  for (let i = 0; i < WALK_WARM_UP; i++) {
    await walk({ port, community: COMMUNITY, kind: 'getNext', maxRepetitions: 20 });
    await walk({ port, community: COMMUNITY, kind: 'getBulk', maxRepetitions: 20 });
  }
  return { getNext: await walkTime(port, 'getNext', count), getBulkMaxRepetitions20: await walkTime(port, 'getBulk', count) };
}

/** The SNMP port our server printed after its ready line. */
async function snmpPortOf(server: RunningServer): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const m = /ippbridge snmp: udp port (\d+)/.exec(server.output());
    if (m?.[1] !== undefined) return Number(m[1]);
    await delay(50);
  }
  throw new Error('the server printed no "ippbridge snmp: udp port" line');
}

function snmpdVersion(): string | null {
  const r = spawnSync(SNMPD, ['-v'], { encoding: 'utf8', timeout: 5000 });
  return /NET-SNMP version:\s*(\S+)/.exec(r.stdout ?? '')?.[1] ?? null;
}

/** Checks that the agent answers a GET of `oids` with a value for each, so a rate never counts error responses. */
async function checkGet(port: number, oids: readonly Oid[], who: string): Promise<void> {
  const pdu = await probe(port, COMMUNITY, oids, 1000);
  const bad = pdu?.varbinds.filter((vb) => vb.value.type === 'noSuchObject' || vb.value.type === 'noSuchInstance') ?? [];
  if (pdu === undefined || pdu.errorStatus !== 0 || pdu.varbinds.length !== oids.length || bad.length > 0) {
    throw new Error(`${who} does not serve ${bad.map((vb) => vb.oid.join('.')).join(', ') || 'the GET'}`);
  }
}

/**
 * snmpd serving the common OIDs, measured like ours, and the v3 runs of `ours` and snmpd interleaved; null plus a
 * note when snmpd is missing or fails.
 */
async function measureSnmpd(opts: SnmpBenchOptions, notes: string[], ours: V3Agent) {
  let agent: ReferenceAgent | undefined;
  let untrack = (): void => undefined;
  try {
    agent = await startSnmpd(10_000, snmpdV3Config());
    untrack = opts.track(agent);
    await delay(1000);
    const idle = rssOf(agent.proc.pid);
    const common = Object.values(COMMON_OIDS);
    await checkGet(agent.port, common, 'snmpd');
    await warmUp(agent.port, [common]);
    const get = {
      commonOids: {
        clients1: await getRate(agent.port, common, 1, opts, agent.proc.pid),
        clients8: await getRate(agent.port, common, 8, opts, agent.proc.pid),
      },
    };
    const walk = await walks(agent.port, opts.walks);
    const v3 = await v3Rates([ours, { name: 'snmpd', port: agent.port, pid: agent.proc.pid }], opts, notes);
    const afterLoad = rssOf(agent.proc.pid);
    return {
      binary: SNMPD,
      version: snmpdVersion(),
      modules: [...SNMPD_MODULES],
      get,
      walk,
      v3,
      rss: { idleKiB: idle.rssKiB, afterLoadKiB: afterLoad.rssKiB, maxUnderLoadKiB: Math.max(get.commonOids.clients1.maxRssKiB, get.commonOids.clients8.maxRssKiB) },
    };
  } catch (err) {
    notes.push(`snmpd comparison skipped: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  } finally {
    await agent?.stop();
    untrack();
  }
}

/** The v3 GET figures of `agents` on the common OIDs, runs interleaved; null per agent (plus a note) that fails. */
const v3Rates = (agents: readonly V3Agent[], opts: SnmpBenchOptions, notes: string[]) =>
  v3Compare(agents, Object.values(COMMON_OIDS), { seconds: opts.seconds, repeat: opts.repeat, warmUpMs: WARM_UP_MS }, notes);

const ratio = (a: number, b: number): number => round(a / Math.max(1e-9, b), 2);


/** Runs the whole SNMP benchmark; never leaves a child running. snmpd missing or failing only adds a note. */
export async function snmpBench(opts: SnmpBenchOptions): Promise<Record<string, unknown>> {
  const notes: string[] = [];
  const boardDir = await mkdtemp(join(tmpdir(), 'ippbridge-bench-board-'));
  const server = await startServer({ args: ['--name', 'bench-snmp', '--board', await writeV3Board(boardDir)] }).catch(async (err: unknown) => {
    await rm(boardDir, { recursive: true, force: true });
    throw err;
  });
  const untrackServer = opts.track(server);
  let plain: Stoppable | undefined;
  let untrackPlain = (): void => undefined;
  try {
    plain = await startPlainServer();
    untrackPlain = opts.track(plain);
    const port = await snmpPortOf(server);
    await delay(1000);
    const idle = { snmp: rssOf(server.proc.pid), plain: rssOf(plain.proc.pid) };
    const printer = Object.values(PRINTER_OIDS);
    const common = Object.values(COMMON_OIDS);
    await checkGet(port, printer, 'ippbridge');
    await checkGet(port, common, 'ippbridge');
    await warmUp(port, [printer, common]);
    const ours = {
      printerOids: {
        clients1: await getRate(port, printer, 1, opts, server.proc.pid),
        clients8: await getRate(port, printer, 8, opts, server.proc.pid),
      },
      commonOids: { clients8: await getRate(port, common, 8, opts, server.proc.pid) },
    };
    const ourWalk = await walks(port, opts.walks);
    const after = { snmp: rssOf(server.proc.pid), plain: rssOf(plain.proc.pid) };
    const oursV3: V3Agent = { name: 'ippbridge', port, pid: server.proc.pid };
    const snmpd = await measureSnmpd(opts, notes, oursV3);
    const v3 = snmpd?.v3 ?? (await v3Rates([oursV3], opts, notes));
    const ourV3 = v3['ippbridge'] ?? null;
    const snmpdV3 = v3['snmpd'] ?? null;
    const end = { snmp: rssOf(server.proc.pid), plain: rssOf(plain.proc.pid) };
    await delay(SETTLE_MS);
    const settled = { snmp: rssOf(server.proc.pid), plain: rssOf(plain.proc.pid) };
    return {
      secondsPerRun: opts.seconds,
      repetitions: opts.repeat,
      get: {
        request: 'SNMPv2c GET of 5 varbinds, community public, one request in flight per UDP socket, request-id matched',
        printerOids: Object.keys(PRINTER_OIDS),
        commonOids: Object.keys(COMMON_OIDS),
        ippbridge: ours,
        snmpd: snmpd?.get ?? null,
        ratioIppbridgeToSnmpd: snmpd && {
          commonOidsClients8: ratio(ours.commonOids.clients8.median, snmpd.get.commonOids.clients8.median),
          printerOidsVsSnmpdCommonOidsClients1: ratio(ours.printerOids.clients1.median, snmpd.get.commonOids.clients1.median),
          printerOidsVsSnmpdCommonOidsClients8: ratio(ours.printerOids.clients8.median, snmpd.get.commonOids.clients8.median),
        },
      },
      v3Get: {
        request: V3_REQUEST,
        ippbridge: ourV3,
        snmpd: snmpdV3,
        ratioIppbridgeToSnmpd: ourV3 && snmpdV3 && { clients1: ratio(ourV3.clients1.median, snmpdV3.clients1.median), clients8: ratio(ourV3.clients8.median, snmpdV3.clients8.median) },
        ratioSnmpdCpuToIppbridgeCpu: ourV3 && snmpdV3 && v3CpuRatios(ourV3, snmpdV3),
      },
      walk: {
        request: 'from 1.3.6.1 to endOfMibView, one request in flight; trees differ, compare microsecondsPerVarbind',
        ippbridge: ourWalk,
        snmpd: snmpd?.walk ?? null,
      },
      rss: {
        noSnmpIdleKiB: idle.plain.rssKiB,
        snmpIdleKiB: idle.snmp.rssKiB,
        addedIdleKiB: idle.snmp.rssKiB - idle.plain.rssKiB,
        noSnmpAfterLoadKiB: after.plain.rssKiB,
        snmpAfterLoadKiB: after.snmp.rssKiB,
        addedAfterLoadKiB: after.snmp.rssKiB - after.plain.rssKiB,
        noSnmpEndKiB: end.plain.rssKiB,
        snmpEndKiB: end.snmp.rssKiB,
        addedEndKiB: end.snmp.rssKiB - end.plain.rssKiB,
        noSnmpSettledKiB: settled.plain.rssKiB,
        snmpSettledKiB: settled.snmp.rssKiB,
        addedSettledKiB: settled.snmp.rssKiB - settled.plain.rssKiB,
        snmpHighWaterMarkKiB: end.snmp.hwmKiB,
        snmpMaxUnderLoadKiB: Math.max(ours.printerOids.clients1.maxRssKiB, ours.printerOids.clients8.maxRssKiB, ours.commonOids.clients8.maxRssKiB),
        snmpd: snmpd?.rss ?? null,
        end: 'after the snmpd runs (our agent idle meanwhile except for the interleaved v3 runs)',
        settled: `${SETTLE_MS / 1000} s after end, no load on either server`,
      },
      snmpd: snmpd && { binary: snmpd.binary, version: snmpd.version, modules: snmpd.modules },
      notes,
    };
  } finally {
    await plain?.stop();
    untrackPlain();
    await server.stop();
    untrackServer();
    await rm(boardDir, { recursive: true, force: true });
  }
}
