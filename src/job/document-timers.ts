// The multiple-operation-time-out of jobs created without a document (PWG 5100.11 / RFC 8011 §5.4.29).
// SPDX-License-Identifier: Apache-2.0

/** One timer per job waiting for Send-Document; `onTimeOut` runs when it fires. */
export class DocumentTimers {
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #seconds: number;
  readonly #onTimeOut: (jobId: number) => void;

  constructor(seconds: number, onTimeOut: (jobId: number) => void) {
    this.#seconds = seconds;
    this.#onTimeOut = onTimeOut;
  }

  /** (Re)start the timer of a job. */
  arm(jobId: number): void {
    this.clear(jobId);
    const timer = setTimeout(() => {
      this.#timers.delete(jobId);
      this.#onTimeOut(jobId);
    }, this.#seconds * 1000);
    timer.unref();
    this.#timers.set(jobId, timer);
  }

  /** Stop the timer of a job (its document arrived, or it ended). */
  clear(jobId: number): void {
    const t = this.#timers.get(jobId);
    if (t) clearTimeout(t);
    this.#timers.delete(jobId);
  }

  /** Stop every timer (shutdown). */
  clearAll(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}
