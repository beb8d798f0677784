// Promise helpers for USB transfers that cannot be cancelled (usb v3 has no abort), and the mapping of the
// package's rejection messages to transport error kinds.
// SPDX-License-Identifier: Apache-2.0
import { TransportError, type TransportErrorKind } from '../../src/errors.js';

/**
 * Wait for `promise` unless one of `signals` aborts first; then reject with TransportError 'canceled' and leave the
 * promise running (its result is the caller's to collect).
 */
export function abortable<T>(promise: Promise<T>, signals: readonly AbortSignal[]): Promise<T> {
  if (signals.length === 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cleanup();
      reject(new TransportError('canceled', 'wait aborted'));
    };
    const cleanup = (): void => {
      for (const s of signals) s.removeEventListener('abort', onAbort);
    };
    if (signals.some((s) => s.aborted)) {
      onAbort();
      return;
    }
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (err: unknown) => {
        cleanup();
        reject(err);
      },
    );
  });
}

/** A promise that settles with `promise` but never rejects (for "wait until the transfer is over"). */
export function settled(promise: Promise<unknown>): Promise<void> {
  return promise.then(
    () => undefined,
    () => undefined,
  );
}

/**
 * The kind of a rejected usb v3 transfer: "Cancelled" after its timeout ran out (the kernel unlinked it), stall or
 * pipe errors, and errors that mean the device is gone. Anything else is 'stalled' until a presence check says more.
 */
export function classifyError(err: unknown): TransportErrorKind {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  if (/disconnect|no such device|ENODEV|ESHUTDOWN|device.*(gone|removed)/iu.test(text)) return 'disconnected';
  if (/cancel|timed? ?out|ETIMEDOUT/iu.test(text)) return 'timeout';
  return 'stalled';
}

/** True for a rejection that reports a halted endpoint (EPIPE) rather than a status of 'stall'. */
export function isStallError(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /stall|EPIPE|broken pipe/iu.test(text);
}
