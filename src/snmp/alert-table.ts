// prtAlertTable contents (RFC 3805 §2.2.13, snmp-printer-mib.md §3.3): one row per alert-worthy printer-state-reason,
// added when the reason appears and removed when it clears, with increasing prtAlertIndex and uint32 event counters.
// SPDX-License-Identifier: Apache-2.0
import { alertsForReasons, describeReason, type PrinterAlert } from '../printer/alert.js';
import { ALERT_CODE, ALERT_GROUP, SEVERITY_LEVEL, TRAINING_LEVEL } from './printer-mib-codes.js';

/** One prtAlertEntry, already in MIB integers. */
export interface AlertRow {
  /** prtAlertIndex, > 0, increasing */
  readonly index: number;
  /** the printer-state-reasons keyword (with suffix) the row stands for */
  readonly reason: string;
  readonly severity: number;
  readonly training: number;
  readonly group: number;
  /** the group's labels as printer-alert spells them (for sub-unit status) */
  readonly groupLabel: string;
  readonly code: number;
  readonly description: string;
  /** sysUpTime at insertion */
  readonly time: number;
}

/** The event counters of prtGeneral. */
export interface AlertCounters {
  alertAll: number;
  alertCritical: number;
}

/** prtAlertIndex is Integer32 (1..2147483647); wrap back to 1 after the largest. */
const MAX_INDEX = 0x7fffffff;

function toRow(alert: PrinterAlert, reason: string, index: number, time: number): AlertRow {
  const { code, group, training } = alert.mapping;
  return {
    index,
    reason,
    severity: SEVERITY_LEVEL[alert.severity],
    training: TRAINING_LEVEL[training] ?? TRAINING_LEVEL['unknown'] ?? 2,
    group: ALERT_GROUP[group] ?? ALERT_GROUP['other'] ?? 1,
    groupLabel: group,
    code: ALERT_CODE[code] ?? ALERT_CODE['other'] ?? 1,
    description: describeReason(alert.reason),
    time,
  };
}

/** The live alert table; `sync` is called with the current reasons whenever they may have changed. */
export class AlertTable {
  #rows = new Map<string, AlertRow>();
  #lastIndex = 0;
  readonly counters: AlertCounters = { alertAll: 0, alertCritical: 0 };
  readonly #onAdd: ((row: AlertRow) => void) | undefined;

  /** `onAdd` is called for every row added by `sync`, after the table holds it. */
  constructor(onAdd?: (row: AlertRow) => void) {
    this.#onAdd = onAdd;
  }

  /** Current rows in prtAlertIndex order. */
  get rows(): readonly AlertRow[] {
    return [...this.#rows.values()].sort((a, b) => a.index - b.index);
  }

  /** Add rows for new alert reasons (time = `sysUpTime`), drop rows whose reason cleared. True when anything changed. */
  sync(reasons: readonly string[], sysUpTime: number): boolean {
    const wanted = new Map<string, PrinterAlert>();
    for (const reason of reasons) {
      const alert = alertsForReasons([reason])[0];
      if (alert) wanted.set(reason, alert);
    }
    let changed = false;
    for (const key of [...this.#rows.keys()]) {
      if (!wanted.has(key)) {
        this.#rows.delete(key);
        changed = true;
      }
    }
    for (const [reason, alert] of wanted) {
      if (this.#rows.has(reason)) continue;
      this.#lastIndex = this.#lastIndex >= MAX_INDEX ? 1 : this.#lastIndex + 1;
      const row = toRow(alert, reason, this.#lastIndex, sysUpTime);
      this.#rows.set(reason, row);
      this.#onAdd?.(row);
      this.counters.alertAll = (this.counters.alertAll + 1) >>> 0;
      if (alert.severity === 'critical') this.counters.alertCritical = (this.counters.alertCritical + 1) >>> 0;
      changed = true;
    }
    return changed;
  }
}
