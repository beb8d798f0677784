// The §3.2 reason table of snmp-printer-mib.md, checked row by row through a real Printer: error-state bits,
// hrDeviceStatus, hrPrinterStatus and the prtAlert row for each reason bare and with -error/-warning/-report, and
// agreement of prtAlertCode/SeverityLevel with the IPP printer-alert of the same state.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { makeTestPrinter } from '../support/fake-engine.js';
import { buildPrinterMibTree } from '../../src/snmp/mib.js';
import { ALERT_CODE, SEVERITY_LEVEL } from '../../src/snmp/printer-mib-codes.js';
import { ERROR_BIT, errorStateBytes } from '../../src/snmp/state-map.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import { snmpState, walk } from './support.js';

type Status = 'down' | 'warning';
/** reason, bits, status of the bare keyword, alert [code, group, bare severity] or null (no alert row). */
const TABLE: readonly [string, number[], Status, [number, number, 'critical' | 'warning'] | null][] = [
  ['media-empty', [1, 13], 'down', [808, 8, 'critical']],
  ['media-low', [0], 'warning', [807, 8, 'warning']],
  ['media-needed', [1], 'down', [809, 8, 'critical']],
  ['media-jam', [5], 'down', [8, 13, 'critical']],
  ['toner-low', [2], 'warning', [1104, 11, 'warning']],
  ['toner-empty', [3], 'down', [1101, 11, 'critical']],
  ['marker-supply-low', [2], 'warning', [1105, 11, 'warning']],
  ['marker-supply-empty', [3], 'down', [1102, 11, 'critical']],
  ['marker-supply-missing', [10], 'down', [1115, 11, 'critical']],
  ['marker-waste-almost-full', [7], 'warning', [1107, 11, 'warning']],
  ['marker-waste-full', [7], 'down', [1109, 11, 'critical']],
  ['door-open', [4], 'down', [501, 5, 'critical']],
  ['cover-open', [4], 'down', [3, 6, 'critical']],
  ['interlock-open', [4], 'down', [5, 6, 'critical']],
  ['input-tray-missing', [8], 'down', [801, 8, 'critical']],
  ['output-tray-missing', [9], 'down', [901, 9, 'critical']],
  ['output-area-almost-full', [11], 'warning', [902, 9, 'warning']],
  ['output-area-full', [12], 'down', [903, 9, 'critical']],
  ['offline', [6], 'down', [22, 5, 'critical']],
  ['paused', [6], 'down', null],
  ['moving-to-paused', [6], 'warning', null],
  ['stopping', [6], 'warning', null],
  ['spool-area-full', [], 'warning', [34, 5, 'warning']],
  ['opc-near-eol', [7], 'warning', [1111, 11, 'warning']],
  ['opc-life-over', [14], 'down', [1112, 11, 'critical']],
  ['developer-low', [], 'warning', [1113, 11, 'warning']],
  ['developer-empty', [], 'down', [1114, 11, 'critical']],
  ['fuser-over-temp', [7], 'down', [1002, 10, 'critical']],
  ['fuser-under-temp', [7], 'down', [1001, 10, 'critical']],
  ['vendor-specific-condition', [7], 'down', [1, 5, 'critical']],
];

const HR_DEVICE_STATUS = [1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 5, 1];
const HR_PRINTER_STATUS = [1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 1, 1];
const ERROR_STATE = [1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1];
const ALERT_ENTRY = [1, 3, 6, 1, 2, 1, 43, 18, 1, 1];

const { printer, engine } = await makeTestPrinter(t);
const tree = buildPrinterMibTree();

/** The IPP printer-alert strings of the printer right now. */
function ippAlerts(): string[] {
  const attr = printer.attributes('localhost', false).find((a: IppAttribute) => a.name === 'printer-alert');
  return (attr?.values ?? []).map((v) => ('value' in v && v.value instanceof Uint8Array ? Buffer.from(v.value).toString('utf8') : ''));
}

const intOf = (v: unknown): number => (v as { value: number }).value;

