// Identify-Printer (PWG 5100.13 §5.1): identify-actions and message, performed by the engine driver.
// SPDX-License-Identifier: Apache-2.0
import { stringValue } from '../ipp/build.js';
import { IppError } from '../errors.js';
import { ok, type OperationContext, type OperationResult } from './context.js';

/** Handle Identify-Printer. */
export async function identifyPrinter(ctx: OperationContext): Promise<OperationResult> {
  const supported = ctx.printer.capabilities.identifyActions as readonly string[];
  const a = ctx.operation.get('identify-actions');
  const actions = a ? a.values.map((v) => (v.syntax === 'keyword' ? v.value : '')) : [supported[0] ?? 'sound'];
  const bad = a ? a.values.filter((v) => v.syntax !== 'keyword' || !supported.includes(v.value)) : [];
  if (bad.length > 0) {
    throw new IppError('client-error-attributes-or-values-not-supported', 'Unsupported identify-actions.', {
      unsupportedAttributes: [{ name: 'identify-actions', values: bad }],
    });
  }
  const message = stringValue(ctx.operation.get('message'));
  await ctx.printer.driver.identify?.(actions, message, undefined);
  ctx.log.info({ actions }, 'identify');
  return ok();
}
