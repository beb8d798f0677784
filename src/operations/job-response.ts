// The job group returned by job-creating and job-changing operations (job-id, job-uri, job-state...).
// SPDX-License-Identifier: Apache-2.0
import type { IppGroup } from '../ipp/types.js';
import { attr, enumValue, integer, keyword, text, uri } from '../ipp/build.js';
import { JobState, type Job } from '../job/job.js';
import type { OperationContext } from './context.js';

/** RFC 8011 §4.2.1.2: job-id, job-uri, job-state, job-state-reasons, job-state-message. */
export function jobStatusGroup(ctx: OperationContext, job: Job): IppGroup {
  const base = ctx.printer.printerUri(ctx.host, ctx.identity.secure);
  const r = job.record;
  return {
    tag: 'job',
    attributes: [
      attr('job-id', integer(r.id)),
      attr('job-uri', uri(`${base}/${r.id}`)),
      attr('job-state', enumValue(JobState[r.state])),
      { name: 'job-state-reasons', values: r.reasons.map(keyword) },
      attr('job-state-message', text(r.message)),
    ],
  };
}
