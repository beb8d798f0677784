// SNMPv3 part of the SNMP benchmark: the bench user (SHA-256 + AES-128, authPriv), a board config and snmpd config
// lines that create it, and the median authPriv GET rates of 1 and 8 clients against one agent.
// SPDX-License-Identifier: Apache-2.0
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnmpUser } from '../../src/config.js';
import type { Oid } from '../../src/snmp/types.js';
import { repoRoot } from '../support/server.js';
import { median, round } from './proc-stats.js';
import { discoverEngine, runV3GetLoad } from './snmp-v3-client.js';

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
  'flight per UDP socket; every request gets a fresh msgID, salt and engineTime and is encrypted and signed by the ' +
  'client, every response verified, decrypted and checked. The client crypto (Node.js, same client for both agents) ' +
  'is part of each figure, so absolute rates understate the agents, the ratio stays fair';

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

/** Options of {@link v3GetRates}. */
export interface V3RateOptions {
  readonly seconds: number;
  readonly repeat: number;
  /** untimed load before the timed runs */
  readonly warmUpMs: number;
}

async function rate(port: number, engine: Awaited<ReturnType<typeof discoverEngine>>, oids: readonly Oid[], clients: number, opts: V3RateOptions) {
  const runs: number[] = [];
  let badResponses = 0;
  let resends = 0;
  let lost = 0;
  for (let i = 0; i < opts.repeat; i++) {
    const r = await runV3GetLoad({ port, engine, oids, clients, durationMs: opts.seconds * 1000 });
    runs.push(round(r.requestsPerSecond));
    badResponses += r.badResponses;
    resends += r.resends;
    lost += r.lost;
  }
  return { median: median(runs), runs, badResponses, resends, lost };
}

/**
 * Discovers the agent's engine, warms up, then measures authPriv GET rates with 1 and 8 clients; on a failure, pushes
 * a note naming `who` and returns null (every step is bounded by its timeouts or durations).
 */
export async function v3GetRates(port: number, oids: readonly Oid[], opts: V3RateOptions, who: string, notes: string[]) {
  try {
    const engine = await discoverEngine(port, BENCH_V3_USER, oids);
    await runV3GetLoad({ port, engine, oids, clients: 8, durationMs: opts.warmUpMs });
    return {
      engineId: engine.engineId.toString('hex'),
      clients1: await rate(port, engine, oids, 1, opts),
      clients8: await rate(port, engine, oids, 8, opts),
    };
  } catch (err) {
    notes.push(`v3 of ${who} not measured: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
