// The SNMPv2-MIB system group (RFC 3418) as snmp-printer-mib.md §2.1 fills it: sysDescr, sysObjectID, sysUpTime,
// sysContact, sysName (printer name), sysLocation (printer-location), sysServices.
// SPDX-License-Identifier: Apache-2.0
import { int, oidValue, scalar, text, timeticks, type Providers } from './mib-values.js';

/** system = 1.3.6.1.2.1.1 */
export const SYSTEM = [1, 3, 6, 1, 2, 1, 1] as const;

/** sysServices: physical (1) + applications (64) + end-to-end (8) = 72, the usual value for printers. */
const SYS_SERVICES = 72;

/** The system group scalars. */
export function systemGroup(): Providers {
  return [
    scalar([...SYSTEM, 1], (v) => text(v.sysDescr)),
    scalar([...SYSTEM, 2], (v) => oidValue(v.sysObjectId)),
    scalar([...SYSTEM, 3], (v) => timeticks(v.sysUpTime)),
    scalar([...SYSTEM, 4], (v) => text(v.sysContact)),
    scalar([...SYSTEM, 5], (v) => text(v.sysName)),
    scalar([...SYSTEM, 6], (v) => text(v.sysLocation)),
    scalar([...SYSTEM, 7], () => int(SYS_SERVICES)),
  ];
}
