// Create-Job (RFC 8011 §4.2.4): a job that waits for Send-Document within multiple-operation-time-out.
// SPDX-License-Identifier: Apache-2.0
import { ok, type OperationContext, type OperationResult } from './context.js';
import { checkJobRequest } from './job-request.js';
import { jobStatusGroup } from './job-response.js';

/** Handle Create-Job. */
export async function createJob(ctx: OperationContext): Promise<OperationResult> {
  const req = checkJobRequest(ctx, false);
  // No job is created while the spool is full (server-error-busy, printer-state-reasons spool-area-full).
  ctx.printer.jobs.assertSpoolRoom();
  const job = await ctx.printer.jobs.create({
    name: req.name,
    user: ctx.identity.user,
    format: req.format,
    compression: 'none',
    holdUntil: req.template.holdUntil,
    options: req.template.options,
    impressions: 0,
  });
  ctx.printer.jobs.awaitDocument(job);
  ctx.log.info({ jobId: job.id }, 'job created');
  return ok([jobStatusGroup(ctx, job)], req.unsupported);
}