for (const [reason, bits, bareStatus, alert] of TABLE) {
  for (const suffix of ['', '-error', '-warning', '-report'] as const) {
    const keyword = reason + suffix;
    t.test(`${keyword} maps to its §3.2 bits, status and alert row`, async (t) => {
      engine.engineStatus = { reasons: [keyword], supplies: [] };
      await printer.pollStatus();
      const view = snmpState(t, printer).capture();
      const status: Status = suffix === '-error' ? 'down' : suffix === '' ? bareStatus : 'warning';
      const errorState = tree.get(view, ERROR_STATE);
      const unknownReport = suffix === '-report' && alert !== null && alert[0] === 1;
      t.same(errorState, { type: 'octets', value: errorStateBytes(unknownReport ? [] : bits) });
      t.equal(intOf(tree.get(view, HR_DEVICE_STATUS)), status === 'down' ? 5 : 3);
      t.equal(intOf(tree.get(view, HR_PRINTER_STATUS)), status === 'down' ? 1 : 3);
      // Alert rows: none for object states and -report reasons.
      const codes = walk(tree, view, [...ALERT_ENTRY, 7]).map((vb) => intOf(vb.value));
      const severities = walk(tree, view, [...ALERT_ENTRY, 2]).map((vb) => intOf(vb.value));
      const groups = walk(tree, view, [...ALERT_ENTRY, 4]).map((vb) => intOf(vb.value));
      if (alert === null || suffix === '-report') {
        t.same(codes, []);
        t.same(ippAlerts(), []);
        return;
      }
      const severity = suffix === '-error' ? 'critical' : suffix === '-warning' ? 'warning' : alert[2];
      t.same(codes, [alert[0]]);
      t.same(groups, [alert[1]]);
      t.same(severities, [SEVERITY_LEVEL[severity]]);
      // IPP printer-alert of the same state names the same code and severity.
      const ipp = ippAlerts();
      t.equal(ipp.length, 1);
      const label = /code=([A-Za-z]+)/.exec(ipp[0] ?? '')?.[1] ?? '';
      t.equal(ALERT_CODE[label], alert[0]);
      t.match(ipp[0], `severity=${severity}`);
    });
  }
}

t.test('hrPrinterStatus is printing while a job runs with only a warning', async (t) => {
  engine.engineStatus = { reasons: ['toner-low-warning'], supplies: [] };
  await printer.pollStatus();
  printer.state.setActive(true, new Date());
  t.teardown(() => printer.state.setActive(false, new Date()));
  const view = snmpState(t, printer).capture();
  t.equal(intOf(tree.get(view, HR_PRINTER_STATUS)), 4);
  t.equal(intOf(tree.get(view, HR_DEVICE_STATUS)), 3);
});

t.test('no reasons means running, idle and two zero octets', async (t) => {
  engine.engineStatus = { reasons: [], supplies: [] };
  await printer.pollStatus();
  const view = snmpState(t, printer).capture();
  t.equal(intOf(tree.get(view, HR_DEVICE_STATUS)), 2);
  t.equal(intOf(tree.get(view, HR_PRINTER_STATUS)), 3);
  t.same(tree.get(view, ERROR_STATE), { type: 'octets', value: new Uint8Array([0, 0]) });
});

t.test('every error-state bit is sent as exactly two octets with that one bit set', async (t) => {
  for (const [name, bit] of Object.entries(ERROR_BIT)) {
    const bytes = errorStateBytes([bit]);
    t.equal(bytes.length, 2, name);
    const mask = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
    t.equal(mask, 0x8000 >> bit, `${name} is bit ${bit} counting from the MSB`);
  }
});

t.test('every alert code label of the IPP table has a PrtAlertCodeTC number', async (t) => {
  const { REASON_ALERTS } = await import('../../src/printer/alert.js');
  for (const [reason, m] of Object.entries(REASON_ALERTS)) t.ok(ALERT_CODE[m.code], `${reason} -> ${m.code}`);
});
