// Test fakes for the agent: an in-memory MIB over a sorted list, and a message encoder with predictable sizes.
// SPDX-License-Identifier: Apache-2.0
import type { MibReader } from '../../src/snmp/respond.js';
import type { CommunityMessage, Oid, Pdu, SnmpValue, VarBind } from '../../src/snmp/types.js';

/** Lexicographic OID order (local copy so the fake does not depend on the module under test). */
export function cmp(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A value, or a function that reads it from the view (it may throw, like a broken provider). */
export type FakeCell = SnmpValue | ((view: number) => SnmpValue);

/** A MIB over fixed instances; the view is a number counting capture() calls. */
export class FakeTree implements MibReader<number> {
  readonly #rows: { oid: Oid; cell: FakeCell }[];
  gets = 0;
  nexts = 0;

  constructor(rows: readonly (readonly [string, FakeCell])[]) {
    this.#rows = rows.map(([oid, cell]) => ({ oid: parse(oid), cell })).sort((a, b) => cmp(a.oid, b.oid));
  }

  get(view: number, oid: Oid): SnmpValue {
    this.gets++;
    const row = this.#rows.find((r) => cmp(r.oid, oid) === 0);
    return row === undefined ? { type: 'noSuchObject' } : read(row.cell, view);
  }

  next(view: number, oid: Oid): VarBind | undefined {
    this.nexts++;
    const row = this.#rows.find((r) => cmp(r.oid, oid) > 0);
    return row === undefined ? undefined : { oid: row.oid, value: read(row.cell, view) };
  }
}

function read(cell: FakeCell, view: number): SnmpValue {
  return typeof cell === 'function' ? cell(view) : cell;
}

/** '1.3.6' -> [1, 3, 6]. */
export function parse(text: string): Oid {
  return text.split('.').map(Number);
}

/** An integer value. */
export function int(value: number): SnmpValue {
  return { type: 'integer', value };
}

/** An octets value from ASCII text. */
export function str(text: string): SnmpValue {
  return { type: 'octets', value: new TextEncoder().encode(text) };
}

/** A request message; for getBulk pass non-repeaters and max-repetitions as errorStatus / errorIndex. */
export function request(
  version: 0 | 1,
  type: Pdu['type'],
  oids: readonly string[],
  errorStatus = 0,
  errorIndex = 0,
): CommunityMessage {
  return {
    version,
    community: new TextEncoder().encode('public'),
    pdu: { type, requestId: 42, errorStatus, errorIndex, varbinds: oids.map((o) => ({ oid: parse(o), value: { type: 'null' } })) },
  };
}

/**
 * A fake encoder whose size is 20 + 10 per varbind + octets length; it throws on a non-integer 'integer' value
 * (what the real codec refuses). Returns zero-filled bytes of that size.
 */
export function fakeEncode(msg: CommunityMessage): Uint8Array {
  let size = 20;
  for (const vb of msg.pdu.varbinds) {
    if (vb.value.type === 'integer' && !Number.isInteger(vb.value.value)) throw new RangeError('not an int32');
    size += 10 + (vb.value.type === 'octets' ? vb.value.value.length : 0);
  }
  return new Uint8Array(size);
}

/** Varbinds as "oid=type" strings for compact assertions. */
export function shape(varbinds: readonly VarBind[]): string[] {
  return varbinds.map((vb) => `${vb.oid.join('.')}=${vb.value.type}`);
}
