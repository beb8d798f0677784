// Lean SNMPv2c load client for benchmarks: N UDP sockets with one pre-encoded GET in flight each (request-id patched
// in place, responses matched by request-id and checked), plus GETNEXT / GETBULK walks of a whole tree.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { decodeMessage, encodeMessage } from '../../src/snmp/message.js';
import { runUdpLoad, type LoadCounts } from './udp-load.js';
import type { Oid, Pdu, VarBind } from '../../src/snmp/types.js';

/** Request-ids start here so they always encode in 4 octets and can be patched in place. */
const FIRST_ID = 0x01000000;
const ID_MARKER = Buffer.from([0x02, 0x04, 0x01, 0x00, 0x00, 0x00]);

/** Options of {@link runGetLoad}. */
export interface GetLoadOptions {
  readonly port: number;
  readonly community: string;
  readonly oids: readonly Oid[];
  /** concurrent sockets, one request in flight each */
  readonly clients: number;
  readonly durationMs: number;
  /** time before a request is sent again with a new request-id; default 250 ms */
  readonly timeoutMs?: number;
  /** sends of one request after the first before it counts as lost; default 3 */
  readonly maxResends?: number;
}

/** What one load run measured (good responses: errorStatus 0, every requested varbind with a value, in order). */
export type GetLoadResult = LoadCounts;

/** A v2c GET of `oids` encoded with a 4-octet request-id, and the offset of that id's content octets. */
function getTemplate(community: string, oids: readonly Oid[]): { readonly bytes: Buffer; readonly idOffset: number } {
  const varbinds: VarBind[] = oids.map((oid) => ({ oid, value: { type: 'null' } }));
  const pdu: Pdu = { type: 'get', requestId: FIRST_ID, errorStatus: 0, errorIndex: 0, varbinds };
  const bytes = encodeMessage({ version: 1, community: Buffer.from(community, 'latin1'), pdu });
  const at = bytes.indexOf(ID_MARKER);
  if (at < 0) throw new Error('request-id not found in the encoded GET');
  return { bytes, idOffset: at + 2 };
}

const sameOid = (a: Oid, b: Oid): boolean => a.length === b.length && a.every((arc, i) => arc === b[i]);

/** True when `pdu` answers a GET of `oids` with a value for each, in order. */
export function isGoodGetResponse(pdu: Pdu, oids: readonly Oid[]): boolean {
  if (pdu.type !== 'response' || pdu.errorStatus !== 0 || pdu.varbinds.length !== oids.length) return false;
  return pdu.varbinds.every((vb, i) => {
    const t = vb.value.type;
    return t !== 'noSuchObject' && t !== 'noSuchInstance' && t !== 'endOfMibView' && sameOid(vb.oid, oids[i] ?? []);
  });
}

/** Keeps `clients` GETs in flight against 127.0.0.1:port for durationMs and counts the good responses. */
export async function runGetLoad(opts: GetLoadOptions): Promise<GetLoadResult> {
  const template = getTemplate(opts.community, opts.oids);
  // One request buffer per client; the request-id is patched in place.
  const buffers = Array.from({ length: opts.clients }, () => Buffer.from(template.bytes));
  return runUdpLoad({
    port: opts.port,
    clients: opts.clients,
    durationMs: opts.durationMs,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.maxResends !== undefined ? { maxResends: opts.maxResends } : {}),
    firstId: FIRST_ID,
    request(id, client) {
      const buf = buffers[client]!;
      buf.writeInt32BE(id, template.idOffset);
      return buf;
    },
    judge(msg, id) {
      let pdu: Pdu;
      try {
        pdu = decodeMessage(msg).pdu;
      } catch {
        return 'bad';
      }
      if (pdu.requestId !== id) return 'stale';
      return isGoodGetResponse(pdu, opts.oids) ? 'good' : 'bad';
    },
  });
}

/** What one walk found. */
export interface WalkResult {
  readonly varbinds: number;
  readonly requests: number;
  readonly milliseconds: number;
}

