// Hold-Job and Release-Job (RFC 8011 §4.3.5, §4.3.6) with job-hold-until.
// SPDX-License-Identifier: Apache-2.0
import { stringValue } from '../ipp/build.js';
import { IppError } from '../errors.js';
import { JOB_HOLD_UNTIL_SUPPORTED } from '../job/options.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { checkOwner } from './owner.js';

/** Handle Hold-Job (job-hold-until defaults to indefinite). */
export async function holdJob(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  checkOwner(ctx, job);
  const until = stringValue(ctx.operation.get('job-hold-until')) ?? 'indefinite';
  if (!(JOB_HOLD_UNTIL_SUPPORTED as readonly string[]).includes(until) || until === 'no-hold') {
    throw new IppError('client-error-attributes-or-values-not-supported', `Unsupported job-hold-until "${until}".`, {
      unsupportedAttributes: [ctx.operation.get('job-hold-until') ?? { name: 'job-hold-until', values: [] }],
    });
  }
  await ctx.printer.jobs.hold(job, until);
  return ok();
}

/** Handle Release-Job. */
export async function releaseJob(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  checkOwner(ctx, job);
  await ctx.printer.jobs.release(job);
  return ok();
}
