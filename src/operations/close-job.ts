// Close-Job (PWG 5100.11 §6.2): no more documents for this job.
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { jobStatusGroup } from './job-response.js';
import { checkOwner } from './owner.js';

/** Handle Close-Job. */
export async function closeJob(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  checkOwner(ctx, job);
  await ctx.printer.jobs.close(job);
  return ok([jobStatusGroup(ctx, job)]);
}
