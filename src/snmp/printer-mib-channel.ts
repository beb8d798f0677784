// Printer MIB v2 (RFC 3805) channel and interpreter tables (snmp-printer-mib.md §2.3): one IPP channel, one
// interpreter per document format the printer accepts (document-format-supported order, then native formats).
// SPDX-License-Identifier: Apache-2.0
import { resolveCapabilities } from '../printer/printer-capabilities.js';
import { HR_DEVICE_INDEX } from './host-resources.js';
import type { TableRow } from './mib.js';
import { int, span, table, tableRow, text, type Providers } from './mib-values.js';
import { PRT } from './printer-mib-codes.js';
import { prt, subunitStatus } from './printer-mib-status.js';
import type { SnmpPrinterView } from './view.js';

/**
 * PrtInterpreterLangFamilyTC by MIME type. langPDF 54 and langPWGRaster 84 per snmp-printer-mib.md §2.3; langAutomatic
 * 37 for auto-sensing; langJPEG 61 is from the 2004+ IANA-PRINTER-MIB list [unverified]; anything else is other(1).
 */
const LANG_FAMILY: Readonly<Record<string, number>> = {
  'application/octet-stream': 37,
  'application/pdf': 54,
  'image/jpeg': 61,
  'image/pwg-raster': 84,
};

/** The interpreters: accepted formats without duplicates. */
function formats(v: SnmpPrinterView): string[] {
  return [...new Set([...v.config.documentFormats, ...v.caps.passthroughFormats])];
}

/** prtChannelInformation for chIPP: the RFC 3805 keyword form `URI=<printer-uri>`. */
function channel(v: SnmpPrinterView): TableRow {
  const defaultIndex = formats(v).indexOf(v.config.documentFormatDefault) + 1;
  return tableRow([HR_DEVICE_INDEX, 1], {
    2: int(PRT.chIPP),
    3: text('2.0', 63),
    4: int(0),
    5: int(defaultIndex),
    6: int(v.printer.isAcceptingJobs ? PRT.printDataAccepted : PRT.noDataAccepted),
    8: int(subunitStatus(v, ['channel'])),
    9: text(`URI=${v.printerUri}`),
  });
}

function interpreters(v: SnmpPrinterView): TableRow[] {
  const res = resolveCapabilities(v.caps).resolutions;
  const x = Math.max(-1, ...res.map((r) => r.x));
  const y = Math.max(-1, ...res.map((r) => r.y));
  return formats(v).map((format, i) =>
    tableRow([HR_DEVICE_INDEX, i + 1], {
      2: int(LANG_FAMILY[format] ?? 1),
      3: text('', 31),
      4: text('', 31),
      5: text(format, 255),
      6: text(v.firmwareVersion, 31),
      7: int(PRT.portrait),
      8: int(y),
      9: int(x),
      10: int(PRT.charsetUnknown),
      11: int(PRT.charsetUnknown),
      12: int(PRT.twoWayNo),
    }),
  );
}

/** prtChannel, prtInterpreter. */
export function printerMibChannel(): Providers {
  return [
    table(prt(14, 1, 1), [2, 3, 4, 5, 6, 8, 9], (v) => [channel(v)]),
    table(prt(15, 1, 1), span(2, 12), interpreters),
  ];
}
