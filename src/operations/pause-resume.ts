// Pause-Printer and Resume-Printer (RFC 8011 §4.2.7, §4.2.8): 'paused' in printer-state-reasons; the active job
// stops at the next page boundary.
// SPDX-License-Identifier: Apache-2.0
import { ok, type OperationContext, type OperationResult } from './context.js';

/** Handle Pause-Printer. */
export async function pausePrinter(ctx: OperationContext): Promise<OperationResult> {
  ctx.printer.state.setReasons({ add: ['paused'] }, new Date());
  ctx.log.info('printer paused');
  return ok();
}

/** Handle Resume-Printer. */
export async function resumePrinter(ctx: OperationContext): Promise<OperationResult> {
  ctx.printer.state.setReasons({ remove: ['paused'] }, new Date());
  ctx.log.info('printer resumed');
  return ok();
}
