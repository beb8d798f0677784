// Value and provider constructors for the MIB modules: SMIv2 values (RFC 2578) built from numbers and text, with
// uint32 wrapping and UTF-8 text cut to the object's SIZE, plus scalar/table provider shorthands.
// SPDX-License-Identifier: Apache-2.0
import type { MibProvider, ScalarProvider, TableProvider, TableRow } from './mib.js';
import type { Oid, SnmpValue } from './types.js';
import type { SnmpPrinterView } from './view.js';

/** INTEGER / Integer32 (clamped to the signed 32-bit range). */
export function int(n: number): SnmpValue {
  const v = Number.isFinite(n) ? Math.trunc(n) : 0;
  return { type: 'integer', value: Math.max(-0x80000000, Math.min(0x7fffffff, v)) };
}

/** Counter32 (wrapped modulo 2^32). */
export function counter32(n: number): SnmpValue {
  return { type: 'counter32', value: Math.trunc(n) >>> 0 };
}

/** Gauge32 (clamped to 0..2^32-1, as RFC 2578 §7.1.7 latches). */
export function gauge32(n: number): SnmpValue {
  return { type: 'gauge32', value: Math.max(0, Math.min(0xffffffff, Math.trunc(n))) };
}

/** TimeTicks in hundredths of a second (wrapped modulo 2^32). */
export function timeticks(n: number): SnmpValue {
  return { type: 'timeticks', value: Math.trunc(n) >>> 0 };
}

/** OBJECT IDENTIFIER. */
export function oidValue(oid: Oid): SnmpValue {
  return { type: 'oid', value: oid };
}

/** Raw OCTET STRING (binary values such as bit strings). */
export function bytes(value: Uint8Array): SnmpValue {
  return { type: 'octets', value };
}

/** Text as UTF-8 bytes, cut to at most `max` octets without splitting a character. */
export function text(s: string, max = 255): SnmpValue {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= max) return { type: 'octets', value: buf };
  let end = max;
  // Back up over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return { type: 'octets', value: buf.subarray(0, end) };
}

/** TruthValue (RFC 2579): true(1), false(2). */
export function truth(b: boolean): SnmpValue {
  return int(b ? 1 : 2);
}

/** A scalar provider (instance `oid.0`). */
export function scalar(oid: Oid, read: (v: SnmpPrinterView) => SnmpValue): ScalarProvider<SnmpPrinterView> {
  return { kind: 'scalar', oid, read };
}

/** One table row from column id -> value pairs (undefined values are left out). */
export function tableRow(index: Oid, cells: Readonly<Record<number, SnmpValue | undefined>>): TableRow {
  const map = new Map<number, SnmpValue>();
  for (const [k, v] of Object.entries(cells)) if (v) map.set(Number(k), v);
  return { index, cells: map };
}

/** `first..last` as a list (column numbers). */
export function span(first: number, last: number): number[] {
  const out: number[] = [];
  for (let id = first; id <= last; id++) out.push(id);
  return out;
}

/**
 * A table provider serving `columns`; the not-accessible INDEX columns in `indexColumns` (by default [1], the
 * Printer MIB convention) are declared but never served. Undeclared columns answer noSuchObject.
 */
export function table(
  entryOid: Oid,
  columns: readonly number[],
  rows: (v: SnmpPrinterView) => Iterable<TableRow>,
  indexColumns: readonly number[] = [1],
): TableProvider<SnmpPrinterView> {
  return {
    kind: 'table',
    entryOid,
    columns: [...indexColumns.map((id) => ({ id, accessible: false })), ...columns.map((id) => ({ id, accessible: true }))],
    rows,
  };
}

/** The list type the MIB modules return. */
export type Providers = MibProvider<SnmpPrinterView>[];
