// Send-Document (RFC 8011 §4.3.1): the one document of a job made by Create-Job.
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { compression, documentFormat } from './job-request.js';
import { jobStatusGroup } from './job-response.js';
import { isLastDocument } from './print-job.js';
import { checkOwner } from './owner.js';

/** Handle Send-Document. */
export async function sendDocument(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  checkOwner(ctx, job);
  const lastDocument = isLastDocument(ctx);
  const format = documentFormat(ctx);
  const comp = compression(ctx);
  if (job.isTerminal) throw new IppError('client-error-not-possible', `Job #${job.id} is already ${job.state}.`);
  if (!ctx.document) throw new IppError('client-error-bad-request', 'No document data.');
  await ctx.printer.jobs.addDocument(job, ctx.document, { format, compression: comp, lastDocument }, ctx.signal);
  return ok([jobStatusGroup(ctx, job)]);
}
