// Crash recovery of one job record at start-up: what a job cut off by a crash or power loss becomes.
// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { readJsonTolerant } from '../state-dir.js';
import { Job, isTerminal, type JobRecord } from './job.js';
import type { JobStore } from './store.js';

/**
 * A job whose document upload was cut off (a spool file without a spooled record) is aborted-by-system.
 * Spooled jobs that were pending or printing go back to pending (printed again from the start, as CUPS does);
 * a job whose document was streaming when the process died cannot be recovered and is aborted-by-system.
 */
export function recoverRecord(record: JobRecord, now: number, hasPartialSpool: boolean): { changed: boolean } {
  if (isTerminal(record.state)) return { changed: false };
  if (record.documentState === 'none' && hasPartialSpool) {
    // The document was being received when the process died: that upload can never resume.
    record.state = 'aborted';
    record.reasons = ['aborted-by-system'];
    record.message = 'The printer restarted while the document was being received.';
    record.completedAt = now;
    return { changed: true };
  }
  if (record.documentState === 'spooled') {
    if (record.state === 'processing' || record.state === 'processing-stopped') {
      record.state = 'pending';
      record.reasons = ['none'];
      record.impressionsCompleted = 0;
      return { changed: true };
    }
    return { changed: false };
  }
  if (record.documentState === 'streaming') {
    record.state = 'aborted';
    record.reasons = ['aborted-by-system'];
    record.message = 'The printer restarted while the document was streaming.';
    record.completedAt = now;
    record.processingAt ??= now;
    return { changed: true };
  }
  return { changed: false };
}

/** Every stored job after crash recovery (changed records saved again), and the next job id to use. */
export async function loadJobs(store: JobStore, now: number, log: Logger): Promise<{ jobs: Job[]; nextId: number }> {
  await store.prepare();
  const saved = await readJsonTolerant(store.nextIdPath, log);
  const savedNext = typeof saved === 'object' && saved !== null ? Number((saved as { next?: unknown }).next) : NaN;
  let nextId = Number.isInteger(savedNext) ? savedNext : 1;
  const jobs: Job[] = [];
  for (const record of await store.loadAll()) {
    const partial = record.documentState === 'none' && existsSync(store.spoolPath(record.id));
    if (recoverRecord(record, now, partial).changed) await store.save(record);
    if (isTerminal(record.state)) await store.removeSpool(record.id);
    jobs.push(new Job(record));
    nextId = Math.max(nextId, record.id + 1);
  }
  return { jobs, nextId };
}
