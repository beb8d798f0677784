// Job operations through dispatch(): Print-Job, Validate-Job, Create-Job + Send-Document, Close-Job, Cancel-Job,
// Cancel-Jobs, Cancel-My-Jobs, Hold-Job and Release-Job, Get-Job-Attributes.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { once } from 'node:events';
import { attr, boolean, collection, integer, keyword, mimeMediaType, name } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import { JobState } from '../../src/job/job.js';
import { gzipSync } from 'node:zlib';
import { jsonSinkLogger, makeTestPrinter, testDocument, until } from '../support/fake-engine.js';
import { PRINTER_URI, callDispatch, jobIdOf, namesOf, plain, request, statusOf, valueOf, groupsOf } from '../support/ipp-client.js';

const PWG = attr('document-format', mimeMediaType('image/pwg-raster'));

t.test('Print-Job streams the document and answers with the job status group', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.PrintJob, { operation: [attr('job-name', name('letter')), PWG] }), testDocument(2));
  t.equal(statusOf(r), 'successful-ok');
  t.same(namesOf(groupsOf(r, 'job')[0]), ['job-id', 'job-uri', 'job-state', 'job-state-reasons', 'job-state-message']);
  const id = jobIdOf(r);
  t.equal(plain(valueOf(r, 'job', 'job-uri')), `${PRINTER_URI}/${id}`);
  t.equal(plain(valueOf(r, 'job', 'job-state')), JobState.completed);
  t.equal(engine.jobs[0]?.jobName, 'letter');
  t.equal(engine.jobs[0]?.pages.length, 2);
  t.equal(printer.jobs.get(id)?.record.user, 'alice');
});

t.test('Print-Job with application/octet-stream sniffs PWG raster', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.PrintJob), testDocument(1));
  t.equal(statusOf(r), 'successful-ok');
  t.equal(engine.jobs[0]?.pages.length, 1);
});

t.test('Print-Job without a requesting-user-name belongs to anonymous', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.PrintJob, { user: null }), testDocument(1));
  t.equal(printer.jobs.get(jobIdOf(r))?.record.user, 'anonymous');
});

t.test('Print-Job applies the job template and echoes it in the job attributes', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(
    printer,
    request(IppOp.PrintJob, {
      job: [
        attr('media-col', collection([attr('media-size', collection([attr('x-dimension', integer(21590)), attr('y-dimension', integer(27940))]))])),
        attr('sides', keyword('two-sided-long-edge')),
      ],
    }),
    testDocument(1),
  );
  t.equal(statusOf(r), 'successful-ok');
  const g = await callDispatch(printer, request(IppOp.GetJobAttributes, { jobId: jobIdOf(r), operation: [attr('requested-attributes', keyword('media'), keyword('sides'))] }));
  t.equal(plain(valueOf(g, 'job', 'media')), 'na_letter_8.5x11in');
  t.equal(plain(valueOf(g, 'job', 'sides')), 'two-sided-long-edge');
});

t.test('Print-Job with an unsupported document-format is client-error-document-format-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.PrintJob, { operation: [attr('document-format', mimeMediaType('application/pdf'))] }), testDocument(1));
  t.equal(statusOf(r), 'client-error-document-format-not-supported');
  t.same(namesOf(groupsOf(r, 'unsupported')[0]), ['document-format']);
});

t.test('Print-Job with an unsupported compression is client-error-compression-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.PrintJob, { operation: [attr('compression', keyword('compress'))] }), testDocument(1));
  t.equal(statusOf(r), 'client-error-compression-not-supported');
});

t.test('Print-Job without document data is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(IppOp.PrintJob))), 'client-error-bad-request');
});

t.test('Validate-Job checks like Print-Job but creates no job', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(IppOp.ValidateJob, { operation: [PWG] }))), 'successful-ok');
  const bad = await callDispatch(printer, request(IppOp.ValidateJob, { job: [attr('print-quality', integer(9))] }));
  t.equal(statusOf(bad), 'successful-ok-ignored-or-substituted-attributes');
  t.equal(printer.jobs.list('all').length, 0);
});

