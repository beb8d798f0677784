// Printer MIB v2 (RFC 3805) input, output and media path tables (snmp-printer-mib.md §2.3): one input row per
// media-source-supported value and one output row per output-bin-supported value, in IPP order.
// SPDX-License-Identifier: Apache-2.0
import { customSizeRange, isMediaRangeBound, parseMediaSize, type MediaSize } from '../printer/media.js';
import { resolveCapabilities } from '../printer/printer-capabilities.js';
import { inputTrayType } from '../printer/trays.js';
import { HR_DEVICE_INDEX } from './host-resources.js';
import { int, span, table, tableRow, text, type Providers } from './mib-values.js';
import { INPUT_TYPE, PRT } from './printer-mib-codes.js';
import { hasReason, prt, subunitStatus } from './printer-mib-status.js';
import type { SnmpPrinterView } from './view.js';

/** MIB values: -2 unknown, -3 "at least one unit remaining". */
const UNKNOWN = -2;
const SOME = -3;

/** Hundredths of millimetres -> micrometres. */
const um = (hundredthsMm: number): number => hundredthsMm * 10;

/** Input level: 0 when nothing is loaded, or when the only tray reports media-empty; else "some". */
function inputLevel(v: SnmpPrinterView, ready: string | undefined, sources: number): number {
  if (ready === undefined || ready === '') return 0;
  if (sources === 1 && hasReason(v, 'media-empty')) return 0;
  return SOME;
}

function inputs(v: SnmpPrinterView): ReturnType<typeof tableRow>[] {
  const r = resolveCapabilities(v.caps);
  const status = subunitStatus(v, ['input']);
  return r.sources.map((source, i) => {
    const ready = v.printer.mediaReady[i];
    const size = ready ? parseMediaSize(ready) : undefined;
    return tableRow([HR_DEVICE_INDEX, i + 1], {
      2: int(INPUT_TYPE[inputTrayType(source)] ?? INPUT_TYPE['other'] ?? 1),
      3: int(PRT.micrometers),
      4: int(size ? um(size.length) : UNKNOWN),
      5: int(size ? um(size.width) : UNKNOWN),
      8: int(PRT.capacitySheets),
      9: int(UNKNOWN),
      10: int(inputLevel(v, ready, r.sources.length)),
      11: int(status),
      12: text(ready ?? '', 63),
      13: text(source, 63),
      18: text(source),
      21: text(ready ? (r.types[0] ?? '') : '', 63),
    });
  });
}

function outputs(v: SnmpPrinterView): ReturnType<typeof tableRow>[] {
  const r = resolveCapabilities(v.caps);
  const status = subunitStatus(v, ['output']);
  const full = hasReason(v, 'output-area-full');
  return r.outputBins.map((bin, i) =>
    tableRow([HR_DEVICE_INDEX, i + 1], {
      2: int(PRT.unRemovableBin),
      3: int(PRT.capacitySheets),
      4: int(UNKNOWN),
      5: int(full ? 0 : SOME),
      6: int(status),
      7: text(bin, 63),
    }),
  );
}

/** Smallest and largest media the path takes (fixed sizes plus the custom range), in hundredths of mm. */
function mediaExtent(names: readonly string[]): { min: MediaSize; max: MediaSize } | undefined {
  const sizes = names.filter((n) => !isMediaRangeBound(n)).flatMap((n) => parseMediaSize(n) ?? []);
  const range = customSizeRange(names);
  if (range) sizes.push(range.min, range.max);
  if (sizes.length === 0) return undefined;
  const pick = (f: (...n: number[]) => number, k: keyof MediaSize): number => f(...sizes.map((s) => s[k]));
  return {
    min: { width: pick(Math.min, 'width'), length: pick(Math.min, 'length') },
    max: { width: pick(Math.max, 'width'), length: pick(Math.max, 'length') },
  };
}

/** PrtMediaPathTypeTC from sides-supported. */
function pathType(sides: readonly string[]): number {
  const long = sides.includes('two-sided-long-edge');
  const short = sides.includes('two-sided-short-edge');
  if (long && short) return 5;
  if (long) return 3;
  if (short) return 4;
  return 6;
}

function mediaPath(v: SnmpPrinterView): ReturnType<typeof tableRow> {
  const r = resolveCapabilities(v.caps);
  const extent = mediaExtent(v.caps.media.supported);
  return tableRow([HR_DEVICE_INDEX, 1], {
    2: int(PRT.impressionsPerHour),
    3: int(PRT.micrometers),
    4: int(Math.round(Math.max(v.caps.ppm, v.caps.ppmColor ?? 0) * 60)),
    5: int(extent ? um(extent.max.length) : UNKNOWN),
    6: int(extent ? um(extent.max.width) : UNKNOWN),
    7: int(extent ? um(extent.min.length) : UNKNOWN),
    8: int(extent ? um(extent.min.width) : UNKNOWN),
    9: int(pathType(r.sides)),
    10: text('Paper path'),
    11: int(subunitStatus(v, ['mediaPath'])),
  });
}

/** prtInput, prtOutput, prtMediaPath. */
export function printerMibIo(): Providers {
  return [
    table(prt(8, 2, 1), [2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 18, 21], inputs),
    table(prt(9, 2, 1), span(2, 7), outputs),
    table(prt(13, 4, 1), span(2, 11), (v) => [mediaPath(v)]),
  ];
}
