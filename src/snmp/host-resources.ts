// HOST-RESOURCES-MIB (RFC 2790) hrDeviceTable and hrPrinterTable, row hrDeviceIndex = 1 only
// (snmp-printer-mib.md §1-§2.2: clients hard-code index 1).
// SPDX-License-Identifier: Apache-2.0
import type { TableRow } from './mib.js';
import type { SnmpPrinterView } from './view.js';
import { bytes, counter32, int, oidValue, span, table, tableRow, text, type Providers } from './mib-values.js';

/** hrDeviceEntry = 1.3.6.1.2.1.25.3.2.1 */
export const HR_DEVICE_ENTRY = [1, 3, 6, 1, 2, 1, 25, 3, 2, 1] as const;
/** hrPrinterEntry = 1.3.6.1.2.1.25.3.5.1 */
export const HR_PRINTER_ENTRY = [1, 3, 6, 1, 2, 1, 25, 3, 5, 1] as const;
/** hrDevicePrinter = 1.3.6.1.2.1.25.3.1.5 (the hrDeviceType value) */
export const HR_DEVICE_PRINTER = [1, 3, 6, 1, 2, 1, 25, 3, 1, 5] as const;
/** The one device index we serve. */
export const HR_DEVICE_INDEX = 1;

/** hrDeviceEntry (hrDeviceIndex is read-only in RFC 2790, so it is served) and hrPrinterEntry. */
export function hostResources(): Providers {
  const device = (v: SnmpPrinterView): TableRow =>
    tableRow([HR_DEVICE_INDEX], {
      1: int(HR_DEVICE_INDEX),
      2: oidValue(HR_DEVICE_PRINTER),
      3: text(v.hrDeviceDescr, 64),
      4: oidValue([0, 0]),
      5: int(v.status.hrDeviceStatus),
      6: counter32(v.counters.alertCritical),
    });
  const printer = (v: SnmpPrinterView): TableRow =>
    tableRow([HR_DEVICE_INDEX], { 1: int(v.status.hrPrinterStatus), 2: bytes(v.status.errorState) });
  return [table(HR_DEVICE_ENTRY, span(1, 6), (v) => [device(v)], []), table(HR_PRINTER_ENTRY, [1, 2], (v) => [printer(v)], [])];
}
