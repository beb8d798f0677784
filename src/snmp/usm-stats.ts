// SNMPv3 error counters: usmStats (SNMP-USER-BASED-SM-MIB, RFC 3414 §5), snmpMPDStats (SNMP-MPD-MIB, RFC 3412 §5)
// and snmpUnknownContexts (SNMP-TARGET-MIB, RFC 3413 §4.1.1), with scalar providers that serve them.
// SPDX-License-Identifier: Apache-2.0
import type { ScalarProvider } from './mib.js';
import type { Oid } from './types.js';

/** Counter names as the MIBs spell them, each with its object OID (the instance is `.0`). */
export const V3_COUNTER_OIDS = {
  snmpUnknownSecurityModels: [1, 3, 6, 1, 6, 3, 11, 2, 1, 1],
  snmpInvalidMsgs: [1, 3, 6, 1, 6, 3, 11, 2, 1, 2],
  snmpUnknownPDUHandlers: [1, 3, 6, 1, 6, 3, 11, 2, 1, 3],
  snmpUnknownContexts: [1, 3, 6, 1, 6, 3, 12, 1, 5],
  usmStatsUnsupportedSecLevels: [1, 3, 6, 1, 6, 3, 15, 1, 1, 1],
  usmStatsNotInTimeWindows: [1, 3, 6, 1, 6, 3, 15, 1, 1, 2],
  usmStatsUnknownUserNames: [1, 3, 6, 1, 6, 3, 15, 1, 1, 3],
  usmStatsUnknownEngineIDs: [1, 3, 6, 1, 6, 3, 15, 1, 1, 4],
  usmStatsWrongDigests: [1, 3, 6, 1, 6, 3, 15, 1, 1, 5],
  usmStatsDecryptionErrors: [1, 3, 6, 1, 6, 3, 15, 1, 1, 6],
} as const satisfies Record<string, Oid>;

/** One of the SNMPv3 counters. */
export type V3CounterName = keyof typeof V3_COUNTER_OIDS;

/** Counter32 values of the SNMPv3 counters; each wraps at 2^32. */
export class V3Counters {
  readonly #values = new Map<V3CounterName, number>();

  /** Add one to `name` and return the new value (a report carries it, RFC 3412 §7.1 step 3). */
  increment(name: V3CounterName): number {
    const value = ((this.#values.get(name) ?? 0) + 1) >>> 0;
    this.#values.set(name, value);
    return value;
  }

  /** The current value of `name`. */
  get(name: V3CounterName): number {
    return this.#values.get(name) ?? 0;
  }
}

/** Scalar providers for the SNMPv3 counters reading `counters` live (agent state: they ignore the view). */
export function v3CounterProviders(counters: V3Counters): ScalarProvider<object>[] {
  const names = Object.keys(V3_COUNTER_OIDS) as V3CounterName[];
  return names.map((name): ScalarProvider<object> => ({
    kind: 'scalar',
    oid: V3_COUNTER_OIDS[name],
    read: () => ({ type: 'counter32', value: counters.get(name) }),
  }));
}