t.test('Create-Job then Send-Document with last-document prints the job', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const c = await callDispatch(printer, request(IppOp.CreateJob));
  t.equal(statusOf(c), 'successful-ok');
  const id = jobIdOf(c);
  t.equal(plain(valueOf(c, 'job', 'job-state')), JobState.pending);
  const s = await callDispatch(printer, request(IppOp.SendDocument, { jobId: id, operation: [PWG, attr('last-document', boolean(true))] }), testDocument(2));
  t.equal(statusOf(s), 'successful-ok');
  t.equal(plain(valueOf(s, 'job', 'job-state')), JobState.completed);
  t.equal(engine.jobs[0]?.pages.length, 2);
  t.equal(printer.jobs.get(id)?.record.format, 'image/pwg-raster');
});

t.test('Send-Document without last-document is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.SendDocument, { jobId: id }), testDocument(1))), 'client-error-bad-request');
});

t.test('Send-Document to a finished job is client-error-not-possible', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1)));
  const s = await callDispatch(printer, request(IppOp.SendDocument, { jobId: id, operation: [attr('last-document', boolean(true))] }), testDocument(1));
  t.equal(statusOf(s), 'client-error-not-possible');
});

t.test('Close-Job ends a Create-Job job that got no document', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  const r = await callDispatch(printer, request(IppOp.CloseJob, { jobId: id }));
  t.equal(statusOf(r), 'successful-ok');
  t.equal(plain(valueOf(r, 'job', 'job-state')), JobState.aborted);
});

t.test('Cancel-Job on a completed job is client-error-not-possible', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1)));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.CancelJob, { jobId: id }))), 'client-error-not-possible');
});

t.test('Cancel-Job by the owner cancels a pending job with job-canceled-by-user', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.CancelJob, { jobId: id }))), 'successful-ok');
  t.equal(printer.jobs.get(id)?.state, 'canceled');
  t.same(printer.jobs.get(id)?.record.reasons, ['job-canceled-by-user']);
});

t.test('Cancel-Job by another user (an administrator) says job-canceled-by-operator', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  await callDispatch(printer, request(IppOp.CancelJob, { jobId: id, user: 'root' }));
  t.same(printer.jobs.get(id)?.record.reasons, ['job-canceled-by-operator']);
});

t.test('Cancel-Job of the printing job answers at once and the job ends canceled', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  engine.gate();
  const started = once(engine, 'line');
  const printing = callDispatch(printer, request(IppOp.PrintJob), testDocument(2));
  await started;
  const r = await callDispatch(printer, request(IppOp.CancelJob, { jobId: 1 }));
  t.equal(statusOf(r), 'successful-ok');
  engine.release();
  const p = await printing;
  t.equal(plain(valueOf(p, 'job', 'job-state')), JobState.canceled);
  t.same(printer.jobs.get(1)?.record.reasons, ['job-canceled-by-user']);
});

t.test("Cancel-My-Jobs cancels only the caller's jobs", async (t) => {
  const { printer } = await makeTestPrinter(t);
  const mine = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  const theirs = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob, { user: 'bob' })));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.CancelMyJobs))), 'successful-ok');
  t.equal(printer.jobs.get(mine)?.state, 'canceled');
  t.equal(printer.jobs.get(theirs)?.state, 'pending');
});

t.test("Cancel-My-Jobs naming someone else's job is client-error-not-authorized", async (t) => {
  const { printer } = await makeTestPrinter(t);
  const theirs = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob, { user: 'bob' })));
  const r = await callDispatch(printer, request(IppOp.CancelMyJobs, { operation: [attr('job-ids', integer(theirs))] }));
  t.equal(statusOf(r), 'client-error-not-authorized');
  t.equal(printer.jobs.get(theirs)?.state, 'pending');
});

t.test('Cancel-Jobs cancels every unfinished job', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const done = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1)));
  const a = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  const b = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob, { user: 'bob' })));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.CancelJobs))), 'successful-ok');
  t.same([a, b].map((id) => printer.jobs.get(id)?.record.reasons), [['job-canceled-by-operator'], ['job-canceled-by-operator']]);
  t.equal(printer.jobs.get(done)?.state, 'completed');
});

t.test('Cancel-Jobs naming a finished job is client-error-not-possible', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const done = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1)));
  const r = await callDispatch(printer, request(IppOp.CancelJobs, { operation: [attr('job-ids', integer(done))] }));
  t.equal(statusOf(r), 'client-error-not-possible');
});

t.test('Hold-Job holds a pending job and Release-Job lets it print', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  printer.state.setReasons({ add: ['paused'] }, new Date());
  const id = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1)));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.HoldJob, { jobId: id }))), 'successful-ok');
  t.equal(printer.jobs.get(id)?.state, 'pending-held');
  printer.state.setReasons({ remove: ['paused'] }, new Date());
  t.equal(engine.jobs.length, 0, 'held job not printed on resume');
  t.equal(statusOf(await callDispatch(printer, request(IppOp.ReleaseJob, { jobId: id }))), 'successful-ok');
  await until(printer, () => printer.jobs.get(id)?.state === 'completed');
});

