// Read-only SNMP agent on UDP: decodes each datagram, checks the community (v1/v2c) or hands v3 to the USM path,
// answers through respond() (RFC 3416 §4.2, RFC 3584) and counts what it drops (RFC 3418). Never throws on a packet.
// SPDX-License-Identifier: Apache-2.0
import { timingSafeEqual } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import { once } from 'node:events';
import { isIP } from 'node:net';
import { SnmpDecodeError } from '../errors.js';
import type { Logger } from '../log.js';
import { SnmpCounters } from './counters.js';
import { decodeMessage, encodeMessage } from './message.js';
import { respond, type MibReader } from './respond.js';
import type { CommunityMessage } from './types.js';
import type { SnmpUser } from '../config.js';
import type { SnmpEngine } from './engine-id.js';
import { V3Counters } from './usm-stats.js';
import { V3Processor, type V3Outcome } from './v3-process.js';
import { isV3Packet } from './v3-message.js';

/** Largest response by default: one unfragmented IPv4 datagram on a 1500-octet MTU (1500 - 20 - 8). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1472;
/** Most varbinds in a GetBulk response by default (snmp-printer-mib.md §7). */
export const DEFAULT_MAX_BULK_VARBINDS = 48;
/** Distinct failure messages logged at warn before further ones go to debug (a remote peer must not flood the log). */
const MAX_WARNED_FAILURES = 32;

/** Options of {@link SnmpAgent}. */
export interface SnmpAgentOptions {
  /** UDP port; 0 picks an ephemeral port */
  readonly port: number;
  /** address to bind; default '::' (dual stack, falls back to 0.0.0.0 without IPv6) */
  readonly address?: string;
  /** read-only communities; empty disables SNMPv1/v2c (every message is dropped as a bad community) */
  readonly communities: readonly string[];
  readonly log: Logger;
  /** largest encoded response in octets; default 1472 */
  readonly maxResponseBytes?: number;
  /** most varbinds in a GetBulk response; default 48 */
  readonly maxBulkVarbinds?: number;
  /** counters to update (share them with snmpGroupProviders to serve them); a fresh set when absent */
  readonly counters?: SnmpCounters;
  /** SNMPv3 (RFC 3414 USM): the local engine and its users; absent, v3 messages count as bad versions */
  readonly v3?: {
    readonly engine: SnmpEngine;
    readonly users: readonly SnmpUser[];
    /** usmStats and MPD counters (share them with v3CounterProviders); a fresh set when absent */
    readonly counters?: V3Counters;
  };
}

/** A read-only SNMPv1/v2c (and, with users, SNMPv3) agent answering from `tree`, one `capture()` of the state per PDU. */
export class SnmpAgent<V> {
  /** snmp-group counters (RFC 3418), for the MIB and for logs */
  readonly counters: SnmpCounters;
  readonly #tree: MibReader<V>;
  readonly #capture: () => V;
  readonly #opts: SnmpAgentOptions;
  readonly #log: Logger;
  readonly #communities: readonly Buffer[];
  readonly #warned = new Set<string>();
  readonly #v3: V3Processor<V> | undefined;
  #socket: Socket | undefined;

  constructor(tree: MibReader<V>, capture: () => V, opts: SnmpAgentOptions) {
    this.#tree = tree;
    this.#capture = capture;
    this.#opts = opts;
    this.counters = opts.counters ?? new SnmpCounters();
    this.#log = opts.log.child({ mod: 'snmp' });
    this.#communities = opts.communities.map((c) => Buffer.from(c, 'utf8'));
    const v3 = opts.v3;
    this.#v3 =
      v3 === undefined || v3.users.length === 0
        ? undefined
        : new V3Processor({
            engine: v3.engine,
            users: v3.users,
            counters: this.counters,
            v3Counters: v3.counters ?? new V3Counters(),
            tree,
            capture,
            maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
            maxBulkVarbinds: opts.maxBulkVarbinds ?? DEFAULT_MAX_BULK_VARBINDS,
          });
  }

