// The spool size cap (board config `spool.max-bytes`) and the printer-state-reason spool-area-full
// (RFC 8011 §5.4.12: the spool limit is reached, the printer temporarily cannot accept more jobs).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { IppError } from '../errors.js';
import type { PrinterState } from '../printer/state.js';
import { DEFAULT_SPOOL_MAX_BYTES } from '../config.js';

export { DEFAULT_SPOOL_MAX_BYTES };
/** The printer-state-reasons keyword shown while the spool is full. */
export const SPOOL_FULL_REASON = 'spool-area-full';

/** The status a request gets while the spool is full. */
export function spoolFullError(): IppError {
  return new IppError('server-error-busy', 'The spool area is full; try again later.');
}

/** True when `err` (or one of its causes) is the file system saying it is out of space. */
export function isNoSpace(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  }
  return false;
}

/**
 * Bytes held in the spool per job, against `maxBytes` (0 = no limit of our own; the file system's ENOSPC still counts
 * as full). Full is set when a document hits the cap or the disk, or the spool reaches the cap; it is cleared when a
 * job that held spool space ends (its document removed) and the spool is below the cap, or when the spool is empty.
 */
export class SpoolCap {
  readonly maxBytes: number;
  readonly #state: PrinterState;
  readonly #log: Logger;
  readonly #bytes = new Map<number, number>();
  #used = 0;
  #isFull = false;

  constructor(maxBytes: number, state: PrinterState, log: Logger) {
    this.maxBytes = maxBytes;
    this.#state = state;
    this.#log = log;
  }

  /** Bytes in the spool now (documents on disk plus uploads in progress). */
  get usedBytes(): number {
    return this.#used;
  }

  /** Whether new documents are refused (spool-area-full is shown). */
  get isFull(): boolean {
    return this.#isFull;
  }

  /** Count a document already on disk (start-up). */
  track(id: number, bytes: number): void {
    this.#set(id, bytes);
    if (this.maxBytes > 0 && this.#used >= this.maxBytes) this.markFull('spool at its cap at start-up');
  }

  /** Pass `source` through, counting it against the cap; throws server-error-busy (and marks full) on overflow. */
  async *meter(id: number, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let own = this.#bytes.get(id) ?? 0;
    for await (const chunk of source) {
      if (this.maxBytes > 0 && this.#used + chunk.length > this.maxBytes) {
        this.markFull('document hit the spool cap');
        throw spoolFullError();
      }
      own += chunk.length;
      this.#set(id, own);
      yield chunk;
    }
    if (this.maxBytes > 0 && this.#used >= this.maxBytes) this.markFull('spool at its cap');
  }

  /** Show spool-area-full and refuse documents until space frees up. */
  markFull(why: string): void {
    if (this.#isFull) return;
    this.#isFull = true;
    this.#log.warn({ usedBytes: this.#used, maxBytes: this.maxBytes, why }, 'spool area full');
    this.#state.setReasons({ add: [SPOOL_FULL_REASON] }, new Date());
  }

  /** A job's spool bytes are gone: `job-ended` after it finished or was canceled, `dropped` for a failed upload. */
  release(id: number, how: 'job-ended' | 'dropped'): void {
    this.#set(id, 0);
    const belowCap = this.maxBytes === 0 || this.#used < this.maxBytes;
    if (this.#isFull && belowCap && (how === 'job-ended' || this.#used === 0)) {
      this.#isFull = false;
      this.#log.info({ usedBytes: this.#used, maxBytes: this.maxBytes }, 'spool area has room again');
      this.#state.setReasons({ remove: [SPOOL_FULL_REASON] }, new Date());
    }
  }

  #set(id: number, bytes: number): void {
    this.#used += bytes - (this.#bytes.get(id) ?? 0);
    if (bytes > 0) this.#bytes.set(id, bytes);
    else this.#bytes.delete(id);
  }
}
