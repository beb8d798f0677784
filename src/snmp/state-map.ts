// IPP printer-state-reasons -> hrPrinterDetectedErrorState bits, hrDeviceStatus and hrPrinterStatus, table-driven
// per snmp-printer-mib.md §3.1-§3.3. Alert rows come from src/printer/alert.ts so IPP printer-alert and prtAlert agree.
// SPDX-License-Identifier: Apache-2.0
import type { PrinterStatusView } from '../printer/description.js';
import { alertsForReasons, NOT_ALERTS } from '../printer/alert.js';
import { isStoppingReason, reasonBase } from '../printer/stopping-reasons.js';

/** hrPrinterDetectedErrorState bit numbers (RFC 2790); bit 0 is the most significant bit of the first octet. */
export const ERROR_BIT = {
  lowPaper: 0,
  noPaper: 1,
  lowToner: 2,
  noToner: 3,
  doorOpen: 4,
  jammed: 5,
  offline: 6,
  serviceRequested: 7,
  inputTrayMissing: 8,
  outputTrayMissing: 9,
  markerSupplyMissing: 10,
  outputNearFull: 11,
  outputFull: 12,
  inputTrayEmpty: 13,
  overduePreventMaint: 14,
} as const;

export type ErrorBitName = keyof typeof ERROR_BIT;

/** hrDeviceStatus (RFC 2790). */
export const HR_DEVICE_STATUS = { unknown: 1, running: 2, warning: 3, testing: 4, down: 5 } as const;

/** hrPrinterStatus (RFC 2790). */
export const HR_PRINTER_STATUS = { other: 1, unknown: 2, idle: 3, printing: 4, warmup: 5 } as const;

/** What one reason (without suffix) means for the host-resources objects. */
interface ReasonRow {
  readonly bits: readonly ErrorBitName[];
  /** severity of the bare keyword for reasons that are not alerts (object states); alerts use alert.ts */
  readonly stateSeverity?: 'critical' | 'warning';
}

/** §3.2: reason -> error-state bits (and, for object states, the bare severity). */
export const REASON_STATUS: Readonly<Record<string, ReasonRow>> = {
  'media-empty': { bits: ['noPaper', 'inputTrayEmpty'] },
  'media-low': { bits: ['lowPaper'] },
  'media-needed': { bits: ['noPaper'] },
  'media-jam': { bits: ['jammed'] },
  'toner-low': { bits: ['lowToner'] },
  'toner-empty': { bits: ['noToner'] },
  'marker-supply-low': { bits: ['lowToner'] },
  'marker-supply-empty': { bits: ['noToner'] },
  'marker-supply-missing': { bits: ['markerSupplyMissing'] },
  'marker-waste-almost-full': { bits: ['serviceRequested'] },
  'marker-waste-full': { bits: ['serviceRequested'] },
  'door-open': { bits: ['doorOpen'] },
  'cover-open': { bits: ['doorOpen'] },
  'interlock-open': { bits: ['doorOpen'] },
  'input-tray-missing': { bits: ['inputTrayMissing'] },
  'output-tray-missing': { bits: ['outputTrayMissing'] },
  'output-area-almost-full': { bits: ['outputNearFull'] },
  'output-area-full': { bits: ['outputFull'] },
  offline: { bits: ['offline'] },
  paused: { bits: ['offline'], stateSeverity: 'critical' },
  'moving-to-paused': { bits: ['offline'], stateSeverity: 'warning' },
  stopping: { bits: ['offline'], stateSeverity: 'warning' },
  'spool-area-full': { bits: [] },
  'opc-near-eol': { bits: ['serviceRequested'] },
  'opc-life-over': { bits: ['overduePreventMaint'] },
  'developer-low': { bits: [] },
  'developer-empty': { bits: [] },
  'fuser-over-temp': { bits: ['serviceRequested'] },
  'fuser-under-temp': { bits: ['serviceRequested'] },
  // PWG 5100.9 / IANA marker-* keywords whose RFC 3805 condition is the same as a row above (issue #5).
  'marker-supply-almost-empty': { bits: ['lowToner'] },
  'marker-ink-almost-empty': { bits: ['lowToner'] },
  'marker-ink-empty': { bits: ['noToner'] },
  'marker-print-ribbon-almost-empty': { bits: ['lowToner'] },
  'marker-print-ribbon-empty': { bits: ['noToner'] },
  'marker-toner-cartridge-missing': { bits: ['markerSupplyMissing'] },
  'marker-toner-missing': { bits: ['markerSupplyMissing'] },
  'marker-ink-missing': { bits: ['markerSupplyMissing'] },
  'marker-print-ribbon-missing': { bits: ['markerSupplyMissing'] },
  'marker-developer-missing': { bits: ['markerSupplyMissing'] },
  'marker-opc-missing': { bits: ['markerSupplyMissing'] },
  'marker-fuser-missing': { bits: ['markerSupplyMissing'] },
  'marker-cleaner-missing': { bits: ['markerSupplyMissing'] },
  'marker-waste-missing': { bits: ['markerSupplyMissing'] },
  'marker-waste-ink-receptacle-missing': { bits: ['markerSupplyMissing'] },
  'marker-waste-toner-receptacle-missing': { bits: ['markerSupplyMissing'] },
  'marker-waste-ink-receptacle-almost-full': { bits: ['serviceRequested'] },
  'marker-waste-ink-receptacle-full': { bits: ['serviceRequested'] },
  'marker-waste-toner-receptacle-almost-full': { bits: ['serviceRequested'] },
  'marker-waste-toner-receptacle-full': { bits: ['serviceRequested'] },
  'marker-developer-almost-empty': { bits: [] },
  'marker-developer-empty': { bits: [] },
  'marker-fuser-thermistor-failure': { bits: ['serviceRequested'] },
  'marker-fuser-timing-failure': { bits: ['serviceRequested'] },
  'marker-adjusting-print-quality': { bits: [] },
};

