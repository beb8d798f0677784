// Tests for the cached Get-Printer-Attributes group: reused while nothing changes, rebuilt when the state does.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { makeTestPrinter } from '../support/fake-engine.js';

function value(group: { attributes: readonly { name: string; values: readonly unknown[] }[] }, name: string): unknown {
  return group.attributes.find((a) => a.name === name)?.values[0];
}

t.test('the same group object is returned while nothing changes', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const a = printer.printerGroup('h:1', false, ['printer-state']);
  const b = printer.printerGroup('h:1', false, ['printer-state']);
  t.equal(a, b);
  t.not(printer.printerGroup('h:2', false, ['printer-state']), a, 'another host gets its own group');
  t.not(printer.printerGroup('h:1', false, ['printer-state-reasons']), a, 'another request gets its own group');
});

t.test('a state change gives a fresh group with the new values', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const before = printer.printerGroup('h:1', false, ['printer-state', 'printer-state-reasons']);
  t.same(value(before, 'printer-state'), { syntax: 'enum', value: 3 });
  printer.state.setReasons({ add: ['paused'] }, new Date());
  const after = printer.printerGroup('h:1', false, ['printer-state', 'printer-state-reasons']);
  t.not(after, before);
  t.same(value(after, 'printer-state'), { syntax: 'enum', value: 5 });
  t.same(value(after, 'printer-state-reasons'), { syntax: 'keyword', value: 'paused' });
});
