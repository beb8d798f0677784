// Job ownership (RFC 8011 §5.4.3 policy as ippeveprinter applies it): the job's user or an administrator.
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import type { Job } from '../job/job.js';
import type { OperationContext } from './context.js';

/**
 * Refuse a change to someone else's job. Until authentication lands (issue #4) every client counts as an
 * administrator, as ippeveprinter does without authentication; the check is in place for when it does.
 */
export function checkOwner(ctx: OperationContext, job: Job): void {
  if (ctx.identity.isAdmin || ctx.identity.user === job.record.user) return;
  throw new IppError('client-error-not-authorized', `Job #${job.id} belongs to another user.`);
}
