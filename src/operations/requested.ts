// requested-attributes (RFC 8011 §4.2.5.1 / §4.3.4): the keyword list a client asked for.
// SPDX-License-Identifier: Apache-2.0
import { IppError } from '../errors.js';
import type { OperationContext } from './context.js';

/** The requested-attributes keywords, or undefined when the request has none. */
export function requestedAttributes(ctx: OperationContext): string[] | undefined {
  const a = ctx.operation.get('requested-attributes');
  if (!a) return undefined;
  return a.values.map((v) => {
    if (v.syntax !== 'keyword') {
      throw new IppError('client-error-bad-request', 'requested-attributes must be keywords.', { unsupported: ['requested-attributes'] });
    }
    return v.value;
  });
}
