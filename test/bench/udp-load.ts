// Closed-loop UDP load driver for the SNMP benchmarks: N sockets with one request in flight each, a timeout that
// sends a fresh request (counted as a resend, or as lost after maxResends), for a bounded duration.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

/** How often the load loop looks for requests that timed out. */
const TIMEOUT_TICK_MS = 20;

/** What a response datagram is, for the request id in flight on its socket. */
export type Verdict = 'good' | 'bad' | 'stale';

/** Options of {@link runUdpLoad}. */
export interface UdpLoadOptions {
  readonly port: number;
  readonly clients: number;
  readonly durationMs: number;
  /** default 250 ms */
  readonly timeoutMs?: number;
  /** sends of one request after the first before it counts as lost; default 3 */
  readonly maxResends?: number;
  /** first request id (ids increase and wrap below 2^31) */
  readonly firstId: number;
  /** last request id before the ids start again at firstId; default 2^31 - 1 */
  readonly lastId?: number;
  /** the datagram for request `id` sent by client number `client` */
  request(id: number, client: number): Buffer;
  /** judge a datagram received by a client whose request `id` is in flight */
  judge(msg: Buffer, id: number): Verdict;
}

/** What one load run measured. */
export interface LoadCounts {
  readonly clients: number;
  readonly seconds: number;
  /** good responses */
  readonly responses: number;
  readonly requestsPerSecond: number;
  /** wrong or undecodable responses */
  readonly badResponses: number;
  /** requests sent again after a timeout */
  readonly resends: number;
  /** requests given up after maxResends */
  readonly lost: number;
  /** responses to a request no longer in flight (late answers to a resent request) */
  readonly stale: number;
}

interface Client {
  readonly index: number;
  readonly socket: Socket;
  id: number;
  sentAt: number;
  sends: number;
}

/** Keeps `clients` requests in flight against 127.0.0.1:port for durationMs and counts the good responses. */
export async function runUdpLoad(opts: UdpLoadOptions): Promise<LoadCounts> {
  const timeoutMs = opts.timeoutMs ?? 250;
  const maxResends = opts.maxResends ?? 3;
  const lastId = opts.lastId ?? 0x7fffffff;
  if (lastId - opts.firstId + 1 < opts.clients * 2) throw new Error('runUdpLoad: fewer request ids than twice the clients');
  const counts = { responses: 0, badResponses: 0, resends: 0, lost: 0, stale: 0 };
  let nextId = opts.firstId;
  let running = true;
  const send = (c: Client, fresh: boolean): void => {
    if (fresh) c.sends = 0;
    c.sends++;
    nextId = nextId >= lastId ? opts.firstId : nextId + 1;
    c.id = nextId;
    c.sentAt = performance.now();
    c.socket.send(opts.request(c.id, c.index));
  };
  const clients: Client[] = [];
  for (let index = 0; index < opts.clients; index++) {
    const c: Client = { index, socket: createSocket('udp4'), id: 0, sentAt: 0, sends: 0 };
    c.socket.on('message', (msg: Buffer) => {
      const verdict = opts.judge(msg, c.id);
      if (verdict === 'stale') {
        counts.stale++;
        return;
      }
      if (verdict === 'good') counts.responses++;
      else counts.badResponses++;
      if (running) send(c, true);
    });
    c.socket.on('error', () => counts.badResponses++);
    c.socket.connect(opts.port, '127.0.0.1');
    clients.push(c);
  }
  await Promise.all(clients.map((c) => once(c.socket, 'connect')));
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const c of clients) {
      if (now - c.sentAt < timeoutMs) continue;
      if (c.sends > maxResends) counts.lost++;
      else counts.resends++;
      send(c, c.sends > maxResends);
    }
  }, TIMEOUT_TICK_MS);
  const started = performance.now();
  for (const c of clients) send(c, true);
  await new Promise((resolve) => setTimeout(resolve, opts.durationMs));
  running = false;
  const seconds = (performance.now() - started) / 1000;
  const responses = counts.responses;
  clearInterval(ticker);
  await Promise.all(clients.map((c) => new Promise<void>((resolve) => c.socket.close(() => resolve()))));
  return { clients: opts.clients, seconds, ...counts, responses, requestsPerSecond: responses / seconds };
}
