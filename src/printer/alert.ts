// printer-alert (PWG 5100.9 octetString) and printer-alert-description derived from printer-state-reasons, using
// the reason -> RFC 3805 alert code/group table of snmp-printer-mib.md §3.2 (a design choice, shared with SNMP).
// SPDX-License-Identifier: Apache-2.0
import { octetString, text } from '../ipp/build.js';
import type { IppAttribute } from '../ipp/types.js';

/**
 * One row of the reason table: PrtAlertCodeTC label, PrtAlertGroupTC label, PrtAlertTrainingLevelTC label, and the
 * severity of the keyword without a suffix (snmp-printer-mib.md §3.2 fixes it per reason; default critical).
 */
export interface AlertMapping {
  readonly code: string;
  readonly group: string;
  readonly training: string;
  readonly severity: 'critical' | 'warning';
}

const row = (code: string, group: string, training = 'untrained', severity: 'critical' | 'warning' = 'critical'): AlertMapping => ({
  code,
  group,
  training,
  severity,
});

/** printer-state-reasons (without severity suffix) -> alert row. Unlisted reasons map to code 'other'. */
export const REASON_ALERTS: Readonly<Record<string, AlertMapping>> = {
  'media-empty': row('inputMediaSupplyEmpty', 'input'),
  'media-low': row('inputMediaSupplyLow', 'input', 'untrained', 'warning'),
  'media-needed': row('inputMediaChangeRequest', 'input'),
  'media-jam': row('jam', 'mediaPath'),
  'toner-low': row('markerTonerAlmostEmpty', 'markerSupplies', 'untrained', 'warning'),
  'toner-empty': row('markerTonerEmpty', 'markerSupplies'),
  'marker-supply-low': row('markerInkAlmostEmpty', 'markerSupplies', 'untrained', 'warning'),
  'marker-supply-empty': row('markerInkEmpty', 'markerSupplies'),
  'marker-supply-missing': row('markerTonerCartridgeMissing', 'markerSupplies'),
  'marker-waste-almost-full': row('markerWasteTonerReceptacleAlmostFull', 'markerSupplies', 'untrained', 'warning'),
  'marker-waste-full': row('markerWasteTonerReceptacleFull', 'markerSupplies'),
  'door-open': row('doorOpen', 'generalPrinter'),
  'cover-open': row('coverOpen', 'cover'),
  'interlock-open': row('interlockOpen', 'cover'),
  'input-tray-missing': row('inputMediaTrayMissing', 'input'),
  'output-tray-missing': row('outputMediaTrayMissing', 'output'),
  'output-area-almost-full': row('outputMediaTrayAlmostFull', 'output', 'untrained', 'warning'),
  'output-area-full': row('outputMediaTrayFull', 'output'),
  offline: row('subunitOffline', 'generalPrinter'),
  'spool-area-full': row('subunitMemoryExhausted', 'generalPrinter', 'untrained', 'warning'),
  'opc-near-eol': row('markerOpcLifeAlmostOver', 'markerSupplies', 'fieldService', 'warning'),
  'opc-life-over': row('markerOpcLifeOver', 'markerSupplies', 'fieldService'),
  'developer-low': row('markerDeveloperAlmostEmpty', 'markerSupplies', 'fieldService', 'warning'),
  'developer-empty': row('markerDeveloperEmpty', 'markerSupplies', 'fieldService'),
  'fuser-over-temp': row('markerFuserOverTemperature', 'marker', 'fieldService'),
  'fuser-under-temp': row('markerFuserUnderTemperature', 'marker', 'fieldService'),
  // marker-* keywords with a PrtAlertCodeTC of the same name (or the same condition as a row above); issue #5.
  'marker-supply-almost-empty': row('markerInkAlmostEmpty', 'markerSupplies', 'untrained', 'warning'),
  'marker-ink-almost-empty': row('markerInkAlmostEmpty', 'markerSupplies', 'untrained', 'warning'),
  'marker-ink-empty': row('markerInkEmpty', 'markerSupplies'),
  'marker-print-ribbon-almost-empty': row('markerPrintRibbonAlmostEmpty', 'markerSupplies', 'untrained', 'warning'),
  'marker-print-ribbon-empty': row('markerPrintRibbonEmpty', 'markerSupplies'),
  'marker-toner-cartridge-missing': row('markerTonerCartridgeMissing', 'markerSupplies'),
  'marker-toner-missing': row('markerTonerCartridgeMissing', 'markerSupplies'),
  // No PrtAlertCodeTC names these missing parts: code other, but in the markerSupplies group.
  'marker-ink-missing': row('other', 'markerSupplies'),
  'marker-print-ribbon-missing': row('other', 'markerSupplies'),
  'marker-developer-missing': row('other', 'markerSupplies', 'fieldService'),
  'marker-opc-missing': row('other', 'markerSupplies', 'fieldService'),
  'marker-fuser-missing': row('other', 'markerSupplies', 'fieldService'),
  'marker-cleaner-missing': row('other', 'markerSupplies', 'fieldService'),
  'marker-waste-missing': row('other', 'markerSupplies'),
  'marker-waste-ink-receptacle-missing': row('other', 'markerSupplies'),
  'marker-waste-toner-receptacle-missing': row('other', 'markerSupplies'),
  'marker-waste-ink-receptacle-almost-full': row('markerWasteInkReceptacleAlmostFull', 'markerSupplies', 'untrained', 'warning'),
  'marker-waste-ink-receptacle-full': row('markerWasteInkReceptacleFull', 'markerSupplies'),
  'marker-waste-toner-receptacle-almost-full': row('markerWasteTonerReceptacleAlmostFull', 'markerSupplies', 'untrained', 'warning'),
  'marker-waste-toner-receptacle-full': row('markerWasteTonerReceptacleFull', 'markerSupplies'),
  'marker-developer-almost-empty': row('markerDeveloperAlmostEmpty', 'markerSupplies', 'fieldService', 'warning'),
  'marker-developer-empty': row('markerDeveloperEmpty', 'markerSupplies', 'fieldService'),
  'marker-fuser-thermistor-failure': row('markerFuserThermistorFailure', 'marker', 'fieldService'),
  'marker-fuser-timing-failure': row('markerFuserTimingFailure', 'marker', 'fieldService'),
  'marker-adjusting-print-quality': row('markerAdjustingPrintQuality', 'marker', 'untrained', 'warning'),
};

