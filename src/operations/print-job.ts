// Print-Job (RFC 8011 §4.2.1): create a job and take its document in one request.
// SPDX-License-Identifier: Apache-2.0
import { booleanValue } from '../ipp/build.js';
import { IppError } from '../errors.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { checkJobRequest } from './job-request.js';
import { jobStatusGroup } from './job-response.js';

/** Handle Print-Job. */
export async function printJob(ctx: OperationContext): Promise<OperationResult> {
  const req = checkJobRequest(ctx, true);
  if (!ctx.document) throw new IppError('client-error-bad-request', 'No document data.');
  // No job is created while the spool is full (server-error-busy, printer-state-reasons spool-area-full).
  ctx.printer.jobs.assertSpoolRoom();
  const job = await ctx.printer.jobs.createWithDocument(
    {
      name: req.name,
      user: ctx.identity.user,
      format: req.format,
      compression: req.compression,
      holdUntil: req.template.holdUntil,
      options: req.template.options,
      impressions: 0,
    },
    ctx.document,
    { format: req.format, compression: req.compression, lastDocument: true },
    ctx.signal,
    (created) => ctx.log.info({ jobId: created.id, format: req.format }, 'job created'),
  );
  return ok([jobStatusGroup(ctx, job)], req.unsupported);
}

/** The required last-document operation attribute of Send-Document (RFC 8011 §4.3.1.1). */
export function isLastDocument(ctx: OperationContext): boolean {
  const last = booleanValue(ctx.operation.get('last-document'));
  if (last === undefined) throw new IppError('client-error-bad-request', 'Missing last-document.');
  return last;
}
