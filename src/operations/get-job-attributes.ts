// Get-Job-Attributes (RFC 8011 §4.3.4); other users' private attributes are left out (owner.ts).
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import { buildJobAttributes, selectJobAttributes } from '../job/attributes.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { requestedAttributes } from './requested.js';
import { visibleJobAttributes } from './owner.js';

/** Handle Get-Job-Attributes. */
export async function getJobAttributes(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  const uri = ctx.printer.printerUri(ctx.host, ctx.identity.secure);
  const all = visibleJobAttributes(ctx, job, buildJobAttributes(job, uri, ctx.printer.statusView().upTime, ctx.printer.capabilities));
  return ok([{ tag: 'job', attributes: selectJobAttributes(all, requestedAttributes(ctx), 'all') }]);
}
