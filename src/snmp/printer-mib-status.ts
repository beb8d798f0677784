// Shared pieces of the Printer MIB modules: the printmib OID, entry OIDs, and PrtSubUnitStatusTC (RFC 3805) of a
// sub-unit computed from the printer state and the alert rows of the sub-unit's alert groups.
// SPDX-License-Identifier: Apache-2.0
import { reasonBase } from '../printer/stopping-reasons.js';
import { SEVERITY_LEVEL, SUBUNIT } from './printer-mib-codes.js';
import type { SnmpPrinterView } from './view.js';

/** printmib = 1.3.6.1.2.1.43 */
export const PRINTMIB = [1, 3, 6, 1, 2, 1, 43] as const;

/** An xxxEntry OID under printmib, e.g. prt(11, 1, 1) for prtMarkerSuppliesEntry. */
export function prt(...arcs: number[]): number[] {
  return [...PRINTMIB, ...arcs];
}

/** Whether a reason with this base keyword is present (any severity suffix). */
export function hasReason(v: SnmpPrinterView, ...bases: string[]): boolean {
  return v.printer.reasons.some((r) => bases.includes(reasonBase(r)));
}

/**
 * PrtSubUnitStatusTC for a sub-unit whose alerts are in `groups` (PrtAlertGroupTC labels): available and idle or
 * active, plus the critical / non-critical alert bits and the off-line bit (paused or offline printer).
 */
export function subunitStatus(v: SnmpPrinterView, groups: readonly string[]): number {
  let status: number = v.printer.state === 'processing' ? SUBUNIT.availableActive : SUBUNIT.availableIdle;
  const alerts = v.alerts.filter((a) => groups.includes(a.groupLabel));
  if (alerts.some((a) => a.severity === SEVERITY_LEVEL.critical)) status |= SUBUNIT.criticalAlert;
  if (alerts.some((a) => a.severity === SEVERITY_LEVEL.warning)) status |= SUBUNIT.nonCriticalAlert;
  if (hasReason(v, 'offline', 'paused')) status |= SUBUNIT.offLine;
  return status;
}
