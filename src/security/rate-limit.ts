// Failed-authentication throttling per client address (security.md §8): a token bucket of allowed failures that
// refills slowly; an empty bucket means credentials from that address are not even checked (HTTP 429).
// SPDX-License-Identifier: Apache-2.0

/** Bucket size and refill rate. */
export interface FailureLimitOptions {
  /** failures allowed in a burst */
  readonly burst: number;
  /** one failure is forgiven every this many milliseconds */
  readonly refillMs: number;
  /** most addresses tracked; the oldest entry is dropped beyond it */
  readonly maxClients: number;
}

/** 10 failures at once, then one every 6 s (10 a minute). */
export const DEFAULT_FAILURE_LIMIT: FailureLimitOptions = { burst: 10, refillMs: 6000, maxClients: 4096 };

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets of failed authentications, keyed by client address. */
export class FailureLimiter {
  readonly #opts: FailureLimitOptions;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(opts: FailureLimitOptions = DEFAULT_FAILURE_LIMIT, now: () => number = Date.now) {
    this.#opts = opts;
    this.#now = now;
  }

  #bucket(address: string): Bucket {
    const now = this.#now();
    const b = this.#buckets.get(address) ?? { tokens: this.#opts.burst, at: now };
    const refill = Math.floor((now - b.at) / this.#opts.refillMs);
    if (refill > 0) {
      b.tokens = Math.min(this.#opts.burst, b.tokens + refill);
      b.at = b.tokens === this.#opts.burst ? now : b.at + refill * this.#opts.refillMs;
    }
    return b;
  }

  /** Seconds until `address` may try again, or 0 when it may try now. */
  retryAfter(address: string): number {
    const b = this.#bucket(address);
    if (b.tokens > 0) return 0;
    return Math.max(1, Math.ceil((b.at + this.#opts.refillMs - this.#now()) / 1000));
  }

  /** Count one failed authentication from `address`. */
  fail(address: string): void {
    const b = this.#bucket(address);
    b.tokens = Math.max(0, b.tokens - 1);
    this.#buckets.delete(address);
    this.#buckets.set(address, b);
    if (this.#buckets.size > this.#opts.maxClients) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }

  /** Number of addresses tracked (for tests and diagnostics). */
  get size(): number {
    return this.#buckets.size;
  }
}
