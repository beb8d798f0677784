// SNMPv3 part of the SNMP benchmark: the bench user (SHA-256 + AES-128, authPriv), a board config and snmpd config
// lines that create it, and the median authPriv GET rates and agent CPU per request of 1 and 8 clients, with the
// agents' runs interleaved.
// SPDX-License-Identifier: Apache-2.0
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnmpUser } from '../../src/config.js';
import type { Oid } from '../../src/snmp/types.js';
import { repoRoot } from '../support/server.js';
import { cpuTimeOf, median, round } from './proc-stats.js';
import { buildRequestPool, discoverEngine, runV3GetLoad, type DiscoveredEngine } from './snmp-v3-client.js';

/** The v3 user both agents serve, at authPriv only. */
export const BENCH_V3_USER: SnmpUser = {
  name: 'bench',
  authProtocol: 'SHA-256',
  authPassword: 'benchauth1',
  privProtocol: 'AES',
  privPassword: 'benchpriv1',
};

/** What the v3 figures measure, for the JSON. */
export const V3_REQUEST =
  'SNMPv3 authPriv GET of 5 varbinds (the common OIDs), user bench, HMAC-SHA-256-192 + AES-128-CFB, one request in ' +
  'flight per UDP socket. Before each run the client builds a pool of distinct requests (own msgID, salt, ' +
  'encryption and HMAC each; requestsReused counts sends beyond the pool); every response is verified, decrypted ' +
  'and checked. The agents run interleaved; agentCpuMicrosecondsPerRequest is the agent process CPU (user + ' +
  'system, /proc) per good response';

/** snmpd.conf lines that create the bench user (Net-SNMP 5.9 names) and give it read access at authPriv. */
export function snmpdV3Config(): string {
  const u = BENCH_V3_USER;
  return `createUser ${u.name} ${u.authProtocol} "${u.authPassword}" ${u.privProtocol ?? 'AES'} "${u.privPassword ?? ''}"\nrouser ${u.name} priv\n`;
}

/** Writes board-configs/virtual.json with the bench user added to its snmp section into `dir`; returns the path. */
export async function writeV3Board(dir: string): Promise<string> {
  const board: unknown = JSON.parse(await readFile(join(repoRoot(), 'board-configs', 'virtual.json'), 'utf8'));
  if (typeof board !== 'object' || board === null) throw new Error('board-configs/virtual.json is not an object');
  const u = BENCH_V3_USER;
  const user = { name: u.name, 'auth-protocol': u.authProtocol, 'auth-password': u.authPassword, 'priv-protocol': u.privProtocol, 'priv-password': u.privPassword };
  const snmp: unknown = Reflect.get(board, 'snmp');
  const base = typeof snmp === 'object' && snmp !== null ? snmp : {};
  const doc = { ...board, $schema: undefined, snmp: { communities: ['public'], ...base, users: [user] } };
  const path = join(dir, 'bench-v3.json');
  await writeFile(path, JSON.stringify(doc, null, 2));
  return path;
}

/** Options of {@link v3Compare}. */
export interface V3RateOptions {
  readonly seconds: number;
  readonly repeat: number;
  /** untimed load before the timed runs */
  readonly warmUpMs: number;
}

/** An agent to measure: its UDP port on 127.0.0.1 and its process (for the CPU it spends). */
export interface V3Agent {
  readonly name: string;
  readonly port: number;
  readonly pid: number | undefined;
}

/** Requests per second of run time each pool is built for (above what either agent reaches here). */
const POOL_RATE: Readonly<Record<number, number>> = { 1: 12000, 8: 22000 };
const CLIENT_COUNTS = [1, 8] as const;

interface Run {
  readonly requestsPerSecond: number;
  /** agent CPU (user + system) per good response, µs; null when /proc could not be read */
  readonly cpu: { readonly total: number; readonly user: number; readonly system: number } | null;
  readonly badResponses: number;
  readonly resends: number;
  readonly lost: number;
  readonly requestsReused: number;
}

