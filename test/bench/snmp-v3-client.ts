// SNMPv3 authPriv load client for benchmarks (RFC 3414 USM): discovers an agent's engine once, builds a pool of
// distinct requests (own msgID, salt, encryption and HMAC each) with the test v3 manager, then keeps N UDP sockets
// with one GET in flight each.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { SnmpUser } from '../../src/config.js';
import type { Oid, Pdu } from '../../src/snmp/types.js';
import { SaltSource, localizeUser, type LocalizedUser } from '../../src/snmp/usm.js';
import { decodeV3Message } from '../../src/snmp/v3-message.js';
import { buildRequest, getPdu, openResponse, type Opened } from '../snmp/v3-manager.js';
import { isGoodGetResponse } from './snmp-client.js';
import { runUdpLoad, type LoadCounts } from './udp-load.js';

const FIRST_MSG_ID = 0x01000000;

/** An agent's engine as discovered (RFC 3414 §4), with the user's keys localized to it. */
export interface DiscoveredEngine {
  readonly engineId: Buffer;
  readonly boots: number;
  /** engineTime at `atMs` */
  readonly time: number;
  /** performance.now() when `time` was learnt */
  readonly atMs: number;
  readonly user: LocalizedUser;
  readonly userName: string;
}

/** The agent's engineTime now, as estimated from the discovery. */
function engineTimeOf(engine: DiscoveredEngine): number {
  return engine.time + Math.floor((performance.now() - engine.atMs) / 1000);
}

/** One authPriv GET of `oids` to `engine`, with a fresh salt and the engineTime `time` (default: now). */
function authPrivGet(engine: DiscoveredEngine, msgId: number, oids: readonly Oid[], salts: SaltSource, time = engineTimeOf(engine)): Buffer {
  return buildRequest({
    user: engine.user,
    userName: engine.userName,
    level: 'authPriv',
    engineId: engine.engineId,
    boots: engine.boots,
    time,
    pdu: getPdu(msgId, ...oids),
    msgId,
    salt: salts.next(),
  });
}

/** Sends `request` and resolves with the first datagram whose msgID is `msgId` (undefined after timeoutMs). */
async function exchange(socket: Socket, request: Buffer, msgId: number, timeoutMs: number): Promise<Buffer | undefined> {
  socket.send(request);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      resolve(undefined);
    }, timeoutMs);
    const onMessage = (msg: Buffer): void => {
      try {
        if (decodeV3Message(msg).header.msgId !== msgId) return;
      } catch {
        return;
      }
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(msg);
    };
    socket.on('message', onMessage);
  });
}

