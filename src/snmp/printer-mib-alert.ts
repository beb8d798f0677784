// Printer MIB v2 (RFC 3805 §2.2.13) prtAlertTable from the SnmpState alert rows. prtAlertIndex (column 1) is
// accessible-for-notify only and never appears in GET or walks (snmp-printer-mib.md §2.3 notes).
// SPDX-License-Identifier: Apache-2.0
import { HR_DEVICE_INDEX } from './host-resources.js';
import { int, span, table, tableRow, text, timeticks, type Providers } from './mib-values.js';
import { prt } from './printer-mib-status.js';

/** prtAlertEntry = 1.3.6.1.2.1.43.18.1.1 */
export const PRT_ALERT_ENTRY = prt(18, 1, 1);

/** prtAlertGroupIndex / prtAlertLocation when not known (-1 "not applicable", -2 "unknown"). */
const NOT_APPLICABLE = -1;
const UNKNOWN = -2;

/** The alert table. */
export function printerMibAlert(): Providers {
  return [
    table(PRT_ALERT_ENTRY, span(2, 9), (v) =>
      v.alerts.map((a) =>
        tableRow([HR_DEVICE_INDEX, a.index], {
          2: int(a.severity),
          3: int(a.training),
          4: int(a.group),
          5: int(NOT_APPLICABLE),
          6: int(UNKNOWN),
          7: int(a.code),
          8: text(a.description),
          9: timeticks(a.time),
        }),
      ),
    ),
  ];
}