/** Options of {@link walk}. */
export interface WalkOptions {
  readonly port: number;
  readonly community: string;
  readonly kind: 'getNext' | 'getBulk';
  /** GETBULK max-repetitions; default 20 */
  readonly maxRepetitions?: number;
  /** default 1.3.6.1 */
  readonly root?: Oid;
  /** per request; default 1000 ms */
  readonly timeoutMs?: number;
  /** sends of one request after the first before the walk fails; default 3 */
  readonly maxResends?: number;
  /** most requests before the walk fails (a looping agent); default 100000 */
  readonly maxRequests?: number;
}

/** True when `oid` is inside the subtree `root` (or equal to it). */
function isUnder(oid: Oid, root: Oid): boolean {
  return oid.length >= root.length && root.every((arc, i) => arc === oid[i]);
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (lexicographic OID order). */
function compareOids(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** One request, one matching response: resent on timeout with a new request-id. */
async function exchange(socket: Socket, pdu: Pdu, community: Buffer, timeoutMs: number, maxResends: number): Promise<Pdu> {
  for (let attempt = 0; attempt <= maxResends; attempt++) {
    const requestId = (pdu.requestId + attempt) & 0x7fffffff;
    socket.send(encodeMessage({ version: 1, community, pdu: { ...pdu, requestId } }));
    const answer = await new Promise<Pdu | undefined>((resolve) => {
      const timer = setTimeout(() => {
        socket.off('message', onMessage);
        resolve(undefined);
      }, timeoutMs);
      const onMessage = (msg: Buffer): void => {
        let got: Pdu;
        try {
          got = decodeMessage(msg).pdu;
        } catch {
          return;
        }
        if (got.requestId !== requestId) return;
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(got);
      };
      socket.on('message', onMessage);
    });
    if (answer !== undefined) return answer;
  }
  throw new Error(`no response after ${maxResends + 1} sends`);
}

/** One GET of `oids` with a single send; the response PDU, or undefined when none came within timeoutMs. */
export async function probe(port: number, community: string, oids: readonly Oid[], timeoutMs: number): Promise<Pdu | undefined> {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  socket.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const pdu: Pdu = { type: 'get', requestId: FIRST_ID, errorStatus: 0, errorIndex: 0, varbinds: oids.map((oid) => ({ oid, value: { type: 'null' } })) };
  try {
    return await exchange(socket, pdu, Buffer.from(community, 'latin1'), timeoutMs, 0);
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}

/** Walks the tree under `root` with one request in flight; fails on an error status or a non-increasing OID. */
export async function walk(opts: WalkOptions): Promise<WalkResult> {
  const root = opts.root ?? [1, 3, 6, 1];
  const community = Buffer.from(opts.community, 'latin1');
  const maxRequests = opts.maxRequests ?? 100_000;
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  socket.connect(opts.port, '127.0.0.1');
  await once(socket, 'connect');
  let last: Oid = root;
  let varbinds = 0;
  let requests = 0;
  const started = performance.now();
  try {
    for (let done = false; !done; ) {
      if (requests >= maxRequests) throw new Error(`walk not finished after ${maxRequests} requests`);
      const pdu: Pdu = {
        type: opts.kind,
        requestId: (FIRST_ID + requests * 8) & 0x7fffffff,
        errorStatus: 0,
        errorIndex: opts.kind === 'getBulk' ? (opts.maxRepetitions ?? 20) : 0,
        varbinds: [{ oid: last, value: { type: 'null' } }],
      };
      requests++;
      const answer = await exchange(socket, pdu, community, opts.timeoutMs ?? 1000, opts.maxResends ?? 3);
      if (answer.errorStatus !== 0) throw new Error(`error-status ${answer.errorStatus} after ${varbinds} varbinds`);
      if (answer.varbinds.length === 0) throw new Error('empty response varbind list');
      for (const vb of answer.varbinds) {
        if (vb.value.type === 'endOfMibView' || !isUnder(vb.oid, root)) {
          done = true;
          break;
        }
        if (compareOids(vb.oid, last) <= 0) throw new Error(`OID ${vb.oid.join('.')} does not increase after ${last.join('.')}`);
        last = vb.oid;
        varbinds++;
      }
    }
  } finally {
    socket.close();
  }
  return { varbinds, requests, milliseconds: performance.now() - started };
}
