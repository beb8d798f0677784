// IPP message decoding entry points (RFC 8010 §3): whole-buffer, incremental, and from a body stream.
// SPDX-License-Identifier: Apache-2.0
import { IppDecoder } from './decoder.js';
import { DEFAULT_DECODE_LIMITS } from './types.js';
import type { DecodeLimits, IppMessage } from './types.js';

export { IppDecoder } from './decoder.js';
export { readIppMessage } from './read-message.js';

/** Decodes a whole message held in one buffer; `bodyOffset` is where the document data starts. */
export function decodeMessage(
  bytes: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): { message: IppMessage; bodyOffset: number } {
  const decoder = new IppDecoder(limits);
  decoder.push(bytes);
  return { message: decoder.result(), bodyOffset: decoder.bytesConsumed };
}
