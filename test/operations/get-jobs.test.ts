// Get-Jobs (RFC 8011 §4.2.6): which-jobs, my-jobs, limit, and the default requested attributes (job-uri, job-id).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { attr, boolean, integer, keyword } from '../../src/ipp/build.js';
import { IppOp } from '../../src/ipp/ops.js';
import type { IppMessage } from '../../src/ipp/types.js';
import type { Printer } from '../../src/printer/printer.js';
import { makeTestPrinter, testDocument } from '../support/fake-engine.js';
import { callDispatch, groupsOf, jobIdOf, namesOf, plain, request, statusOf } from '../support/ipp-client.js';

function ids(r: IppMessage): unknown[] {
  return groupsOf(r, 'job').map((g) => plain(g.attributes.find((a) => a.name === 'job-id')?.values[0]));
}

/** Jobs 1 (alice, completed), 2 (bob, pending), 3 (alice, pending). */
async function threeJobs(printer: Printer): Promise<void> {
  jobIdOf(await callDispatch(printer, request(IppOp.PrintJob), testDocument(1)));
  jobIdOf(await callDispatch(printer, request(IppOp.CreateJob, { user: 'bob' })));
  jobIdOf(await callDispatch(printer, request(IppOp.CreateJob)));
}

t.test('without which-jobs only unfinished jobs are listed, newest first', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  const r = await callDispatch(printer, request(IppOp.GetJobs));
  t.equal(statusOf(r), 'successful-ok');
  t.same(ids(r), [3, 2]);
});

t.test('by default each job group holds job-uri and job-id only', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  const r = await callDispatch(printer, request(IppOp.GetJobs));
  for (const g of groupsOf(r, 'job')) t.same(namesOf(g).sort(), ['job-id', 'job-uri']);
});

t.test('which-jobs completed lists finished jobs', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  t.same(ids(await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('which-jobs', keyword('completed'))] }))), [1]);
});

t.test('which-jobs all lists every job', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  t.same(ids(await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('which-jobs', keyword('all'))] }))), [3, 2, 1]);
});

t.test('an unsupported which-jobs value is refused and returned', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const value = attr('which-jobs', keyword('proof-print'));
  const r = await callDispatch(printer, request(IppOp.GetJobs, { operation: [value] }));
  t.equal(statusOf(r), 'client-error-attributes-or-values-not-supported');
  t.same(groupsOf(r, 'unsupported')[0]?.attributes, [value]);
});

t.test("my-jobs true lists only the requesting user's jobs", async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  const all = attr('which-jobs', keyword('all'));
  t.same(ids(await callDispatch(printer, request(IppOp.GetJobs, { operation: [all, attr('my-jobs', boolean(true))] }))), [3, 1]);
  t.same(ids(await callDispatch(printer, request(IppOp.GetJobs, { user: 'bob', operation: [all, attr('my-jobs', boolean(true))] }))), [2]);
  t.same(ids(await callDispatch(printer, request(IppOp.GetJobs, { operation: [all, attr('my-jobs', boolean(false))] }))), [3, 2, 1]);
});

t.test('limit caps the number of jobs returned', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  const r = await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('which-jobs', keyword('all')), attr('limit', integer(2))] }));
  t.same(ids(r), [3, 2]);
});

t.test('limit 0 is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  t.equal(statusOf(await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('limit', integer(0))] }))), 'client-error-bad-request');
});

t.test('requested-attributes selects the job attributes returned', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  const r = await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('requested-attributes', keyword('job-state'), keyword('job-name'))] }));
  for (const g of groupsOf(r, 'job')) t.same(namesOf(g).sort(), ['job-name', 'job-state']);
});

t.test('requested-attributes all returns the full job description', async (t) => {
  const { printer } = await makeTestPrinter(t);
  await threeJobs(printer);
  const r = await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('requested-attributes', keyword('all'))] }));
  const names = namesOf(groupsOf(r, 'job')[0]);
  t.ok(names.includes('job-state-reasons'));
  t.ok(names.includes('job-originating-user-name'));
  t.ok(names.includes('media-col'));
});

t.test('requested-attributes with a non-keyword value is client-error-bad-request', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetJobs, { operation: [attr('requested-attributes', integer(1))] }));
  t.equal(statusOf(r), 'client-error-bad-request');
});

t.test('a printer without jobs answers with no job group', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const r = await callDispatch(printer, request(IppOp.GetJobs));
  t.equal(statusOf(r), 'successful-ok');
  t.same(groupsOf(r, 'job'), []);
});
