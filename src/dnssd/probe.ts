// mDNS name probing (RFC 6762 §8.1) and the "Name (2)" rename sequence (RFC 6763 Appendix D) for the Advertiser.
// Works on the multicast-dns socket that advertise.ts hands in; imports no mDNS library itself.
// SPDX-License-Identifier: Apache-2.0

import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError } from '../errors.js';
import { truncateUtf8 } from '../ipp/utf8.js';

/** Probe queries per candidate name and their spacing (RFC 6762 §8.1). */
const PROBE_COUNT = 3;
const PROBE_INTERVAL_MS = 250;
/** Renames tried before giving up ("Name (2)" ... "Name (MAX_RENAMES + 1)"). */
const MAX_RENAMES = 30;
/** DNS label limit for the instance name (RFC 6763 §4.1.1). */
const MAX_INSTANCE_NAME_BYTES = 63;

/** The part of a multicast-dns socket that probing uses. */
export interface MdnsSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  query(questions: readonly { name: string; type: string }[], callback: (err: unknown) => void): void;
}

/** Options for {@link probe}. */
export interface ProbeOptions {
  /** ends the probe early by rejecting with an AbortError */
  readonly signal: AbortSignal;
  /** called when a query could not be sent */
  readonly onSendError: (err: unknown) => void;
}

/**
 * Whether another responder owns any of `fqdns`: query ANY for them PROBE_COUNT times, 250 ms apart, and look
 * for live answers. Deviation from RFC 6762 §8.1-8.2: no authority section and no simultaneous-probe
 * tie-break, so two printers probing the same name at the same moment are not told apart.
 */
export async function probe(mdns: MdnsSocket, fqdns: readonly string[], opts: ProbeOptions): Promise<boolean> {
  const wanted = new Set(fqdns.map((name) => name.toLowerCase()));
  let isTaken = false;
  const onResponse = (packet: unknown): void => {
    if (liveRecordNames(packet).some((name) => wanted.has(name.toLowerCase()))) isTaken = true;
  };
  const questions = fqdns.map((name) => ({ name, type: 'ANY' }));
  mdns.on('response', onResponse);
  try {
    // Random start so printers powered on together do not probe in lockstep
    await delay(Math.random() * PROBE_INTERVAL_MS, undefined, { signal: opts.signal });
    for (let i = 0; i < PROBE_COUNT && !isTaken; i++) {
      mdns.query(questions, (err) => {
        if (err !== null && err !== undefined) opts.onSendError(err);
      });
      await delay(PROBE_INTERVAL_MS, undefined, { signal: opts.signal });
    }
    return isTaken;
  } finally {
    mdns.removeListener('response', onResponse);
  }
}

/** Names of the live (TTL > 0) answer and additional records of a decoded mDNS response; goodbyes do not count. */
function liveRecordNames(packet: unknown): string[] {
  const names: string[] = [];
  if (typeof packet !== 'object' || packet === null) return names;
  for (const section of ['answers', 'additionals']) {
    const records: unknown = Reflect.get(packet, section);
    if (!Array.isArray(records)) continue;
    for (const record of records as unknown[]) {
      if (typeof record !== 'object' || record === null) continue;
      const name: unknown = Reflect.get(record, 'name');
      if (typeof name === 'string' && Reflect.get(record, 'ttl') !== 0) names.push(name);
    }
  }
  return names;
}

/** "Name", then "Name (2)", "Name (3)"...; a name already ending in " (n)" continues from n + 1. */
export function* candidateNames(requested: string): Generator<string> {
  yield requested;
  const match = /^(.*\S) \((\d+)\)$/.exec(requested);
  const base = match?.[1] ?? requested;
  const first = match?.[2] === undefined ? 2 : Number(match[2]) + 1;
  for (let n = first; n < first + MAX_RENAMES; n++) {
    const suffix = ` (${n})`;
    yield truncateUtf8(base, MAX_INSTANCE_NAME_BYTES - Buffer.byteLength(suffix)).trimEnd() + suffix;
  }
}

/** Instance name as it will be sent: dots become '-' (bonjour-service cannot escape them), at most 63 bytes. */
export function normalizeInstanceName(name: string): string {
  const normalized = truncateUtf8(name.trim().split('.').join('-'), MAX_INSTANCE_NAME_BYTES).trimEnd();
  if (normalized === '') throw new ConfigError('DNS-SD instance name is empty');
  return normalized;
}
