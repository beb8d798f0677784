// Cancel-Jobs and Cancel-My-Jobs (PWG 5100.11 §6.3, §6.4): cancel every pending/processing job (or those named
// by job-ids); Cancel-My-Jobs only the requesting user's.
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import type { Job } from '../job/job.js';
import { ok, type OperationContext, type OperationResult } from './context.js';

function named(ctx: OperationContext): number[] | undefined {
  const a = ctx.operation.get('job-ids');
  if (!a) return undefined;
  return a.values.map((v) => {
    if (v.syntax !== 'integer') throw new IppError('client-error-bad-request', 'Bad job-ids value.', { unsupported: ['job-ids'] });
    return v.value;
  });
}

async function cancelSome(ctx: OperationContext, mine: boolean): Promise<OperationResult> {
  const ids = named(ctx);
  let jobs: Job[];
  if (ids) {
    jobs = ids.map((id) => {
      const job = ctx.printer.jobs.get(id);
      if (!job) throw new IppError('client-error-not-found', `Job #${id} does not exist.`);
      if (job.isTerminal) throw new IppError('client-error-not-possible', `Job #${id} is already ${job.state}.`);
      if (mine && job.record.user !== ctx.identity.user) {
        throw new IppError('client-error-not-authorized', `Job #${id} belongs to another user.`);
      }
      return job;
    });
  } else {
    jobs = ctx.printer.jobs.list('not-completed').filter((j) => !mine || j.record.user === ctx.identity.user);
  }
  for (const job of jobs) {
    if (!job.isTerminal) await ctx.printer.jobs.cancel(job, mine ? 'job-canceled-by-user' : 'job-canceled-by-operator');
  }
  return ok();
}

/** Handle Cancel-Jobs (operator). */
export function cancelJobs(ctx: OperationContext): Promise<OperationResult> {
  return cancelSome(ctx, false);
}

/** Handle Cancel-My-Jobs. */
export function cancelMyJobs(ctx: OperationContext): Promise<OperationResult> {
  return cancelSome(ctx, true);
}
