// Printer operations through dispatch(): Get-Printer-Attributes (media-col-database only when named, group names),
// Pause-Printer / Resume-Printer, Identify-Printer.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { attr, keyword, text } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import type { IppMessage } from '../../src/ipp/types.js';
import { makeTestPrinter } from '../support/fake-engine.js';
import { callDispatch, groupsOf, namesOf, plain, request, statusOf, valueOf } from '../support/ipp-client.js';

function requested(...names: string[]): ReturnType<typeof attr> {
  const [first, ...rest] = names.map(keyword);
  if (!first) throw new Error('no names');
  return attr('requested-attributes', first, ...rest);
}

function printerNames(r: IppMessage): string[] {
  return namesOf(groupsOf(r, 'printer')[0]);
}

t.test('Get-Printer-Attributes without requested-attributes omits media-col-database', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetPrinterAttributes));
  t.equal(statusOf(r), 'successful-ok');
  const names = printerNames(r);
  t.ok(names.includes('printer-state'));
  t.ok(names.includes('media-col-default'));
  t.notOk(names.includes('media-col-database'));
});

t.test('requested-attributes all omits media-col-database', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.notOk(printerNames(await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('all')] }))).includes('media-col-database'));
});

t.test('media-col-database is returned when named', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('media-col-database')] }));
  t.same(printerNames(r), ['media-col-database']);
  const db = groupsOf(r, 'printer')[0]?.attributes[0];
  t.ok((db?.values.length ?? 0) >= printer.capabilities.media.supported.length, 'one entry per media at least');
});

t.test('media-col-database is returned with all when both are named', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const names = printerNames(await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('all', 'media-col-database')] })));
  t.ok(names.includes('media-col-database'));
  t.ok(names.includes('printer-state'));
});

t.test('explicit names return just those attributes', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('printer-state', 'printer-make-and-model')] }));
  t.same(printerNames(r).sort(), ['printer-make-and-model', 'printer-state']);
  t.equal(plain(valueOf(r, 'printer', 'printer-make-and-model')), 'Fake Office Color 100');
});

t.test('job-template returns the -default and -supported attributes but not printer-state', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const names = printerNames(await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('job-template')] })));
  t.ok(names.includes('media-supported'));
  t.ok(names.includes('copies-default'));
  t.notOk(names.includes('printer-state'));
});

t.test('Pause-Printer stops the printer and Resume-Printer starts it again', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(IppOp.PausePrinter))), 'successful-ok');
  let r = await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('printer-state', 'printer-state-reasons')] }));
  t.equal(plain(valueOf(r, 'printer', 'printer-state')), 5, 'stopped');
  t.ok(groupsOf(r, 'printer')[0]?.attributes.find((a) => a.name === 'printer-state-reasons')?.values.some((v) => plain(v) === 'paused'));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.ResumePrinter))), 'successful-ok');
  r = await callDispatch(printer, request(IppOp.GetPrinterAttributes, { operation: [requested('printer-state', 'printer-state-reasons')] }));
  t.equal(plain(valueOf(r, 'printer', 'printer-state')), 3, 'idle');
  t.equal(plain(valueOf(r, 'printer', 'printer-state-reasons')), 'none');
});

t.test('Identify-Printer performs the requested actions on the engine', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.IdentifyPrinter, { operation: [attr('identify-actions', keyword('display')), attr('message', text('hello'))] }));
  t.equal(statusOf(r), 'successful-ok');
  t.same(engine.identified, [{ actions: ['display'], message: 'hello' }]);
});

t.test('Identify-Printer without identify-actions uses the first supported action', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  await callDispatch(printer, request(IppOp.IdentifyPrinter));
  t.same(engine.identified.map((i) => i.actions), [['display']]);
});

t.test('Identify-Printer with an unsupported action is refused and the value returned', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.IdentifyPrinter, { operation: [attr('identify-actions', keyword('sound'), keyword('flash'))] }));
  t.equal(statusOf(r), 'client-error-attributes-or-values-not-supported');
  t.same(groupsOf(r, 'unsupported')[0]?.attributes, [attr('identify-actions', keyword('flash'))]);
  t.same(engine.identified, []);
});
