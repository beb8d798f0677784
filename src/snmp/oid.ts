// OID helpers: lexicographic order (RFC 3416 §4.2.2 GetNext order), dotted text and prefix tests.
// SPDX-License-Identifier: Apache-2.0
import { FirmwareError } from '../errors.js';
import { oidSize } from './ber.js';
import type { Oid } from './types.js';

/** Orders OIDs arc by arc; a proper prefix sorts before its extensions. Negative, zero or positive like a sort comparator. */
export function compareOids(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** True when `oid` equals `prefix` or lies below it. */
export function oidStartsWith(oid: Oid, prefix: Oid): boolean {
  if (oid.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (oid[i] !== prefix[i]) return false;
  return true;
}

/** Dotted-decimal text of an OID, without a leading dot ("1.3.6.1.2.1.1.1.0"). */
export function oidToString(oid: Oid): string {
  return oid.join('.');
}

/**
 * Parses dotted-decimal text (a leading dot allowed) into an encodable OID: 2-128 arcs of 0..2^32-1 (RFC 2578 §3.5),
 * first arc 0-2, second below 40 under 0 and 1. Throws FirmwareError 'ERR_SNMP_ENCODE' otherwise.
 */
export function parseOid(text: string): Oid {
  const body = text.startsWith('.') ? text.slice(1) : text;
  const parts = body.split('.');
  const arcs: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,9})$/.test(part)) throw new FirmwareError('ERR_SNMP_ENCODE', `invalid OID text ${JSON.stringify(text)}`);
    arcs.push(Number(part));
  }
  oidSize(arcs);
  return arcs;
}
