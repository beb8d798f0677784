// Coverage guidance from V8 block coverage (inspector Profiler.takePreciseCoverage, binary counts): which blocks of
// the firmware's own modules ran since the last take that no kept input ran before. A take costs milliseconds, so
// the fuzz loop takes once per batch and replays a batch input by input only when the batch found something.
// SPDX-License-Identifier: Apache-2.0
import { Session } from 'node:inspector';

interface Range {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}
interface FunctionCoverage {
  readonly ranges: readonly Range[];
}
interface ScriptCoverage {
  readonly url: string;
  readonly functions: readonly FunctionCoverage[];
}

/** Scripts whose blocks count: the decoders and the HTTP front end. */
export const DEFAULT_COVERAGE_FILTER = /\/src\/(ipp|raster|snmp|server)\//;

/** Block-coverage tracker over one inspector session in this thread. */
export class CoverageTracker {
  readonly #session = new Session();
  readonly #filter: RegExp;
  /** per function (url:start): every block range seen so far */
  readonly #blocks = new Map<string, Set<string>>();
  /** blocks (url:start:blockStart-blockEnd) executed by some input */
  readonly #covered = new Set<string>();

  constructor(filter: RegExp = DEFAULT_COVERAGE_FILTER) {
    this.#filter = filter;
    this.#session.connect();
    this.#post('Profiler.enable');
    this.#post('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
  }

  /** Blocks executed so far by any input. */
  get blocks(): number {
    return this.#covered.size;
  }

  /** Forget what ran since the last call (run before an input). */
  reset(): void {
    this.#post('Profiler.takePreciseCoverage');
  }

  /** Blocks executed since the last reset/take that no committed input executed (not committed yet). */
  take(): string[] {
    const result = this.#post('Profiler.takePreciseCoverage') as { result: readonly ScriptCoverage[] };
    const fresh: string[] = [];
    for (const script of result.result) {
      if (!this.#filter.test(script.url)) continue;
      for (const fn of script.functions) this.#function(script.url, fn.ranges, fresh);
    }
    return fresh;
  }

  /** Record blocks as covered. */
  commit(blocks: readonly string[]): void {
    for (const block of blocks) this.#covered.add(block);
  }

  /** Stop collecting and disconnect. */
  close(): void {
    this.#post('Profiler.stopPreciseCoverage');
    this.#session.disconnect();
  }

  #function(url: string, ranges: readonly Range[], fresh: string[]): void {
    const outer = ranges[0];
    if (outer === undefined || outer.count === 0) return;
    const key = `${url}:${outer.startOffset}`;
    let known = this.#blocks.get(key);
    if (known === undefined) {
      known = new Set(['fn']);
      this.#blocks.set(key, known);
    }
    for (const r of ranges.slice(1)) known.add(`${r.startOffset}-${r.endOffset}`);
    // A block ran when the innermost reported range around it (V8 nests them) has a non-zero count.
    for (const block of known) {
      const [start, end] = block === 'fn' ? [outer.startOffset, outer.endOffset] : block.split('-').map(Number);
      let count = outer.count;
      let width = Infinity;
      for (const r of ranges) {
        if (r.startOffset <= start! && r.endOffset >= end! && r.endOffset - r.startOffset < width) {
          width = r.endOffset - r.startOffset;
          count = r.count;
        }
      }
      const id = `${key}:${block}`;
      if (count > 0 && !this.#covered.has(id)) fresh.push(id);
    }
  }

  #post(method: string, params?: object): unknown {
    let result: unknown;
    let failure: Error | null = null;
    // The in-thread session answers synchronously.
    this.#session.post(method, params, (err, res) => {
      failure = err;
      result = res;
    });
    if (failure !== null) throw failure;
    return result;
  }
}