/** How much one reason weighs: critical, warning (includes -report: §3.1 "non-critical alert"), or nothing. */
export type ReasonWeight = 'critical' | 'warning' | 'none';

/** The effect of one printer-state-reasons keyword (severity suffix allowed). */
export interface ReasonEffect {
  readonly bits: readonly ErrorBitName[];
  readonly weight: ReasonWeight;
}

/** §3.2/§3.3 for one keyword: which bits it sets and how much it weighs. */
export function reasonEffect(keyword: string): ReasonEffect {
  const base = reasonBase(keyword);
  const suffix = keyword === base ? undefined : keyword.slice(base.length + 1);
  if (base === '' || base === 'none') return { bits: [], weight: 'none' };
  const row = REASON_STATUS[base];
  let weight: ReasonWeight;
  if (suffix === 'report' || suffix === 'warning') weight = 'warning';
  else if (suffix === 'error' || isStoppingReason(keyword)) weight = 'critical';
  else if (row?.stateSeverity) weight = row.stateSeverity;
  else weight = alertsForReasons([keyword])[0]?.severity ?? 'none';
  if (row) return { bits: row.bits, weight };
  // Unlisted reasons (§3.2 "other"): serviceRequested when action is needed; object states (identify...) weigh nothing.
  if (NOT_ALERTS.has(base)) return { bits: [], weight: 'none' };
  return { bits: suffix === 'report' ? [] : ['serviceRequested'], weight };
}

/** The host-resources status of the printer device. */
export interface DeviceStatus {
  /** always 2 octets */
  readonly errorState: Uint8Array;
  readonly hrDeviceStatus: number;
  readonly hrPrinterStatus: number;
  /** the heaviest reason weight (a stopped printer counts as critical) */
  readonly weight: ReasonWeight;
}

/** Two octets with the given bits set (bit 0 = MSB of octet 0). */
export function errorStateBytes(bits: Iterable<number>): Uint8Array {
  const out = new Uint8Array(2);
  for (const b of bits) out[b >> 3] = (out[b >> 3] as number) | (0x80 >> (b & 7));
  return out;
}

/** §3.1: hrDeviceStatus, hrPrinterStatus and hrPrinterDetectedErrorState for a status view. */
export function deviceStatus(status: Pick<PrinterStatusView, 'state' | 'reasons'>): DeviceStatus {
  const bits = new Set<number>();
  let weight: ReasonWeight = status.state === 'stopped' ? 'critical' : 'none';
  for (const keyword of status.reasons) {
    const effect = reasonEffect(keyword);
    for (const b of effect.bits) bits.add(ERROR_BIT[b]);
    if (effect.weight === 'critical' || (effect.weight === 'warning' && weight === 'none')) weight = effect.weight;
  }
  const hrDeviceStatus =
    weight === 'critical' ? HR_DEVICE_STATUS.down : weight === 'warning' ? HR_DEVICE_STATUS.warning : HR_DEVICE_STATUS.running;
  const hrPrinterStatus =
    weight === 'critical'
      ? HR_PRINTER_STATUS.other
      : status.state === 'processing'
        ? HR_PRINTER_STATUS.printing
        : HR_PRINTER_STATUS.idle;
  return { errorState: errorStateBytes(bits), hrDeviceStatus, hrPrinterStatus, weight };
}
