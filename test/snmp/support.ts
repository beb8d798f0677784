// Shared helpers of the MIB tests: an SnmpState on a fake-engine Printer and subtree walks.
// SPDX-License-Identifier: Apache-2.0
import type { Printer } from '../../src/printer/printer.js';
import type { GenericMibTree } from '../../src/snmp/mib.js';
import type { Oid, VarBind } from '../../src/snmp/types.js';
import { SnmpState } from '../../src/snmp/view.js';

/** The placeholder enterprise OID the tests use. */
export const TEST_SYS_OBJECT_ID: Oid = [1, 3, 6, 1, 4, 1, 99999, 1];

/** An SnmpState on `printer` with a manual clock (milliseconds); closed at teardown. */
export function snmpState(
  t: { teardown: (fn: () => unknown) => void },
  printer: Printer,
  clock: { ms: number } = { ms: 0 },
): SnmpState {
  const state = new SnmpState(printer, {
    sysObjectId: TEST_SYS_OBJECT_ID,
    firmwareVersion: '0.1.0',
    boardName: 'Test Board',
    printerUri: () => `ipp://printer.local:${printer.port}/ipp/print`,
    clock: () => clock.ms,
  });
  t.teardown(() => state.close());
  return state;
}

/** Every varbind under `prefix`, in walk order. */
export function walk<V extends object>(tree: GenericMibTree<V>, view: V, prefix: Oid = []): VarBind[] {
  const out: VarBind[] = [];
  let oid: Oid = prefix;
  for (;;) {
    const vb = tree.next(view, oid);
    if (!vb || !prefix.every((a, i) => vb.oid[i] === a)) return out;
    out.push(vb);
    oid = vb.oid;
  }
}

/** The OID as dotted text. */
export const dotted = (oid: Oid): string => oid.join('.');
