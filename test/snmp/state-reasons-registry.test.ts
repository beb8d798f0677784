// Issue #5: every registered printer-state-reasons keyword, bare and with -report/-warning/-error, goes through a
// real Printer; IPP printer-alert and the SNMP prtAlert rows, error-state bits and status must agree (§3.2/§3.3).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { makeTestPrinter } from '../support/fake-engine.js';
import { buildPrinterMibTree } from '../../src/snmp/mib.js';
import { ALERT_CODE, ALERT_GROUP, SEVERITY_LEVEL } from '../../src/snmp/printer-mib-codes.js';
import { ERROR_BIT, REASON_STATUS, deviceStatus, reasonEffect } from '../../src/snmp/state-map.js';
import { NOT_ALERTS, REASON_ALERTS, alertsForReasons, alertAttributes } from '../../src/printer/alert.js';
import { isStoppingReason, reasonBase } from '../../src/printer/stopping-reasons.js';
import { PRINTER_STATE_REASON_KEYWORDS } from '../../src/printer/state-reason-keywords.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import { snmpState, walk } from './support.js';

const HR_DEVICE_STATUS = [1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 5, 1];
const ERROR_STATE = [1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1];
const ALERT_ENTRY = [1, 3, 6, 1, 2, 1, 43, 18, 1, 1];
const SUFFIXES = ['', '-report', '-warning', '-error'] as const;
const WEIGHTS = new Set(['critical', 'warning', 'none']);

const { printer, engine } = await makeTestPrinter(t);
const tree = buildPrinterMibTree();
const clock = { ms: 0 };
const state = snmpState(t, printer, clock);

const intOf = (v: unknown): number => (v as { value: number }).value;
const bytesOf = (v: unknown): Uint8Array => (v as { value: Uint8Array }).value;

/** The printer-alert strings of an attribute list. */
function alertStrings(attrs: readonly IppAttribute[]): string[] {
  const attr = attrs.find((a) => a.name === 'printer-alert');
  return (attr?.values ?? []).map((v) => ('value' in v && v.value instanceof Uint8Array ? Buffer.from(v.value).toString('utf8') : ''));
}

/** `code/severity/group` of one printer-alert string, in MIB integers. */
function ippTriple(s: string): string {
  const field = (name: string): string => new RegExp(`${name}=([A-Za-z]+)`).exec(s)?.[1] ?? '?';
  return `${ALERT_CODE[field('code')]}/${SEVERITY_LEVEL[field('severity') as 'critical' | 'warning']}/${ALERT_GROUP[field('group')]}`;
}

/** Put `keyword` on the engine and capture both views after the poll. */
async function observe(keyword: string) {
  engine.engineStatus = { reasons: [keyword], supplies: [] };
  await printer.pollStatus();
  clock.ms += 10; // a new sysUpTime tick, so capture() does not reuse the previous view
  const view = state.capture();
  const codes = walk(tree, view, [...ALERT_ENTRY, 7]).map((vb) => intOf(vb.value));
  const severities = walk(tree, view, [...ALERT_ENTRY, 2]).map((vb) => intOf(vb.value));
  const groups = walk(tree, view, [...ALERT_ENTRY, 4]).map((vb) => intOf(vb.value));
  return {
    snmp: codes.map((c, i) => `${c}/${severities[i]}/${groups[i]}`).sort(),
    ipp: alertStrings(printer.attributes('localhost', false)).map(ippTriple).sort(),
    errorState: bytesOf(tree.get(view, ERROR_STATE)),
    hrDeviceStatus: intOf(tree.get(view, HR_DEVICE_STATUS)),
    printerState: printer.state.state,
  };
}

/** True when bit `b` is set in the two error-state octets. */
const hasBit = (octets: Uint8Array, b: number): boolean => (((octets[b >> 3] ?? 0) << (b & 7)) & 0x80) !== 0;

t.test('the registry list has no duplicates and holds every registered marker-* keyword', async (t) => {
  t.equal(new Set(PRINTER_STATE_REASON_KEYWORDS).size, PRINTER_STATE_REASON_KEYWORDS.length);
  const markers = PRINTER_STATE_REASON_KEYWORDS.filter((k) => k.startsWith('marker-'));
  t.equal(markers.length, 30);
  for (const k of ['marker-ink-almost-empty', 'marker-toner-missing', 'marker-waste-ink-receptacle-missing']) t.ok(markers.includes(k), k);
  t.notOk(PRINTER_STATE_REASON_KEYWORDS.includes('offline'), 'offline is a CUPS keyword, not registered');
});

