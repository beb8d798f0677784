// Printer MIB v2 (RFC 3805) marker, marker supplies and colorant tables (snmp-printer-mib.md §2.3, §4). Supply N and
// colorant N describe the same state-model supply; class, type, unit, capacity, level and colorant name are read from
// the IPP printer-supply string of that supply, so IPP and SNMP cannot disagree.
// SPDX-License-Identifier: Apache-2.0
import type { SupplyStatus } from '../../drivers/driver.js';
import { resolveCapabilities } from '../printer/printer-capabilities.js';
import { supplyString } from '../printer/supply.js';
import { HR_DEVICE_INDEX } from './host-resources.js';
import type { TableRow } from './mib.js';
import { counter32, int, span, table, tableRow, text, type Providers } from './mib-values.js';
import { PRT, SUPPLY_CLASS, SUPPLY_TYPE, SUPPLY_UNIT } from './printer-mib-codes.js';
import { prt, subunitStatus } from './printer-mib-status.js';
import type { SnmpPrinterView } from './view.js';

/** The one marker. */
const MARKER = 1;

/** The key=value pairs of a PWG 5100.13 printer-supply string. */
export function supplyFields(s: SupplyStatus, index: number): ReadonlyMap<string, string> {
  const fields = new Map<string, string>();
  for (const pair of supplyString(s, index).split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return fields;
}

const num = (table: Readonly<Record<string, number>>, label: string | undefined): number =>
  (label === undefined ? undefined : table[label]) ?? table['other'] ?? 1;

/** Grey levels the engine renders: 256 with an 8-bit raster type, else 2 (bi-level). */
function tonality(v: SnmpPrinterView): number {
  return resolveCapabilities(v.caps).rasterTypes.some((t) => !t.endsWith('_1')) ? 256 : 2;
}

/** PrtMarkerMarkTechTC guessed from the supplies: toner, ink, ribbon, thermal paper; unknown otherwise. */
function markTech(v: SnmpPrinterView): number {
  const types = v.printer.supplies.map((s) => s.type.toLowerCase());
  if (types.some((t) => t.includes('ribbon') || t === 'solidwax')) return 16; // thermalTransfer
  if (types.some((t) => t.includes('toner'))) return 5; // electrophotographicOther
  if (types.some((t) => t.includes('ink'))) return 14; // inkjetOther
  if (v.caps.kind.includes('label') || v.caps.kind.includes('receipt')) return 17; // thermalSensitive
  return 2; // unknown
}

/** Hundredths of millimetres -> ten-thousandths of an inch. */
const tenThousandthsIn = (hmm: number): number => Math.round((hmm * 10000) / 2540);

function marker(v: SnmpPrinterView): TableRow {
  const res = resolveCapabilities(v.caps).resolutions;
  const x = Math.max(0, ...res.map((r) => r.x));
  const y = Math.max(0, ...res.map((r) => r.y));
  const m = v.caps.margins;
  return tableRow([HR_DEVICE_INDEX, MARKER], {
    2: int(markTech(v)),
    3: int(PRT.counterImpressions),
    4: counter32(v.printer.impressionsCompleted),
    5: counter32(v.powerOnImpressions),
    6: int(colorants(v).filter((c) => c.role === PRT.colorantProcess).length),
    7: int(0),
    8: int(PRT.tenThousandthsOfInches),
    9: int(y > 0 ? y : -2),
    10: int(x > 0 ? x : -2),
    11: int(tenThousandthsIn(m.top)),
    12: int(tenThousandthsIn(m.bottom)),
    13: int(tenThousandthsIn(m.left)),
    14: int(tenThousandthsIn(m.right)),
    15: int(subunitStatus(v, ['marker', 'markerSupplies', 'markerColorant'])),
  });
}

/** One colorant per supply, with the name printer-supply gives it. */
function colorants(v: SnmpPrinterView): { name: string; role: number }[] {
  return v.printer.supplies.map((s, i) => {
    const name = supplyFields(s, i + 1).get('colorantname') ?? 'unknown';
    return { name, role: name === 'unknown' ? PRT.colorantOther : PRT.colorantProcess };
  });
}

function supplies(v: SnmpPrinterView): TableRow[] {
  return v.printer.supplies.map((s, i) => {
    const f = supplyFields(s, i + 1);
    return tableRow([HR_DEVICE_INDEX, i + 1], {
      2: int(MARKER),
      3: int(i + 1),
      4: int(num(SUPPLY_CLASS, f.get('class'))),
      5: int(num(SUPPLY_TYPE, f.get('type'))),
      6: text(s.description),
      7: int(num(SUPPLY_UNIT, f.get('unit'))),
      8: int(Number(f.get('maxcapacity') ?? -2)),
      9: int(Number(f.get('level') ?? -2)),
    });
  });
}

function colorantRows(v: SnmpPrinterView): TableRow[] {
  const tones = tonality(v);
  return colorants(v).map((c, i) =>
    tableRow([HR_DEVICE_INDEX, i + 1], { 2: int(MARKER), 3: int(c.role), 4: text(c.name, 63), 5: int(tones) }),
  );
}

/** prtMarker, prtMarkerSupplies, prtMarkerColorant. */
export function printerMibMarker(): Providers {
  return [
    table(prt(10, 2, 1), span(2, 15), (v) => [marker(v)]),
    table(prt(11, 1, 1), span(2, 9), supplies),
    table(prt(12, 1, 1), span(2, 5), colorantRows),
  ];
}
