// Printer MIB v2 (RFC 3805) general printer, cover, localization and console (display buffer, lights) tables
// (snmp-printer-mib.md §2.3).
// SPDX-License-Identifier: Apache-2.0
import { counter32, int, span, table, tableRow, text, type Providers } from './mib-values.js';
import { PRT } from './printer-mib-codes.js';
import { hasReason, prt } from './printer-mib-status.js';
import type { SnmpPrinterView } from './view.js';
import { HR_DEVICE_INDEX } from './host-resources.js';

/** Characters in the one display line (prtConsoleDisplayBufferText is OCTET STRING (SIZE(0..255))). */
const DISPLAY_CHARS = 255;

/** prtGeneralEntry: indexed by hrDeviceIndex only, so column 1 is a value, not an index. */
function general(v: SnmpPrinterView): ReturnType<typeof tableRow> {
  const serial = /(?:^|;)SN:([^;]*)/.exec(v.deviceId)?.[1] ?? '';
  return tableRow([HR_DEVICE_INDEX], {
    1: counter32(v.counters.configChanges),
    2: int(1),
    3: int(PRT.notResetting),
    4: text(''),
    5: text(''),
    6: int(1),
    7: int(1),
    8: int(1),
    9: int(1),
    10: int(1),
    11: int(1),
    12: int(DISPLAY_CHARS),
    13: int(PRT.consoleDisabled),
    14: int(PRT.presentNotPresent),
    15: int(PRT.presentNotPresent),
    16: text(v.config.name, 127),
    17: text(serial),
    18: counter32(v.counters.alertCritical),
    19: counter32(v.counters.alertAll),
  });
}

/** prtCoverStatus: interlock-open wins over cover/door open; closed otherwise. */
function coverStatus(v: SnmpPrinterView): number {
  if (hasReason(v, 'interlock-open')) return PRT.interlockOpen;
  if (hasReason(v, 'cover-open', 'door-open')) return PRT.coverOpen;
  return PRT.coverClosed;
}

/** Console lights: 1 Ready (green; steady when idle, blinking while printing, off when stopped), 2 Attention. */
function lights(v: SnmpPrinterView): ReturnType<typeof tableRow>[] {
  const stopped = v.printer.state === 'stopped';
  const busy = v.printer.state === 'processing';
  const attention = v.status.weight !== 'none';
  return [
    tableRow([HR_DEVICE_INDEX, 1], {
      2: int(stopped ? 0 : busy ? 500 : 1000),
      3: int(busy && !stopped ? 500 : 0),
      4: int(PRT.colorGreen),
      5: text('Ready'),
    }),
    tableRow([HR_DEVICE_INDEX, 2], {
      2: int(attention ? 1000 : 0),
      3: int(0),
      4: int(PRT.colorOrange),
      5: text('Attention'),
    }),
  ];
}

/** prtGeneral, prtCover, prtLocalization, prtConsoleDisplayBuffer, prtConsoleLight. */
export function printerMibGeneral(): Providers {
  return [
    table(prt(5, 1, 1), span(1, 19), (v) => [general(v)], []),
    table(prt(6, 1, 1), [2, 3], (v) => [
      tableRow([HR_DEVICE_INDEX, 1], { 2: text('Cover'), 3: int(coverStatus(v)) }),
    ]),
    table(prt(7, 1, 1), [2, 3, 4], () => [
      tableRow([HR_DEVICE_INDEX, 1], { 2: text('en'), 3: text('US'), 4: int(PRT.csUTF8) }),
    ]),
    table(prt(16, 5, 1), [2], (v) => [
      tableRow([HR_DEVICE_INDEX, 1], { 2: text(v.printer.message, DISPLAY_CHARS) }),
    ]),
    table(prt(17, 6, 1), span(2, 5), lights),
  ];
}
