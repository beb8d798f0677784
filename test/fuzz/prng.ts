// Seeded pseudo-random numbers for the fuzzers (mulberry32), so a seed reproduces a whole run.
// SPDX-License-Identifier: Apache-2.0

/** A small seeded PRNG with the helpers the mutators need. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(this.#state ^ (this.#state >>> 15), 1 | this.#state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n) (0 when n <= 0). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    const value = list[this.int(list.length)];
    if (value === undefined) throw new RangeError('pick from an empty list');
    return value;
  }

  /** Small numbers far more often than large ones: 0..max, log-uniform. */
  size(max: number): number {
    return Math.min(max, Math.floor(Math.exp(this.next() * Math.log(max + 1))) - 1 + this.int(2));
  }
}

/** A fresh random 32-bit seed (for time-bounded soak runs, which print it). */
export function randomSeed(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}