/** Reasons that are states of the printer object rather than alerts (§3.2: no alert row). */
export const NOT_ALERTS: ReadonlySet<string> = new Set([
  'none',
  'paused',
  'moving-to-paused',
  'stopping',
  'identify-printer-requested',
  'printer-restarted',
  'printer-shutdown',
]);

/** One alert derived from a reason. */
export interface PrinterAlert {
  readonly reason: string;
  readonly severity: 'critical' | 'warning';
  readonly mapping: AlertMapping;
}

/** The alerts for a reason list: `-report` reasons and object states are left out (§3.3). */
export function alertsForReasons(reasons: readonly string[]): PrinterAlert[] {
  const alerts: PrinterAlert[] = [];
  for (const reason of reasons) {
    const m = /^(.*?)(?:-(report|warning|error))?$/.exec(reason);
    const base = m?.[1] ?? reason;
    const suffix = m?.[2];
    if (suffix === 'report' || base === '' || NOT_ALERTS.has(base)) continue;
    const mapping = REASON_ALERTS[base] ?? row('other', 'generalPrinter');
    // A suffix decides; without one the table's severity for the reason does (§3.3).
    const severity = suffix === 'warning' ? 'warning' : suffix === 'error' ? 'critical' : mapping.severity;
    alerts.push({ reason: base, severity, mapping });
  }
  return alerts;
}

/** The PWG 5100.9 string of one alert: `code=…;index=…;severity=…;training=…;group=…`. */
export function alertString(alert: PrinterAlert, index: number): string {
  const { code, training, group } = alert.mapping;
  return `code=${code};index=${index};severity=${alert.severity};training=${training};group=${group}`;
}

/** A readable description of a reason keyword: 'media-empty' -> 'Media empty'. */
export function describeReason(reason: string): string {
  const words = reason.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const encoder = new TextEncoder();

/** printer-alert and printer-alert-description (same count), or nothing when no reason is an alert. */
export function alertAttributes(reasons: readonly string[]): IppAttribute[] {
  const alerts = alertsForReasons(reasons);
  if (alerts.length === 0) return [];
  return [
    { name: 'printer-alert', values: alerts.map((a, i) => octetString(encoder.encode(alertString(a, i + 1)))) },
    { name: 'printer-alert-description', values: alerts.map((a) => text(describeReason(a.reason))) },
  ];
}
