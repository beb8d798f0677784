// Cancel-Job (RFC 8011 §4.3.3): a finished job cannot be canceled (client-error-not-possible).
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { checkOwner } from './owner.js';

/** Handle Cancel-Job. */
export async function cancelJob(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  checkOwner(ctx, job);
  await ctx.printer.jobs.cancel(job, ctx.identity.user === job.record.user ? 'job-canceled-by-user' : 'job-canceled-by-operator');
  return ok();
}
