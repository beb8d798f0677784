// Crash recovery of job records: spooled processing -> pending, streaming -> aborted-by-system, terminal untouched.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { newJobRecord, type DocumentState, type JobRecord, type JobStateName } from '../../src/job/job.js';
import { defaultOptions } from '../../src/job/options.js';
import { recoverRecord } from '../../src/job/recover.js';
import { FAKE_CAPABILITIES } from '../support/fake-engine.js';

function record(state: JobStateName, documentState: DocumentState): JobRecord {
  const r = newJobRecord({
    id: 1,
    name: 'j',
    user: 'u',
    now: 1000,
    format: 'image/pwg-raster',
    compression: 'none',
    holdUntil: 'no-hold',
    options: defaultOptions(FAKE_CAPABILITIES),
    impressions: 3,
  });
  r.state = state;
  r.documentState = documentState;
  if (state !== 'pending' && state !== 'pending-held') r.processingAt = 2000;
  r.impressionsCompleted = 2;
  r.reasons = ['job-printing'];
  return r;
}

for (const state of ['processing', 'processing-stopped'] as const) {
  t.test(`a spooled ${state} job goes back to pending and will print from the start`, async (t) => {
    const r = record(state, 'spooled');
    t.same(recoverRecord(r, 9000, false), { changed: true });
    t.equal(r.state, 'pending');
    t.same(r.reasons, ['none']);
    t.equal(r.impressionsCompleted, 0);
    t.equal(r.completedAt, undefined);
  });
}

for (const state of ['pending', 'pending-held'] as const) {
  t.test(`a spooled ${state} job is left as it is`, async (t) => {
    const r = record(state, 'spooled');
    const before = structuredClone(r);
    t.same(recoverRecord(r, 9000, false), { changed: false });
    t.same(r, before);
  });
}

for (const state of ['pending', 'processing', 'processing-stopped'] as const) {
  t.test(`a ${state} job whose document was streaming is aborted-by-system`, async (t) => {
    const r = record(state, 'streaming');
    t.same(recoverRecord(r, 9000, false), { changed: true });
    t.equal(r.state, 'aborted');
    t.same(r.reasons, ['aborted-by-system']);
    t.equal(r.completedAt, 9000);
    t.ok(r.processingAt !== undefined);
    t.match(r.message, /restarted/);
  });
}

t.test('a streaming job that never reached processing gets processingAt at recovery', async (t) => {
  const r = record('pending', 'streaming');
  recoverRecord(r, 9000, false);
  t.equal(r.processingAt, 9000);
});

for (const state of ['completed', 'canceled', 'aborted'] as const) {
  for (const doc of ['spooled', 'streaming', 'none'] as const) {
    t.test(`a ${state} job (${doc}) is untouched`, async (t) => {
      const r = record(state, doc);
      const before = structuredClone(r);
      t.same(recoverRecord(r, 9000, false), { changed: false });
      t.same(r, before);
    });
  }
}

t.test('a job still waiting for its document is left for the time-out to handle', async (t) => {
  const r = record('pending', 'none');
  t.same(recoverRecord(r, 9000, false), { changed: false });
  t.equal(r.state, 'pending');
});

t.test('a job whose document upload was cut off by the crash is aborted-by-system', async (t) => {
  const r = record('pending', 'none');
  t.same(recoverRecord(r, 9000, true), { changed: true });
  t.equal(r.state, 'aborted');
  t.same(r.reasons, ['aborted-by-system']);
  t.equal(r.completedAt, 9000);
});
