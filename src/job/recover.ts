// Crash recovery at start-up: what a job cut off by a crash or power loss becomes, and the next job id.
// Rule: a spooled job that was pending or printing is printed again from the start; a job whose document was streaming
// to the engine (never stored) or whose upload was cut off cannot be recovered and is aborted-by-system with a message.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { Job, isTerminal, type JobRecord } from './job.js';
import type { JobStore } from './store.js';

function abort(record: JobRecord, now: number, message: string): { changed: boolean } {
  record.state = 'aborted';
  record.reasons = ['aborted-by-system'];
  record.message = message;
  record.completedAt = now;
  record.processingAt ??= now;
  return { changed: true };
}

/**
 * Recover one record. `hasPartialSpool`: a spool or temp spool file exists for a job whose record has no document
 * (the upload was cut off: aborted). `hasSpool`: the spool file of a spooled job exists (without it: aborted).
 * Spooled jobs that were printing go back to pending and print from the start, as CUPS does; a job whose document
 * was streaming when the process died is aborted-by-system.
 */
export function recoverRecord(record: JobRecord, now: number, hasPartialSpool: boolean, hasSpool = true): { changed: boolean } {
  if (isTerminal(record.state)) return { changed: false };
  switch (record.documentState) {
    case 'none':
      // The document was being received when the process died: that upload can never resume.
      if (hasPartialSpool) return abort(record, now, 'The printer restarted while the document was being received.');
      return { changed: false };
    case 'spooled':
      if (!hasSpool) return abort(record, now, 'The spooled document is missing after a restart.');
      if (record.state === 'processing' || record.state === 'processing-stopped') {
        record.state = 'pending';
        record.reasons = ['none'];
        record.impressionsCompleted = 0;
        return { changed: true };
      }
      return { changed: false };
    case 'streaming':
      return abort(record, now, 'The printer restarted while the document was streaming.');
    default: {
      const never: never = record.documentState;
      return abort(record, now, `Unknown document state ${String(never)}.`);
    }
  }
}

/** What loadJobs found: jobs after recovery, the next id, and the spool bytes of jobs still to print. */
export interface LoadedJobs {
  readonly jobs: Job[];
  readonly nextId: number;
  readonly spoolBytes: ReadonlyMap<number, number>;
}

/**
 * Every stored job after crash recovery (changed records saved again), the next job id to use (never one any file
 * mentions), and the spool sizes of unfinished jobs. Damaged files are moved aside; start-up never fails on them.
 */
export async function loadJobs(store: JobStore, now: number, log: Logger): Promise<LoadedJobs> {
  const scan = await store.prepare();
  let nextId = Math.max((await store.loadNextId()) ?? 1, scan.highestId + 1);
  const jobs: Job[] = [];
  const spoolBytes = new Map<number, number>();
  const known = new Set<number>();
  for (const record of await store.loadAll()) {
    known.add(record.id);
    const hasSpool = scan.spooled.has(record.id);
    const partial = record.documentState === 'none' && (hasSpool || scan.tornSpools.has(record.id));
    const before = record.state;
    if (recoverRecord(record, now, partial, hasSpool).changed) {
      log.warn({ jobId: record.id, was: before, now: record.state, reasons: record.reasons }, 'job recovered after restart');
      await store.save(record);
    }
    if (isTerminal(record.state) || record.documentState !== 'spooled') {
      if (hasSpool) await store.removeSpool(record.id);
    } else {
      spoolBytes.set(record.id, (await store.spoolSize(record.id)) ?? 0);
    }
    jobs.push(new Job(record));
    nextId = Math.max(nextId, record.id + 1);
  }
  // A spool file without a record (its record was damaged and moved aside) can never print.
  for (const id of scan.spooled) {
    if (known.has(id)) continue;
    log.warn({ jobId: id }, 'removing a spooled document without a job record');
    await store.removeSpool(id);
  }
  await store.saveNextId(nextId);
  return { jobs, nextId, spoolBytes };
}