t.test('Hold-Job with an unsupported job-hold-until is refused with the value returned', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  const value = attr('job-hold-until', keyword('weekend'));
  const r = await callDispatch(printer, request(IppOp.HoldJob, { jobId: id, operation: [value] }));
  t.equal(statusOf(r), 'client-error-attributes-or-values-not-supported');
  t.same(groupsOf(r, 'unsupported')[0]?.attributes, [value]);
});

t.test('Release-Job of a job that is not held is client-error-not-possible', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  t.equal(statusOf(await callDispatch(printer, request(IppOp.ReleaseJob, { jobId: id }))), 'client-error-not-possible');
});

t.test('Get-Job-Attributes returns every job status attribute of ipp-everywhere.md §8 by default', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(2)));
  const r = await callDispatch(printer, request(IppOp.GetJobAttributes, { jobId: id }));
  t.equal(statusOf(r), 'successful-ok');
  const names = namesOf(groupsOf(r, 'job')[0]);
  for (const n of [
    'job-id', 'job-uri', 'job-uuid', 'job-name', 'job-originating-user-name', 'job-printer-uri', 'job-printer-up-time',
    'job-state', 'job-state-reasons', 'job-state-message', 'time-at-creation', 'time-at-processing', 'time-at-completed',
    'date-time-at-creation', 'date-time-at-processing', 'date-time-at-completed', 'job-impressions', 'job-impressions-completed',
  ]) {
    t.ok(names.includes(n), n);
  }
  t.equal(plain(valueOf(r, 'job', 'job-impressions-completed')), 2);
  t.equal(plain(valueOf(r, 'job', 'job-printer-uri')), PRINTER_URI);
});

t.test('Get-Job-Attributes with requested-attributes returns only those', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  const r = await callDispatch(printer, request(IppOp.GetJobAttributes, { jobId: id, operation: [attr('requested-attributes', keyword('job-state'), keyword('job-id'))] }));
  t.same(namesOf(groupsOf(r, 'job')[0]), ['job-id', 'job-state']);
});

t.test('Print-Job with compression gzip prints the inflated document', async (t) => {
  const { printer, engine } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.PrintJob, { operation: [PWG, attr('compression', keyword('gzip'))] }), gzipSync(testDocument(2)));
  t.equal(statusOf(r), 'successful-ok');
  t.equal(plain(valueOf(r, 'job', 'job-state')), JobState.completed);
  t.equal(engine.jobs[0]?.pages.length, 2);
});

t.test('a second Send-Document is server-error-multiple-document-jobs-not-supported', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob, { job: [attr('job-hold-until', keyword('indefinite'))] })));
  const first = await callDispatch(printer, request(IppOp.SendDocument, { jobId: id, operation: [attr('last-document', boolean(false))] }), testDocument(1));
  t.equal(statusOf(first), 'successful-ok');
  const again = await callDispatch(printer, request(IppOp.SendDocument, { jobId: id, operation: [attr('last-document', boolean(true))] }), testDocument(1));
  t.equal(statusOf(again), 'server-error-multiple-document-jobs-not-supported');
});

t.test('a Create-Job job without Send-Document is aborted after multiple-operation-time-out', async (t) => {
  const { printer } = await makeTestPrinter(t, { multipleOperationTimeOut: 0.02 });
  const id = jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
  await until(printer, () => printer.jobs.get(id)?.state === 'aborted');
  const r = await callDispatch(printer, request(IppOp.GetJobAttributes, { jobId: id, operation: [attr('requested-attributes', keyword('job-state-reasons'))] }));
  t.equal(plain(valueOf(r, 'job', 'job-state-reasons')), 'aborted-by-system');
});

t.test('a created job is logged at info with its job-id under the operation name', async (t) => {
  const { log, lines } = jsonSinkLogger('info');
  const { printer } = await makeTestPrinter(t);
  const id = jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1), { log }));
  const line = lines.find((l) => l['msg'] === 'job created');
  t.ok(line, 'logged');
  t.equal(line?.['level'], 30);
  t.equal(line?.['op'], 'Print-Job');
  t.equal(line?.['jobId'], id);
});
