// dispatch(): the request validation order of ipp-everywhere.md §7, one test per rule, plus the order between
// rules and the shape of every response (request-id echoed, charset and language first).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { attr, boolean, charset, integer, keyword, naturalLanguage, uri } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import type { IppMessage } from '../../src/ipp/types.js';
import { makeTestPrinter, testDocument } from '../support/fake-engine.js';
import { PRINTER_URI, callDispatch, groupsOf, leadingAttributes, namesOf, plain, request, statusOf, valueOf } from '../support/ipp-client.js';

const GPA = IppOp.GetPrinterAttributes;

function message(response: IppMessage): unknown {
  return plain(valueOf(response, 'operation', 'status-message'));
}

t.test('every response echoes the request-id and starts with attributes-charset and attributes-natural-language', async (t) => {
  const { printer } = await makeTestPrinter(t);
  for (const msg of [request(GPA, { requestId: 4242 }), request(0x7777, { requestId: 4242 })]) {
    const r = await callDispatch(printer, msg);
    t.equal(r.requestId, 4242);
    t.same(namesOf(r.groups[0]).slice(0, 2), ['attributes-charset', 'attributes-natural-language']);
    t.equal(plain(valueOf(r, 'operation', 'attributes-charset')), 'utf-8');
  }
});

t.test('a valid Get-Printer-Attributes succeeds', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA));
  t.equal(statusOf(r), 'successful-ok');
  t.equal(r.version.major, 2);
});

t.test('rule 1: version 0.0 is server-error-version-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { version: { major: 0, minor: 0 } }));
  t.equal(statusOf(r), 'server-error-version-not-supported');
});

t.test('rule 1: version 3.0 is server-error-version-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(GPA, { version: { major: 3, minor: 0 } }))), 'server-error-version-not-supported');
});

t.test('rule 1: IPP/1.1 requests are answered as 1.1', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { version: { major: 1, minor: 1 } }));
  t.equal(statusOf(r), 'successful-ok');
  t.same(r.version, { major: 1, minor: 1 });
});

t.test('rule 2: request-id 0 is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { requestId: 0 }));
  t.equal(statusOf(r), 'client-error-bad-request');
  t.match(message(r), /request-id/);
});

t.test('rule 3: attribute groups out of order are client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(IppOp.PrintJob, {
    groups: [
      { tag: 'operation', attributes: [...leadingAttributes(), attr('printer-uri', uri(PRINTER_URI))] },
      { tag: 'printer', attributes: [] },
      { tag: 'job', attributes: [attr('copies', integer(1))] },
    ],
  });
  const r = await callDispatch(printer, msg, testDocument(1));
  t.equal(statusOf(r), 'client-error-bad-request');
  t.match(message(r), /out of order/);
  t.equal(printer.jobs.list('all').length, 0, 'no job created');
});

t.test('rule 4: a request without operation attributes is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { groups: [] }));
  t.equal(statusOf(r), 'client-error-bad-request');
});

t.test('rule 4: a request whose first group is not the operation group is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { groups: [{ tag: 'job', attributes: [] }] }));
  t.equal(statusOf(r), 'client-error-bad-request');
});

t.test('rule 4: a missing attributes-charset is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(GPA, {
    groups: [{ tag: 'operation', attributes: [attr('attributes-natural-language', naturalLanguage('en')), attr('printer-uri', uri(PRINTER_URI))] }],
  });
  const r = await callDispatch(printer, msg);
  t.equal(statusOf(r), 'client-error-bad-request');
  t.match(message(r), /attributes-charset/);
});

t.test('rule 4: a missing attributes-natural-language is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(GPA, {
    groups: [{ tag: 'operation', attributes: [attr('attributes-charset', charset('utf-8')), attr('printer-uri', uri(PRINTER_URI))] }],
  });
  const r = await callDispatch(printer, msg);
  t.equal(statusOf(r), 'client-error-bad-request');
  t.match(message(r), /attributes-natural-language/);
});

t.test('rule 4: swapped charset and language are client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const [cs, lang] = leadingAttributes();
  if (!cs || !lang) throw new Error('leading attributes');
  const msg = request(GPA, { groups: [{ tag: 'operation', attributes: [lang, cs, attr('printer-uri', uri(PRINTER_URI))] }] });
  t.equal(statusOf(await callDispatch(printer, msg)), 'client-error-bad-request');
});

t.test('rule 4: attributes-charset with the wrong syntax is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(GPA, {
    groups: [{ tag: 'operation', attributes: [attr('attributes-charset', keyword('utf-8')), leadingAttributes()[1] ?? attr('x', integer(0)), attr('printer-uri', uri(PRINTER_URI))] }],
  });
  t.equal(statusOf(await callDispatch(printer, msg)), 'client-error-bad-request');
});

t.test('rule 4: a missing printer-uri is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { printerUri: null }));
  t.equal(statusOf(r), 'client-error-bad-request');
  t.match(message(r), /printer-uri/);
});

t.test('rule 4: a repeated operation attribute is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { operation: [attr('printer-uri', uri(PRINTER_URI))] }));
  t.equal(statusOf(r), 'client-error-bad-request');
});

