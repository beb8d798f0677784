// SNMPv3 authPriv load client for benchmarks (RFC 3414 USM): discovers an agent's engine once, then keeps N UDP
// sockets with one GET in flight each, every request built, encrypted and signed afresh with the test v3 manager.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { SnmpUser } from '../../src/config.js';
import type { Oid, Pdu } from '../../src/snmp/types.js';
import { SaltSource, localizeUser, type LocalizedUser } from '../../src/snmp/usm.js';
import { decodeV3Message } from '../../src/snmp/v3-message.js';
import { buildRequest, getPdu, openResponse, type Opened } from '../snmp/v3-manager.js';

/** How often the load loop looks for requests that timed out. */
const TIMEOUT_TICK_MS = 20;
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

/** One authPriv GET of `oids` to `engine`, with a fresh salt and the current engineTime. */
function authPrivGet(engine: DiscoveredEngine, msgId: number, oids: readonly Oid[], salts: SaltSource): Buffer {
  return buildRequest({
    user: engine.user,
    userName: engine.userName,
    level: 'authPriv',
    engineId: engine.engineId,
    boots: engine.boots,
    time: engineTimeOf(engine),
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

const sameOid = (a: Oid, b: Oid): boolean => a.length === b.length && a.every((arc, i) => arc === b[i]);

/** True when an opened, authentic response answers GET `requestId` of `oids` with a value for each, in order. */
function isGoodV3Response(opened: Opened, requestId: number, oids: readonly Oid[]): boolean {
  const pdu: Pdu = opened.scoped.pdu;
  if (opened.isAuthentic !== true || pdu.type !== 'response' || pdu.requestId !== requestId) return false;
  if (pdu.errorStatus !== 0 || pdu.varbinds.length !== oids.length) return false;
  return pdu.varbinds.every((vb, i) => {
    const t = vb.value.type;
    return t !== 'noSuchObject' && t !== 'noSuchInstance' && t !== 'endOfMibView' && sameOid(vb.oid, oids[i] ?? []);
  });
}

/** Options of {@link runV3GetLoad}. */
export interface V3GetLoadOptions {
  readonly port: number;
  readonly engine: DiscoveredEngine;
  readonly oids: readonly Oid[];
  /** concurrent sockets, one request in flight each */
  readonly clients: number;
  readonly durationMs: number;
  /** time before a request is built and sent again with a new msgID; default 250 ms */
  readonly timeoutMs?: number;
  /** sends of one request after the first before it counts as lost; default 3 */
  readonly maxResends?: number;
}

/** What one v3 load run measured. */
export interface V3GetLoadResult {
  readonly clients: number;
  readonly seconds: number;
  /** authentic, decrypted responses with errorStatus 0 and a value for every requested varbind, in order */
  readonly responses: number;
  readonly requestsPerSecond: number;
  /** reports, error statuses, wrong varbinds, failed digests and undecodable datagrams */
  readonly badResponses: number;
  readonly resends: number;
  readonly lost: number;
  /** responses to a msgID no longer in flight */
  readonly stale: number;
}

interface Client {
  readonly socket: Socket;
  msgId: number;
  sentAt: number;
  sends: number;
}

/** Keeps `clients` authPriv GETs in flight against 127.0.0.1:port for durationMs and counts the good responses. */
export async function runV3GetLoad(opts: V3GetLoadOptions): Promise<V3GetLoadResult> {
  const timeoutMs = opts.timeoutMs ?? 250;
  const maxResends = opts.maxResends ?? 3;
  const salts = new SaltSource();
  let nextId = FIRST_MSG_ID;
  let responses = 0;
  let badResponses = 0;
  let resends = 0;
  let lost = 0;
  let stale = 0;
  let running = true;
  const send = (c: Client, fresh: boolean): void => {
    if (fresh) c.sends = 0;
    c.sends++;
    nextId = nextId >= 0x7fffffff ? FIRST_MSG_ID : nextId + 1;
    c.msgId = nextId;
    c.sentAt = performance.now();
    c.socket.send(authPrivGet(opts.engine, c.msgId, opts.oids, salts));
  };
  const onMessage = (c: Client, msg: Buffer): void => {
    let opened: Opened;
    try {
      if (decodeV3Message(msg).header.msgId !== c.msgId) {
        stale++;
        return;
      }
      opened = openResponse(msg, opts.engine.user);
    } catch {
      badResponses++;
      return;
    }
    if (isGoodV3Response(opened, c.msgId, opts.oids)) responses++;
    else badResponses++;
    if (running) send(c, true);
  };
  const clients: Client[] = [];
  for (let i = 0; i < opts.clients; i++) {
    const socket = createSocket('udp4');
    const c: Client = { socket, msgId: 0, sentAt: 0, sends: 0 };
    socket.on('message', (msg: Buffer) => onMessage(c, msg));
    socket.on('error', () => badResponses++);
    socket.connect(opts.port, '127.0.0.1');
    clients.push(c);
  }
  await Promise.all(clients.map((c) => once(c.socket, 'connect')));
  // Timeouts: a new request (new msgID, salt, time), given up after maxResends.
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const c of clients) {
      if (now - c.sentAt < timeoutMs) continue;
      if (c.sends > maxResends) {
        lost++;
        send(c, true);
      } else {
        resends++;
        send(c, false);
      }
    }
  }, TIMEOUT_TICK_MS);
  const started = performance.now();
  for (const c of clients) send(c, true);
  await new Promise((resolve) => setTimeout(resolve, opts.durationMs));
  running = false;
  const seconds = (performance.now() - started) / 1000;
  const counted = responses;
  clearInterval(ticker);
  await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.socket.close(() => resolve()))));
  return { clients: opts.clients, seconds, responses: counted, requestsPerSecond: counted / seconds, badResponses, resends, lost, stale };
}
