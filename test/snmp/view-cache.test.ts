// SnmpState.capture(): one view per sysUpTime tick while the printer is unchanged, a fresh one after any change.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { SnmpState } from '../../src/snmp/view.js';
import { makeTestPrinter } from '../support/fake-engine.js';

t.test('the view is reused within a tick and rebuilt when time or state moves', async (t) => {
  const { printer } = await makeTestPrinter(t);
  let now = 1000;
  const state = new SnmpState(printer, {
    sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1],
    firmwareVersion: '0.1.0',
    boardName: 'Fake',
    printerUri: () => 'ipp://127.0.0.1:631/ipp/print',
    clock: () => now,
  });
  t.teardown(() => state.close());
  const a = state.capture();
  t.equal(state.capture(), a, 'same tick, nothing changed: same view');
  now += 10;
  const b = state.capture();
  t.not(b, a, 'next tick: new view');
  t.equal(b.sysUpTime, a.sysUpTime + 1);
  printer.state.setEngineStatus({ reasons: ['media-empty'], supplies: [] }, new Date());
  const c = state.capture();
  t.not(c, b, 'state change: new view in the same tick');
  t.same(c.printer.reasons.includes('media-empty'), true);
  printer.updateConfig({ location: 'Room 2' });
  const d = state.capture();
  t.not(d, c, 'config change: new view');
  t.equal(d.sysLocation, 'Room 2');
});
