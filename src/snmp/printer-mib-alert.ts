// Printer MIB v2 (RFC 3805 §2.2.13) prtAlertTable from the SnmpState alert rows. prtAlertIndex (column 1) is
// accessible-for-notify only and never appears in GET or walks (snmp-printer-mib.md §2.3 notes).
// SPDX-License-Identifier: Apache-2.0
import { HR_DEVICE_INDEX } from './host-resources.js';
import { int, span, table, tableRow, text, timeticks, type Providers } from './mib-values.js';
import { prt } from './printer-mib-status.js';

/** prtAlertEntry = 1.3.6.1.2.1.43.18.1.1 */
export const PRT_ALERT_ENTRY = prt(18, 1, 1);

/** prtAlertGroupIndex of every row: -1 "not applicable" (the rows name no sub-unit row). */
export const ALERT_GROUP_INDEX_NONE = -1;
/** prtAlertLocation of every row: -2 "unknown". */
export const ALERT_LOCATION_UNKNOWN = -2;

/** The alert table. */
export function printerMibAlert(): Providers {
  return [
    table(PRT_ALERT_ENTRY, span(2, 9), (v) =>
      v.alerts.map((a) =>
        tableRow([HR_DEVICE_INDEX, a.index], {
          2: int(a.severity),
          3: int(a.training),
          4: int(a.group),
          5: int(ALERT_GROUP_INDEX_NONE),
          6: int(ALERT_LOCATION_UNKNOWN),
          7: int(a.code),
          8: text(a.description),
          9: timeticks(a.time),
        }),
      ),
    ),
  ];
}