async function connectedSocket(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  socket.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

/**
 * Discovers the engine at 127.0.0.1:port: a noAuthNoPriv probe learns the engineID (usmStatsUnknownEngineIDs report),
 * then authPriv GETs of `oids` learn boots and time from a notInTimeWindows report until one gets a good response.
 */
export async function discoverEngine(port: number, user: SnmpUser, oids: readonly Oid[], timeoutMs = 1000): Promise<DiscoveredEngine> {
  const socket = await connectedSocket(port);
  const salts = new SaltSource();
  try {
    const probe = buildRequest({ userName: '', level: 'noAuthNoPriv', engineId: Buffer.alloc(0), boots: 0, time: 0, pdu: getPdu(1), msgId: 1 });
    const first = await exchange(socket, probe, 1, timeoutMs);
    if (first === undefined) throw new Error('no answer to the engine discovery');
    const report = openResponse(first);
    const engineId = Buffer.from(report.params.engineId);
    if (engineId.length === 0) throw new Error('the discovery report carries no engineID');
    let engine: DiscoveredEngine = {
      engineId,
      boots: report.params.engineBoots,
      time: report.params.engineTime,
      atMs: performance.now(),
      user: localizeUser(user, engineId),
      userName: user.name,
    };
    // Time synchronisation: an authenticated report carries the agent's boots and time.
    for (let msgId = 2; msgId <= 5; msgId++) {
      const answer = await exchange(socket, authPrivGet(engine, msgId, oids, salts), msgId, timeoutMs);
      if (answer === undefined) throw new Error('no answer to an authPriv GET');
      const opened = openResponse(answer, engine.user);
      if (opened.isAuthentic !== true) throw new Error('a response to an authPriv GET is not authentic');
      if (opened.scoped.pdu.type !== 'report') {
        if (!isGoodV3Response(opened, msgId, oids)) throw new Error(`bad authPriv GET response (errorStatus ${opened.scoped.pdu.errorStatus})`);
        return engine;
      }
      engine = { ...engine, boots: opened.params.engineBoots, time: opened.params.engineTime, atMs: performance.now() };
    }
    throw new Error('authPriv GETs still answered with reports after time synchronisation');
  } finally {
    socket.close();
  }
}

/** True when an opened, authentic response answers GET `requestId` of `oids` with a value for each, in order. */
function isGoodV3Response(opened: Opened, requestId: number, oids: readonly Oid[]): boolean {
  const pdu: Pdu = opened.scoped.pdu;
  return opened.isAuthentic === true && pdu.requestId === requestId && isGoodGetResponse(pdu, oids);
}

/** Options of {@link runV3GetLoad}. */
export interface V3GetLoadOptions {
  readonly port: number;
  readonly engine: DiscoveredEngine;
  readonly oids: readonly Oid[];
  /** concurrent sockets, one request in flight each */
  readonly clients: number;
  readonly durationMs: number;
  /**
   * distinct requests from {@link buildRequestPool}, built before the run; a run that needs more sends the pool again
   * from its start (within the time window, as a manager may; counted in requestsReused)
   */
  readonly pool: readonly Buffer[];
  /** time before a request is built and sent again with a new msgID; default 250 ms */
  readonly timeoutMs?: number;
  /** sends of one request after the first before it counts as lost; default 3 */
  readonly maxResends?: number;
}

/** What one v3 load run measured (good: authentic, decrypted, errorStatus 0, a value for every varbind in order). */
export interface V3GetLoadResult extends LoadCounts {
  readonly poolSize: number;
  /** sends beyond the pool: requests sent a second time */
  readonly requestsReused: number;
}

/**
 * `count` authPriv GETs of `oids`, msgID and request-id upwards from the load's first id, each with its own salt,
 * built now with the engineTime of now. Building them before the timed run keeps the client's crypto out of the agents' figures: on a
 * two-core machine a client that encrypts every request while the agent runs caps both agents at its own rate.
 */
export function buildRequestPool(engine: DiscoveredEngine, oids: readonly Oid[], count: number): Buffer[] {
  const salts = new SaltSource();
  const time = engineTimeOf(engine);
  const pool: Buffer[] = [];
  for (let i = 0; i < count; i++) pool.push(authPrivGet(engine, FIRST_MSG_ID + i, oids, salts, time));
  return pool;
}

/**
 * Keeps `clients` of the pooled authPriv GETs in flight against 127.0.0.1:port for durationMs; every response is
 * verified (HMAC), decrypted and checked against its request.
 */
export async function runV3GetLoad(opts: V3GetLoadOptions): Promise<V3GetLoadResult> {
  const pool = opts.pool;
  const poolSize = pool.length;
  let sends = 0;
  const counts = await runUdpLoad({
    port: opts.port,
    clients: opts.clients,
    durationMs: opts.durationMs,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.maxResends !== undefined ? { maxResends: opts.maxResends } : {}),
    firstId: FIRST_MSG_ID,
    lastId: FIRST_MSG_ID + poolSize - 1,
    request(id) {
      sends++;
      const request = pool[id - FIRST_MSG_ID];
      if (request === undefined) throw new Error(`no pooled request for id ${id}`);
      return request;
    },
    judge(msg, id) {
      try {
        if (decodeV3Message(msg).header.msgId !== id) return 'stale';
        return isGoodV3Response(openResponse(msg, opts.engine.user), id, opts.oids) ? 'good' : 'bad';
      } catch {
        return 'bad';
      }
    },
  });
  return { ...counts, poolSize, requestsReused: Math.max(0, sends - poolSize) };
}
