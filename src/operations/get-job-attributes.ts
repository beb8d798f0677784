// Get-Job-Attributes (RFC 8011 §4.3.4).
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import { buildJobAttributes, selectJobAttributes } from '../job/attributes.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { requestedAttributes } from './requested.js';

/** Handle Get-Job-Attributes. */
export async function getJobAttributes(ctx: OperationContext): Promise<OperationResult> {
  const job = ctx.job;
  if (!job) throw new IppError('client-error-not-found', 'No such job.');
  const uri = ctx.printer.printerUri(ctx.host, ctx.identity.secure);
  const all = buildJobAttributes(job, uri, ctx.printer.statusView().upTime, ctx.printer.capabilities);
  return ok([{ tag: 'job', attributes: selectJobAttributes(all, requestedAttributes(ctx), 'all') }]);
}
