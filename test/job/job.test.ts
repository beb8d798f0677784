// The Job state machine: transitions, reasons and the processing/completed time stamps.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { Job, JobState, isTerminal, newJobRecord, type JobStateName } from '../../src/job/job.js';
import { defaultOptions } from '../../src/job/options.js';
import { FAKE_CAPABILITIES } from '../support/fake-engine.js';

function fresh(): Job {
  return new Job(
    newJobRecord({
      id: 4,
      name: 'report',
      user: 'alice',
      now: 1000,
      format: 'image/pwg-raster',
      compression: 'none',
      holdUntil: 'no-hold',
      options: defaultOptions(FAKE_CAPABILITIES),
      impressions: 0,
    }),
  );
}

t.test('job-state values are those of RFC 8011', async (t) => {
  t.same(JobState, { pending: 3, 'pending-held': 4, processing: 5, 'processing-stopped': 6, canceled: 7, aborted: 8, completed: 9 });
});

t.test('a new record is pending with reason none, no document and a urn:uuid', async (t) => {
  const job = fresh();
  t.equal(job.id, 4);
  t.equal(job.state, 'pending');
  t.same(job.record.reasons, ['none']);
  t.equal(job.record.documentState, 'none');
  t.equal(job.record.processingAt, undefined);
  t.equal(job.record.completedAt, undefined);
  t.match(job.record.uuid, /^urn:uuid:[0-9a-f-]{36}$/);
  t.not(job.record.uuid, fresh().record.uuid);
});

t.test('only canceled, aborted and completed are terminal', async (t) => {
  const terminal = (Object.keys(JobState) as JobStateName[]).filter(isTerminal);
  t.same(terminal, ['canceled', 'aborted', 'completed']);
});

t.test('entering processing stamps processingAt once', async (t) => {
  const job = fresh();
  job.transition('processing', ['job-printing'], 2000);
  job.transition('processing-stopped', ['printer-stopped'], 3000);
  job.transition('processing', ['job-printing'], 4000);
  t.equal(job.record.processingAt, 2000);
  t.equal(job.record.completedAt, undefined);
  t.same(job.record.reasons, ['job-printing']);
  t.notOk(job.isTerminal);
});

t.test('completion stamps completedAt and keeps the earlier processingAt', async (t) => {
  const job = fresh();
  job.transition('processing', ['job-printing'], 2000);
  job.transition('completed', ['job-completed-successfully'], 5000, 'Completed.');
  t.equal(job.record.processingAt, 2000);
  t.equal(job.record.completedAt, 5000);
  t.equal(job.record.message, 'Completed.');
  t.ok(job.isTerminal);
});

t.test('a job canceled while pending gets processingAt equal to completedAt', async (t) => {
  const job = fresh();
  job.transition('canceled', ['job-canceled-by-user'], 7000);
  t.equal(job.record.processingAt, 7000);
  t.equal(job.record.completedAt, 7000);
});

t.test('a transition with no reasons sets none and clears the message', async (t) => {
  const job = fresh();
  job.transition('pending-held', ['job-hold-until-specified'], 1500, 'held');
  job.transition('pending', [], 1600);
  t.same(job.record.reasons, ['none']);
  t.equal(job.record.message, '');
});

t.test('setReason adds a reason in place of none and reports a change', async (t) => {
  const job = fresh();
  t.equal(job.setReason('processing-to-stop-point', true), true);
  t.same(job.record.reasons, ['processing-to-stop-point']);
  t.equal(job.setReason('processing-to-stop-point', true), false);
});

t.test('setReason removing the last reason leaves none', async (t) => {
  const job = fresh();
  job.transition('processing', ['job-printing', 'printer-stopped'], 2000);
  t.equal(job.setReason('printer-stopped', false), true);
  t.same(job.record.reasons, ['job-printing']);
  t.equal(job.setReason('job-printing', false), true);
  t.same(job.record.reasons, ['none']);
  t.equal(job.setReason('job-printing', false), false);
});
