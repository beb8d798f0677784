// printer-supply (PWG 5100.13 octetString, RFC 3805 prtMarkerSupplies labels), printer-supply-description and
// the CUPS marker-* attributes, from the engine's supply list (snmp-printer-mib.md §4-§5).
// SPDX-License-Identifier: Apache-2.0
import type { SupplyStatus } from '../../drivers/driver.js';
import { integer, keyword, name, octetString, text } from '../ipp/build.js';
import type { IppAttribute, IppValue } from '../ipp/types.js';

/** Supply types that are receptacles (RFC 3805 class receptacleThatIsFilled). */
const RECEPTACLE_TYPES: ReadonlySet<string> = new Set(['wasteToner', 'wasteInk', 'wasteWax', 'wastePaper', 'fuserOilWick']);

/** Colorant names for the colours engines report. */
const COLORANT_NAMES: Readonly<Record<string, string>> = {
  '#000000': 'black',
  '#00FFFF': 'cyan',
  '#FF00FF': 'magenta',
  '#FFFF00': 'yellow',
  '#FF0000': 'red',
  '#00FF00': 'green',
  '#0000FF': 'blue',
  '#FFFFFF': 'white',
};

const encoder = new TextEncoder();

/** The RFC 3805 supply type label, or 'other' when the driver gave something that is not a label. */
function supplyType(type: string): string {
  return /^[A-Za-z]+$/.test(type) ? type : 'other';
}

/** Level as the MIB allows it: 0..100 percent, or -1 (other), -2 (unknown), -3 (some remaining). */
function supplyLevel(level: number): number {
  if (level === -1 || level === -2 || level === -3) return level;
  if (!Number.isFinite(level)) return -2;
  return Math.min(100, Math.max(0, Math.round(level)));
}

/** The colorant name for a '#RRGGBB' colour, 'unknown' when it has no name. */
export function colorantName(color: string): string {
  return COLORANT_NAMES[color.toUpperCase()] ?? 'unknown';
}

/** One printer-supply value: `index=1;class=…;type=…;unit=percent;maxcapacity=100;level=…;colorantname=…;`. */
export function supplyString(s: SupplyStatus, index: number): string {
  const type = supplyType(s.type);
  const cls = RECEPTACLE_TYPES.has(type) ? 'receptacleThatIsFilled' : 'supplyThatIsConsumed';
  return (
    `index=${index};class=${cls};type=${type};unit=percent;maxcapacity=100;` +
    `level=${supplyLevel(s.level)};colorantname=${colorantName(s.color)};`
  );
}

/** CUPS marker-types keyword for a supply type label (tonerCartridge -> toner-cartridge). */
export function markerType(type: string): string {
  return supplyType(type)
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    .replace(/^-/, '');
}

const markerColor = (c: string): string => (/^#[0-9A-Fa-f]{6}$/.test(c) ? c.toUpperCase() : 'none');

/**
 * printer-supply, printer-supply-description (same count) and the CUPS marker-colors/-levels/-low-levels/
 * -high-levels/-names/-types for the supplies; nothing when there are none. Indexes are 1-based like SNMP.
 */
export function supplyAttributes(supplies: readonly SupplyStatus[]): IppAttribute[] {
  if (supplies.length === 0) return [];
  const make = (attrName: string, fn: (s: SupplyStatus, i: number) => IppValue): IppAttribute => ({
    name: attrName,
    values: supplies.map(fn),
  });
  return [
    make('printer-supply', (s, i) => octetString(encoder.encode(supplyString(s, i + 1)))),
    make('printer-supply-description', (s) => text(s.description)),
    make('marker-colors', (s) => name(markerColor(s.color))),
    make('marker-high-levels', () => integer(100)),
    make('marker-levels', (s) => integer(supplyLevel(s.level))),
    make('marker-low-levels', (s) => integer(supplyLevel(s.lowLevel))),
    make('marker-names', (s) => name(s.description)),
    make('marker-types', (s) => keyword(markerType(s.type))),
  ];
}
