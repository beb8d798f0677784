// PWG 5107.1-2005 Port Monitor MIB (ppmMIB = 1.3.6.1.4.1.2699.1.2, snmp-printer-mib.md §2.4): one printer, one IPP
// port. CUPS reads ppmPrinterIEEE1284DeviceId.1 and ppmPortServiceNameOrURI.1.1 and uses the URI as the device URI.
// SPDX-License-Identifier: Apache-2.0
import { HR_DEVICE_INDEX } from './host-resources.js';
import { gauge32, int, span, scalar, table, tableRow, text, truth, type Providers } from './mib-values.js';
import { PRT } from './printer-mib-codes.js';

/** ppmGeneral = ppmMIB.1.1 */
export const PPM_GENERAL = [1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 1] as const;
/** ppmPrinterEntry = ppmMIB.1.2.1.1 (the entry arc `.1` is part of it) */
export const PPM_PRINTER_ENTRY = [1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 2, 1, 1] as const;
/** ppmPortEntry = ppmMIB.1.3.1.1 */
export const PPM_PORT_ENTRY = [1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 3, 1, 1] as const;

/** The TCP port of a printer URI (631 when it names none, 0 when it does not parse). */
export function uriPort(uri: string): number {
  try {
    const u = new URL(uri);
    return u.port === '' ? 631 : Number(u.port);
  } catch {
    return 0;
  }
}

/** ppmGeneral scalars, ppmPrinterTable row 1, ppmPortTable row 1.1. */
export function portMonitor(): Providers {
  return [
    scalar([...PPM_GENERAL, 1], () => text('en', 63)),
    scalar([...PPM_GENERAL, 2], () => gauge32(1)),
    scalar([...PPM_GENERAL, 3], () => gauge32(1)),
    table(PPM_PRINTER_ENTRY, span(2, 8), (v) => [
      tableRow([1], {
        2: text(v.config.name, 127),
        3: text(v.deviceId, 1023),
        4: int(1),
        5: int(1),
        6: int(HR_DEVICE_INDEX),
        // The community is not disclosed: zero-length means "use the one this request came with".
        7: text(''),
        8: truth(true),
      }),
    ]),
    table(PPM_PORT_ENTRY, span(2, 9), (v) => [
      tableRow([1, 1], {
        2: truth(true),
        3: text('ipp', 63),
        4: text(v.printerUri, 1023),
        5: int(PRT.chIPP),
        6: int(uriPort(v.printerUri)),
        7: truth(false),
        8: int(1),
        9: truth(false),
      }),
    ]),
  ];
}
