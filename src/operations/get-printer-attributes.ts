// Get-Printer-Attributes (RFC 8011 §4.2.5): requested-attributes groups; media-col-database only when named.
// SPDX-License-Identifier: Apache-2.0
import { ok, type OperationContext, type OperationResult } from './context.js';
import { requestedAttributes } from './requested.js';

/** Handle Get-Printer-Attributes. The same attributes apply to every document-format we accept. */
export async function getPrinterAttributes(ctx: OperationContext): Promise<OperationResult> {
  return ok([ctx.printer.printerGroup(ctx.host, ctx.identity.secure, requestedAttributes(ctx))]);
}
