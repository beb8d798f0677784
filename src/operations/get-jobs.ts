// Get-Jobs (RFC 8011 §4.2.6): which-jobs, my-jobs, limit, requested-attributes (default job-uri and job-id).
// SPDX-License-Identifier: Apache-2.0
import { booleanValue, numberValue, stringValue } from '../ipp/build.js';
import { IppError } from '../errors.js';
import { buildJobAttributes, selectJobAttributes } from '../job/attributes.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { requestedAttributes } from './requested.js';
import { visibleJobAttributes } from './owner.js';

/** which-jobs-supported. */
export const WHICH_JOBS_SUPPORTED = ['completed', 'not-completed', 'all'] as const;

/** Handle Get-Jobs. */
export async function getJobs(ctx: OperationContext): Promise<OperationResult> {
  const which = stringValue(ctx.operation.get('which-jobs')) ?? 'not-completed';
  if (!(WHICH_JOBS_SUPPORTED as readonly string[]).includes(which)) {
    throw new IppError('client-error-attributes-or-values-not-supported', `Unsupported which-jobs "${which}".`, {
      unsupportedAttributes: [ctx.operation.get('which-jobs') ?? { name: 'which-jobs', values: [] }],
    });
  }
  const limitAttr = ctx.operation.get('limit');
  const limit = numberValue(limitAttr);
  if (limitAttr && (limit === undefined || limit < 1)) {
    throw new IppError('client-error-bad-request', 'Bad limit value.', { unsupported: ['limit'] });
  }
  const mine = booleanValue(ctx.operation.get('my-jobs')) ?? false;
  const requested = requestedAttributes(ctx);
  const uri = ctx.printer.printerUri(ctx.host, ctx.identity.secure);
  const upTime = ctx.printer.statusView().upTime;
  let jobs = ctx.printer.jobs.list(which as 'completed' | 'not-completed' | 'all');
  if (mine) jobs = jobs.filter((j) => j.record.user === ctx.identity.user);
  if (limit !== undefined) jobs = jobs.slice(0, limit);
  const groups = jobs.map((job) => ({
    tag: 'job' as const,
    attributes: selectJobAttributes(visibleJobAttributes(ctx, job, buildJobAttributes(job, uri, upTime, ctx.printer.capabilities)), requested, [
      'job-uri',
      'job-id',
    ]),
  }));
  return ok(groups);
}