  /** Bind the UDP socket and start answering; resolves with the bound port (the same port if already started). */
  async start(): Promise<number> {
    if (this.#socket !== undefined) return this.#socket.address().port;
    const address = this.#opts.address ?? '::';
    let socket: Socket;
    try {
      socket = await bind(isIP(address) === 4 ? { type: 'udp4' } : { type: 'udp6', ipv6Only: false }, address, this.#opts.port);
    } catch (err) {
      if (address !== '::' || !isNoIpv6(err)) throw err;
      this.#log.info({ err }, 'IPv6 unavailable; SNMP agent listens on IPv4 only');
      socket = await bind({ type: 'udp4' }, '0.0.0.0', this.#opts.port);
    }
    this.#socket = socket;
    socket.on('message', (packet, peer) => this.#onMessage(socket, packet, peer));
    socket.on('error', (err) => this.#log.warn({ err }, 'SNMP socket error'));
    const bound = socket.address();
    this.#log.info({ address: bound.address, port: bound.port, communities: this.#communities.length }, 'SNMP agent listening');
    return bound.port;
  }

  /** Close the socket; resolves once it is closed. Safe to call twice. */
  async stop(): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /**
   * Process one received datagram and return the response bytes, or undefined when it is dropped (counted).
   * Never throws. The UDP listener calls it; tests may too.
   */
  handlePacket(packet: Uint8Array): Uint8Array | undefined {
    this.counters.increment('snmpInPkts');
    if (this.#v3 !== undefined && isV3Packet(packet)) return this.#handleV3(this.#v3, packet);
    const request = this.#decode(packet);
    if (request === undefined) return undefined;
    if (!this.#isKnownCommunity(request.community)) {
      this.counters.increment('snmpInBadCommunityNames');
      this.#log.debug({ version: request.version }, 'SNMP message with an unknown community dropped');
      return undefined;
    }
    // Every community is read-only: a SET is an operation the community does not allow (RFC 3418 snmpInBadCommunityUses).
    if (request.pdu.type === 'set') this.counters.increment('snmpInBadCommunityUses');
    const result = respond(this.#tree, this.#capture, request, {
      maxResponseBytes: this.#opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxBulkVarbinds: this.#opts.maxBulkVarbinds ?? DEFAULT_MAX_BULK_VARBINDS,
      encode: encodeMessage,
    });
    if (result.failure !== undefined) this.#logFailure(result.failure, request);
    if (result.action === 'send') return result.bytes;
    switch (result.reason) {
      case 'too-big':
      case 'unencodable':
        this.counters.increment('snmpSilentDrops');
        break;
      case 'bulk-in-v1':
        this.counters.increment('snmpInASNParseErrs');
        break;
      case 'not-a-request':
        break;
      default: {
        const never: never = result.reason;
        throw new Error(`unknown drop reason ${String(never)}`);
      }
    }
    this.#log.debug({ reason: result.reason, op: request.pdu.type }, 'SNMP request dropped');
    return undefined;
  }

  /** An SNMPv3 packet: the USM path (RFC 3412 §7.2, RFC 3414 §3.2). */
  #handleV3(v3: V3Processor<V>, packet: Uint8Array): Uint8Array | undefined {
    let outcome: V3Outcome;
    try {
      outcome = v3.handle(packet);
    } catch (err) {
      this.#logFailure(err, undefined);
      return undefined;
    }
    if (outcome.failure !== undefined) this.#logFailure(outcome.failure, undefined);
    if (outcome.action === 'send') {
      if (outcome.report !== undefined) this.#log.debug({ report: outcome.report }, 'SNMPv3 report sent');
      return outcome.bytes;
    }
    if (outcome.reason === 'too-big' || outcome.reason === 'unencodable') this.counters.increment('snmpSilentDrops');
    this.#log.debug({ reason: outcome.reason }, 'SNMPv3 message dropped');
    return undefined;
  }

  /** Decode, counting bad versions and parse errors in the RFC 3418 counters; undefined when dropped. */
  #decode(packet: Uint8Array): CommunityMessage | undefined {
    try {
      return decodeMessage(packet);
    } catch (err) {
      if (err instanceof SnmpDecodeError && err.kind === 'badVersion') {
        this.counters.increment('snmpInBadVersions');
      } else {
        this.counters.increment('snmpInASNParseErrs');
        if (!(err instanceof SnmpDecodeError)) this.#logFailure(err, undefined);
      }
      this.#log.debug({ err, bytes: packet.length }, 'malformed SNMP message dropped');
      return undefined;
    }
  }

  #isKnownCommunity(community: Uint8Array): boolean {
    return this.#communities.some((c) => c.length === community.length && timingSafeEqual(c, community));
  }

  /** Log a provider, encoder or decoder exception: each distinct message once at warn, repeats at debug. */
  #logFailure(err: unknown, request: CommunityMessage | undefined): void {
    const key = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const op = request?.pdu.type;
    if (this.#warned.has(key) || this.#warned.size >= MAX_WARNED_FAILURES) {
      this.#log.debug({ err, op }, 'SNMP request failed with genErr');
      return;
    }
    this.#warned.add(key);
    this.#log.warn({ err, op }, 'SNMP request failed with genErr');
  }

  /** The socket listener: a packet never escapes as an exception. */
  #onMessage(socket: Socket, packet: Buffer, peer: RemoteInfo): void {
    let response: Uint8Array | undefined;
    try {
      response = this.handlePacket(packet);
    } catch (err) {
      this.#logFailure(err, undefined);
      return;
    }
    if (response === undefined) return;
    // No send callback: with one, Node schedules an extra native request and an immediate per datagram. A response
    // the kernel refuses is a lost datagram, as on the wire; the manager's retry asks again.
    socket.send(response, peer.port, peer.address);
  }
}

/** Create and bind a UDP socket; rejects with the bind error. */
async function bind(options: SocketOptions, address: string, port: number): Promise<Socket> {
  const socket = createSocket(options);
  try {
    socket.bind(port, address);
    await once(socket, 'listening');
    return socket;
  } catch (err) {
    socket.removeAllListeners();
    try {
      socket.close();
    } catch {
      // Never bound: nothing to close.
    }
    throw err;
  }
}

/** Whether a bind error means the host has no IPv6. */
function isNoIpv6(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EPROTONOSUPPORT';
}
