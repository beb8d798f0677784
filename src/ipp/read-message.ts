// Reads an IPP message from a body stream: pulls chunks only until the end-of-attributes-tag, then hands back
// the rest of the body, unbuffered, as the document stream (architecture.md §4.1 step 3).
// SPDX-License-Identifier: Apache-2.0
import { IppDecoder } from './decoder.js';
import { DEFAULT_DECODE_LIMITS } from './types.js';
import type { DecodeLimits, IppMessage } from './types.js';

/** Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** The leftover bytes of the last attribute chunk, then the rest of the body as it arrives. */
async function* documentStream(head: Uint8Array, body: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let isSettled = false;
  try {
    if (head.length > 0) yield head;
    for (;;) {
      const step = await body.next();
      if (step.done) break;
      yield step.value;
    }
    isSettled = true;
  } catch (err) {
    isSettled = true;
    throw err;
  } finally {
    // The consumer stopped early: close the body, as a `for await` over it would have.
    if (!isSettled) await body.return?.();
  }
}

/**
 * Decodes the message at the start of `body` and returns it with the document data that follows.
 * Rejects with IppDecodeError on malformed input, a limit overrun, or a body that ends before the
 * end-of-attributes-tag; with `signal.reason` when `signal` aborts first. On rejection the body is left as it is
 * (the caller drains or destroys it). `signal` covers the attribute section only.
 */
export async function readIppMessage(
  body: AsyncIterable<Uint8Array>,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  signal?: AbortSignal,
): Promise<{ message: IppMessage; document: AsyncIterable<Uint8Array> }> {
  signal?.throwIfAborted();
  const decoder = new IppDecoder(limits);
  const it = body[Symbol.asyncIterator]();
  while (!decoder.isDone) {
    const step = await (signal ? abortable(it.next(), signal) : it.next());
    if (step.done) break;
    decoder.push(step.value);
  }
  const message = decoder.result();
  return { message, document: documentStream(decoder.leftover(), it) };
}
