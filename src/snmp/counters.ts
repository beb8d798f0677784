// SNMP protocol counters of the snmp group (SNMPv2-MIB, RFC 3418 §2): what the agent counts as it receives, and
// scalar providers that serve them (snmpGroup and snmpCommunityGroup).
// SPDX-License-Identifier: Apache-2.0
import type { ScalarProvider } from './mib.js';
import type { Oid } from './types.js';

/** Counter names as RFC 3418 spells them, each with its object OID (the instance is `.0`). */
export const SNMP_COUNTER_OIDS = {
  snmpInPkts: [1, 3, 6, 1, 2, 1, 11, 1],
  snmpInBadVersions: [1, 3, 6, 1, 2, 1, 11, 3],
  snmpInBadCommunityNames: [1, 3, 6, 1, 2, 1, 11, 4],
  snmpInBadCommunityUses: [1, 3, 6, 1, 2, 1, 11, 5],
  snmpInASNParseErrs: [1, 3, 6, 1, 2, 1, 11, 6],
  snmpSilentDrops: [1, 3, 6, 1, 2, 1, 11, 31],
  snmpProxyDrops: [1, 3, 6, 1, 2, 1, 11, 32],
} as const satisfies Record<string, Oid>;

/** snmpEnableAuthenTraps (RFC 3418): the agent sends no authenticationFailure traps. */
const SNMP_ENABLE_AUTHEN_TRAPS: Oid = [1, 3, 6, 1, 2, 1, 11, 30];
const AUTHEN_TRAPS_DISABLED = 2;

/** One of the snmp-group counters. */
export type SnmpCounterName = keyof typeof SNMP_COUNTER_OIDS;

/** Counter32 values of the snmp group; each wraps at 2^32 like the MIB type. */
export class SnmpCounters {
  readonly #values = new Map<SnmpCounterName, number>();

  /** Add one to `name` (Counter32 wrap, RFC 2578 §7.1.6). */
  increment(name: SnmpCounterName): void {
    this.#values.set(name, ((this.#values.get(name) ?? 0) + 1) >>> 0);
  }

  /** The current value of `name`. */
  get(name: SnmpCounterName): number {
    return this.#values.get(name) ?? 0;
  }

  /** Every counter with its current value. */
  snapshot(): Readonly<Record<SnmpCounterName, number>> {
    const names = Object.keys(SNMP_COUNTER_OIDS) as SnmpCounterName[];
    return Object.fromEntries(names.map((name) => [name, this.get(name)])) as Record<SnmpCounterName, number>;
  }
}

/**
 * Scalar providers for the snmp group (1.3.6.1.2.1.11) reading `counters` live (they are agent state, not printer
 * state, so they ignore the view). Share `counters` with the agent through SnmpAgentOptions.counters.
 */
export function snmpGroupProviders(counters: SnmpCounters): ScalarProvider<object>[] {
  const names = Object.keys(SNMP_COUNTER_OIDS) as SnmpCounterName[];
  return [
    ...names.map((name): ScalarProvider<object> => ({
      kind: 'scalar',
      oid: SNMP_COUNTER_OIDS[name],
      read: () => ({ type: 'counter32', value: counters.get(name) }),
    })),
    { kind: 'scalar', oid: SNMP_ENABLE_AUTHEN_TRAPS, read: () => ({ type: 'integer', value: AUTHEN_TRAPS_DISABLED }) },
  ];
}