t.test('every keyword of the reason tables except CUPS offline is a registered one', async (t) => {
  const registered = new Set(PRINTER_STATE_REASON_KEYWORDS);
  for (const k of [...Object.keys(REASON_STATUS), ...Object.keys(REASON_ALERTS), ...NOT_ALERTS]) {
    if (k === 'offline' || k === 'printer-restarted' || k === 'printer-shutdown') continue;
    t.ok(registered.has(k), k);
  }
});

t.test('every registered marker-* keyword has an error-state row and an alert row', async (t) => {
  for (const k of PRINTER_STATE_REASON_KEYWORDS.filter((r) => r.startsWith('marker-'))) {
    t.ok(REASON_STATUS[k], `${k} in REASON_STATUS`);
    t.ok(REASON_ALERTS[k], `${k} in REASON_ALERTS`);
    t.ok(ALERT_CODE[REASON_ALERTS[k]?.code ?? ''], `${k} alert code has a number`);
  }
});

t.test('new marker-* keywords map onto the same conditions as the RFC 8011 ones', async (t) => {
  t.same(reasonEffect('marker-ink-almost-empty'), { bits: ['lowToner'], weight: 'warning' });
  t.same(reasonEffect('marker-ink-empty'), { bits: ['noToner'], weight: 'critical' });
  t.same(reasonEffect('marker-toner-missing'), { bits: ['markerSupplyMissing'], weight: 'critical' });
  t.equal(alertsForReasons(['marker-ink-empty'])[0]?.mapping.code, 'markerInkEmpty');
  t.equal(alertsForReasons(['marker-waste-ink-receptacle-full'])[0]?.mapping.code, 'markerWasteInkReceptacleFull');
  t.ok(isStoppingReason('marker-ink-empty'));
  t.notOk(isStoppingReason('marker-ink-almost-empty'));
});

for (const reason of PRINTER_STATE_REASON_KEYWORDS) {
  t.test(`${reason} and its suffixed forms agree in IPP and SNMP`, async (t) => {
    for (const suffix of SUFFIXES) {
      const keyword = reason + suffix;
      const base = reasonBase(keyword);
      // The state map itself: bits and weight, two octets.
      const effect = reasonEffect(keyword);
      t.ok(WEIGHTS.has(effect.weight), `${keyword} weight`);
      for (const b of effect.bits) t.ok(b in ERROR_BIT, `${keyword} bit ${b}`);
      t.equal(deviceStatus({ state: 'idle', reasons: [keyword] }).errorState.length, 2, `${keyword} error state length`);

      // Through the printer: IPP printer-alert and prtAlert rows name the same code, severity and group.
      const seen = await observe(keyword);
      t.equal(seen.errorState.length, 2, `${keyword} SNMP error state is 2 octets`);
      for (const b of effect.bits) t.ok(hasBit(seen.errorState, ERROR_BIT[b]), `${keyword} sets ${b}`);
      t.same(seen.ipp, seen.snmp, `${keyword} IPP and SNMP alerts agree`);
      t.same(alertStrings(alertAttributes([keyword])).map(ippTriple), alertsForReasons([keyword]).length ? seen.ipp : []);

      // -report never stops the printer, never makes an alert row and never brings the device down.
      if (suffix === '-report') {
        t.not(seen.printerState, 'stopped', `${keyword} does not stop the printer`);
        t.same(seen.snmp, [], `${keyword} has no alert row`);
        t.not(seen.hrDeviceStatus, 5, `${keyword} is not down`);
      }

      // Unlisted keywords: the documented "other" row (§3.2).
      if (!REASON_STATUS[base] && !REASON_ALERTS[base] && !NOT_ALERTS.has(base)) {
        t.same(effect.bits, suffix === '-report' ? [] : ['serviceRequested'], `${keyword} other bits`);
        if (suffix !== '-report') {
          const severity = suffix === '-warning' ? 'warning' : 'critical';
          t.same(seen.snmp, [`${ALERT_CODE['other']}/${SEVERITY_LEVEL[severity]}/${ALERT_GROUP['generalPrinter']}`], `${keyword} other row`);
          t.equal(effect.weight, severity);
        }
      }
    }
  });
}
