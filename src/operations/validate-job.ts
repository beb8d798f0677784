// Validate-Job (RFC 8011 §4.2.3): the same checks as Print-Job, no job created.
// SPDX-License-Identifier: Apache-2.0
import { ok, type OperationContext, type OperationResult } from './context.js';
import { checkJobRequest } from './job-request.js';

/** Handle Validate-Job. */
export async function validateJob(ctx: OperationContext): Promise<OperationResult> {
  const req = checkJobRequest(ctx, true);
  return ok([], req.unsupported);
}
