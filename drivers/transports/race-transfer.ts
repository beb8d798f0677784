// Races one transfer against cancellation, device loss and a timeout, turning each into the TransportError kind
// the transport contract names ('canceled', 'disconnected', 'timeout').
// SPDX-License-Identifier: Apache-2.0
import { setTimeout as sleep } from 'node:timers/promises';
import { TransportError, type TransportErrorKind } from '../../src/errors.js';

/** What a transfer is raced against. */
export interface RaceOptions {
  readonly signal?: AbortSignal | undefined;
  /** the port's `disconnected` signal */
  readonly disconnected: AbortSignal;
  /** 0 or undefined: no timeout */
  readonly timeoutMs?: number | undefined;
  /** 'write', 'read', 'drain' … for the message */
  readonly what: string;
  /** bytes known to be accepted when the race is lost (undefined: unknown) */
  readonly bytesAccepted?: () => number | undefined;
}

/** Kind for an aborted caller signal: AbortSignal.timeout() means 'timeout', anything else 'canceled'. */
export function abortKind(signal: AbortSignal): TransportErrorKind {
  const reason: unknown = signal.reason;
  if (reason instanceof TransportError) return reason.kind;
  return reason instanceof Error && reason.name === 'TimeoutError' ? 'timeout' : 'canceled';
}

function lost(kind: TransportErrorKind, opts: RaceOptions, cause: unknown): TransportError {
  const accepted = opts.bytesAccepted?.();
  const text = kind === 'disconnected' ? 'device disconnected' : kind === 'timeout' ? 'timed out' : 'canceled';
  return new TransportError(kind, `${opts.what} ${text}`, accepted === undefined ? { cause } : { cause, bytesAccepted: accepted });
}

/** Settle with `op`, or reject with a TransportError as soon as the signal, the device or the timer wins. */
export function raceTransfer<T>(op: Promise<T>, opts: RaceOptions): Promise<T> {
  const { signal, disconnected } = opts;
  if (signal?.aborted === true) {
    op.catch(() => undefined);
    return Promise.reject(lost(abortKind(signal), opts, signal.reason));
  }
  if (disconnected.aborted) {
    op.catch(() => undefined);
    return Promise.reject(lost('disconnected', opts, disconnected.reason));
  }
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      disconnected.removeEventListener('abort', onGone);
    };
    const onAbort = (): void => {
      cleanup();
      if (signal !== undefined) reject(lost(abortKind(signal), opts, signal.reason));
    };
    const onGone = (): void => {
      cleanup();
      reject(lost('disconnected', opts, disconnected.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    disconnected.addEventListener('abort', onGone, { once: true });
    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        cleanup();
        reject(lost('timeout', opts, undefined));
      }, opts.timeoutMs);
    }
    op.then(
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

/** Wait `ms`; an abort rejects with TransportError('canceled' or 'timeout'). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
  } catch (err) {
    if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'wait canceled', { cause: err });
    throw err;
  }
}