async function oneRun(agent: V3Agent, engine: DiscoveredEngine, oids: readonly Oid[], clients: number, opts: V3RateOptions): Promise<Run> {
  const pool = buildRequestPool(engine, oids, Math.ceil(opts.seconds * (POOL_RATE[clients] ?? 22000)));
  // CPU is read around the run alone: the agent's idle time while the pool is built does not count.
  const before = cpuTimeOf(agent.pid);
  const r = await runV3GetLoad({ port: agent.port, engine, oids, clients, durationMs: opts.seconds * 1000, pool });
  const after = cpuTimeOf(agent.pid);
  const per = (ms: number): number => round((ms * 1000) / Math.max(1, r.responses));
  const cpu = before && after ? { user: per(after.userMs - before.userMs), system: per(after.systemMs - before.systemMs), total: per(after.userMs + after.systemMs - before.userMs - before.systemMs) } : null;
  return { requestsPerSecond: round(r.requestsPerSecond), cpu, badResponses: r.badResponses, resends: r.resends, lost: r.lost, requestsReused: r.requestsReused };
}

function summary(runs: readonly Run[]) {
  const cpus = runs.flatMap((r) => (r.cpu ? [r.cpu] : []));
  const sum = (pick: (r: Run) => number): number => runs.reduce((a, r) => a + pick(r), 0);
  return {
    median: median(runs.map((r) => r.requestsPerSecond)),
    runs: runs.map((r) => r.requestsPerSecond),
    agentCpuMicrosecondsPerRequest:
      cpus.length === 0 ? null : { median: median(cpus.map((c) => c.total)), runs: cpus.map((c) => c.total), userMedian: median(cpus.map((c) => c.user)), systemMedian: median(cpus.map((c) => c.system)) },
    badResponses: sum((r) => r.badResponses),
    resends: sum((r) => r.resends),
    lost: sum((r) => r.lost),
    requestsReused: sum((r) => r.requestsReused),
  };
}

/** What {@link v3Compare} reports per agent. */
export type V3Figures = { readonly engineId: string } & Record<'clients1' | 'clients8', ReturnType<typeof summary>>;

/**
 * Discovers each agent's engine and warms it up, then measures authPriv GET rates and agent CPU per request with 1
 * and 8 clients, the agents' runs interleaved (order alternating per repetition) so both see the same machine. An
 * agent whose discovery or warm-up fails gets a note and null (every step is bounded by its timeouts or durations).
 */
export async function v3Compare(agents: readonly V3Agent[], oids: readonly Oid[], opts: V3RateOptions, notes: string[]): Promise<Record<string, V3Figures | null>> {
  const ready: { agent: V3Agent; engine: DiscoveredEngine }[] = [];
  const out: Record<string, V3Figures | null> = {};
  for (const agent of agents) {
    out[agent.name] = null;
    try {
      const engine = await discoverEngine(agent.port, BENCH_V3_USER, oids);
      const pool = buildRequestPool(engine, oids, Math.ceil((opts.warmUpMs / 1000) * (POOL_RATE[8] ?? 22000)));
      await runV3GetLoad({ port: agent.port, engine, oids, clients: 8, durationMs: opts.warmUpMs, pool });
      ready.push({ agent, engine });
    } catch (err) {
      notes.push(`v3 of ${agent.name} not measured: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const runs = new Map<string, Run[]>();
  for (const clients of CLIENT_COUNTS) {
    for (let rep = 0; rep < opts.repeat; rep++) {
      const order = rep % 2 === 0 ? ready : [...ready].reverse();
      for (const { agent, engine } of order) {
        const key = `${agent.name}/${clients}`;
        runs.set(key, [...(runs.get(key) ?? []), await oneRun(agent, engine, oids, clients, opts)]);
      }
    }
  }
  for (const { agent, engine } of ready) {
    out[agent.name] = { engineId: engine.engineId.toString('hex'), clients1: summary(runs.get(`${agent.name}/1`) ?? []), clients8: summary(runs.get(`${agent.name}/8`) ?? []) };
  }
  return out;
}

const ratio = (a: number, b: number): number => round(a / Math.max(1e-9, b), 2);

/** snmpd's median agent CPU per v3 request over ours (above 1: ours spends less), per client count. */
export function v3CpuRatios(ours: V3Figures, snmpd: V3Figures) {
  const of = (a: V3Figures['clients1'], b: V3Figures['clients1']): number | null =>
    a.agentCpuMicrosecondsPerRequest && b.agentCpuMicrosecondsPerRequest && ratio(b.agentCpuMicrosecondsPerRequest.median, a.agentCpuMicrosecondsPerRequest.median);
  return { clients1: of(ours.clients1, snmpd.clients1), clients8: of(ours.clients8, snmpd.clients8) };
}
