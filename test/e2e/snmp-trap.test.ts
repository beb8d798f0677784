// End to end: a Printer on the fake engine, its SnmpState and startTraps sending printerV2Alert to Net-SNMP's
// snmptrapd on 127.0.0.1 (Debian package 'snmptrapd'), which must log each trap with the right bindings.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import t from 'tap';
import { pino } from 'pino';
import type { EngineStatus } from '../../drivers/driver.js';
import { startTraps } from '../../src/snmp/traps.js';
import { SnmpState } from '../../src/snmp/view.js';
import type { Printer } from '../../src/printer/printer.js';
import { makeTestPrinter, type FakeEngine } from '../support/fake-engine.js';
import { SNMPTRAPD, startTrapd, value } from '../support/snmptrapd.js';

const COMMUNITY = 'ippbridge-traps';
const SNMP_TRAP_OID_0 = '.1.3.6.1.6.3.1.1.4.1.0';
const PRINTER_V2_ALERT = '.1.3.6.1.2.1.43.18.2.0.1';
const ALERT_ENTRY = '.1.3.6.1.2.1.43.18.1.1';

/** The engine status, set in the fake engine (so status polls agree) and in the state model. */
function setReasons(printer: Printer, engine: FakeEngine, reasons: readonly string[]): void {
  const status: EngineStatus = { reasons, supplies: [] };
  engine.engineStatus = status;
  printer.state.setEngineStatus(status, new Date());
}

t.test('snmptrapd logs a printerV2Alert per added alert row and none for removals', async (t) => {
  if (!existsSync(SNMPTRAPD)) {
    const why = "snmptrapd missing: install the Debian package 'snmptrapd'";
    if (process.env['CI'] === 'true') t.fail(why);
    else t.pass(why, { skip: why });
    return;
  }
  const trapd = await startTrapd(t, `authCommunity log ${COMMUNITY}`);
  const { printer, engine } = await makeTestPrinter(t);
  setReasons(printer, engine, []);
  const state = new SnmpState(printer, {
    sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1],
    firmwareVersion: '0.1.0',
    boardName: 'Fake Printer',
    printerUri: () => 'ipp://127.0.0.1:8631/ipp/print',
  });
  t.teardown(() => state.close());
  const traps = startTraps(state, [{ host: '127.0.0.1', port: trapd.port, community: COMMUNITY }], pino({ level: 'silent' }));
  t.teardown(() => traps.close());

  setReasons(printer, engine, ['media-empty']);
  await trapd.waitFor(1);
  const first = trapd.traps[0] ?? [];
  t.match(value(first, '.1.3.6.1.2.1.1.3.0') ?? '', /^Timeticks: \(\d+\)/, 'sysUpTime.0 first');
  t.equal(first[1]?.[0], SNMP_TRAP_OID_0, 'snmpTrapOID.0 second');
  t.equal(value(first, SNMP_TRAP_OID_0), `OID: ${PRINTER_V2_ALERT}`);
  const index = Number(/INTEGER: (\d+)/.exec(value(first, `${ALERT_ENTRY}.1.1.1`) ?? '')?.[1] ?? NaN);
  t.ok(index >= 1, 'prtAlertIndex bound for row 1');
  t.same(
    first.slice(2).map(([oid]) => oid),
    [1, 2, 4, 5, 6, 7].map((col) => `${ALERT_ENTRY}.${col}.1.${index}`),
    'the printerV2Alert OBJECTS in RFC 3805 order',
  );
  t.equal(value(first, `${ALERT_ENTRY}.2.1.${index}`), 'INTEGER: 3', 'critical');
  t.equal(value(first, `${ALERT_ENTRY}.7.1.${index}`), 'INTEGER: 808', 'inputMediaSupplyEmpty');

  // Clear (no trap), then raise again: a new row with a higher index.
  setReasons(printer, engine, []);
  setReasons(printer, engine, ['media-empty']);
  await trapd.waitFor(2);
  const second = trapd.traps[1] ?? [];
  const index2 = Number(/INTEGER: (\d+)/.exec(value(second, `${ALERT_ENTRY}.1.1.${index + 1}`) ?? '')?.[1] ?? NaN);
  t.equal(index2, index + 1, 'the re-added row has the next prtAlertIndex');
  t.equal(value(second, `${ALERT_ENTRY}.7.1.${index2}`), 'INTEGER: 808');
  t.equal(trapd.traps.length, 2, 'the removal sent no trap');
});