t.test('rule 4: a second operation group is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const ops = request(GPA).groups[0];
  if (!ops) throw new Error('no operation group');
  t.equal(statusOf(await callDispatch(printer, request(GPA, { groups: [ops, ops] }))), 'client-error-bad-request');
});

t.test('rule 4: a job operation with printer-uri but no job-id is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetJobAttributes));
  t.equal(statusOf(r), 'client-error-bad-request');
  t.match(message(r), /job-id/);
});

t.test('rule 5: charset iso-8859-1 is client-error-charset-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(GPA, {
    groups: [{ tag: 'operation', attributes: [...leadingAttributes('iso-8859-1'), attr('printer-uri', uri(PRINTER_URI))] }],
  });
  t.equal(statusOf(await callDispatch(printer, msg)), 'client-error-charset-not-supported');
});

t.test('rule 5: charset us-ascii and upper-case UTF-8 are accepted', async (t) => {
  const { printer } = await makeTestPrinter(t);
  for (const cs of ['us-ascii', 'UTF-8']) {
    const msg = request(GPA, { groups: [{ tag: 'operation', attributes: [...leadingAttributes(cs), attr('printer-uri', uri(PRINTER_URI))] }] });
    t.equal(statusOf(await callDispatch(printer, msg)), 'successful-ok', cs);
  }
});

t.test('rule 6: a printer-uri naming another printer is client-error-not-found', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(GPA, { printerUri: 'ipp://localhost:8631/ipp/faxout' }))), 'client-error-not-found');
});

t.test('rule 6: an unknown job-id is client-error-not-found', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(IppOp.GetJobAttributes, { jobId: 99 }))), 'client-error-not-found');
});

t.test('rule 6: an unknown job-uri is client-error-not-found', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetJobAttributes, { jobUri: `${PRINTER_URI}/99` }));
  t.equal(statusOf(r), 'client-error-not-found');
});

t.test('rule 6: a job named by job-uri is found', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const created = await callDispatch(printer, request(IppOp.CreateJob));
  t.equal(statusOf(created), 'successful-ok');
  const r = await callDispatch(printer, request(IppOp.GetJobAttributes, { jobUri: `${PRINTER_URI}/1` }));
  t.equal(statusOf(r), 'successful-ok');
  t.equal(plain(valueOf(r, 'job', 'job-id')), 1);
});

t.test('rule 6: an unknown operation is server-error-operation-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(IppOp.CancelDocument))), 'server-error-operation-not-supported');
  t.equal(statusOf(await callDispatch(printer, request(0x4001))), 'server-error-operation-not-supported');
});

t.test('rule 8: with ipp-attribute-fidelity true an unsupported value rejects the job and is returned', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const bad = attr('sides', keyword('two-sided-on-a-moebius-strip'));
  const msg = request(IppOp.PrintJob, {
    operation: [attr('ipp-attribute-fidelity', boolean(true)), attr('document-format', { syntax: 'mimeMediaType', value: 'image/pwg-raster' })],
    job: [bad],
  });
  const r = await callDispatch(printer, msg, testDocument(1));
  t.equal(statusOf(r), 'client-error-attributes-or-values-not-supported');
  const unsupported = groupsOf(r, 'unsupported');
  t.equal(unsupported.length, 1);
  t.same(unsupported[0]?.attributes, [bad]);
  t.equal(printer.jobs.list('all').length, 0);
  t.equal(engine.jobs.length, 0);
});

t.test('rule 8: without fidelity an unsupported value is substituted and reported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const bad = attr('sides', keyword('two-sided-on-a-moebius-strip'));
  const r = await callDispatch(printer, request(IppOp.PrintJob, { job: [bad] }), testDocument(1));
  t.equal(statusOf(r), 'successful-ok-ignored-or-substituted-attributes');
  t.same(groupsOf(r, 'unsupported')[0]?.attributes, [bad]);
  t.equal(printer.jobs.get(1)?.record.options.sides, 'one-sided');
});

t.test('order: the version is checked before the request-id', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(GPA, { version: { major: 0, minor: 0 }, requestId: 0 }));
  t.equal(statusOf(r), 'server-error-version-not-supported');
});

t.test('order: a missing printer-uri is reported before a bad charset', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(GPA, { groups: [{ tag: 'operation', attributes: leadingAttributes('iso-8859-1') }] });
  t.equal(statusOf(await callDispatch(printer, msg)), 'client-error-bad-request');
});

t.test('order: a bad charset is reported before an unknown operation', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const msg = request(IppOp.CancelDocument, {
    groups: [{ tag: 'operation', attributes: [...leadingAttributes('iso-8859-1'), attr('printer-uri', uri(PRINTER_URI))] }],
  });
  t.equal(statusOf(await callDispatch(printer, msg)), 'client-error-charset-not-supported');
});

t.test('order: an unknown printer is reported before an unknown operation', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.CancelDocument, { printerUri: 'ipp://localhost/ipp/other' }));
  t.equal(statusOf(r), 'client-error-not-found');
});

t.test('a handler that throws a non-IPP error answers server-error-internal-error', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.identify = async () => {
    throw new Error('buzzer on fire');
  };
  const r = await callDispatch(printer, request(IppOp.IdentifyPrinter));
  t.equal(statusOf(r), 'server-error-internal-error');
});
