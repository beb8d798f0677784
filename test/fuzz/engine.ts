// The fuzz loop: picks a corpus entry or a structured input, mutates it, runs the target under the oracle (only
// the module's own error type may escape; no hang past a deadline; no memory over a bound) and keeps inputs that
// reach new blocks when coverage guidance is on. Bounded by an input count or a wall-clock deadline.
// SPDX-License-Identifier: Apache-2.0
import { createHash } from 'node:crypto';
import type { CoverageTracker } from './coverage.js';
import { havoc } from './mutate.js';
import { Rng } from './prng.js';

/** One thing to fuzz. */
export interface FuzzTarget {
  readonly name: string;
  /** Protocol tokens for the mutator. */
  readonly dictionary: readonly Uint8Array[];
  /** Inputs never grow beyond this many bytes. */
  readonly maxLength: number;
  /** Structure-aware generator, used for part of the inputs (before havoc). */
  readonly generate?: (rng: Rng, corpus: readonly Uint8Array[]) => Uint8Array;
  /** Run one input; must settle. Throwing anything the oracle does not expect is a crash. */
  run(input: Uint8Array, rng: Rng): void | Promise<void>;
  /** True for the module's own error type (the only thing `run` may throw). */
  isExpected(err: unknown): boolean;
}

/** Why an input failed. */
export type CrashKind = 'exception' | 'hang' | 'memory';

/** One input that broke the oracle. */
export interface Crash {
  readonly target: string;
  readonly kind: CrashKind;
  readonly message: string;
  readonly input: Uint8Array;
  /** seed of the Rng the target got for this input (split sizes, formats): with the input, reproduces the run */
  readonly runSeed: number;
}

/** Bounds and knobs of one run. */
export interface FuzzOptions {
  readonly seed: number;
  /** stop after this many inputs */
  readonly iterations?: number;
  /** stop at this Date.now() */
  readonly deadline?: number;
  /** per input; async targets are raced against it, sync ones are timed (default 5 s) */
  readonly inputTimeoutMs?: number;
  /** process RSS bound in MiB (default 1024) */
  readonly maxRssMiB?: number;
  /** keep inputs that reach new blocks */
  readonly coverage?: CoverageTracker;
  /** stop after this many distinct crashes (default 10) */
  readonly maxCrashes?: number;
  /** called before each input runs (the soak worker publishes it, to name the input of a hang) */
  readonly beforeInput?: (input: Uint8Array) => void;
}

/** What a run did. */
export interface FuzzReport {
  readonly target: string;
  readonly seed: number;
  readonly inputs: number;
  /** inputs that ran to completion or to the module's own error */
  readonly accepted: number;
  readonly rejected: number;
  readonly crashes: readonly Crash[];
  readonly corpus: number;
  /** blocks covered (0 without coverage guidance) */
  readonly blocks: number;
  readonly peakRssMiB: number;
}

const CORPUS_CAP = 4096;

/** Short hex digest of an input, for crash file names. */
export function inputId(input: Uint8Array): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const frame = (err.stack ?? '').split('\n').find((line) => line.trim().startsWith('at ')) ?? '';
    return `${err.name}: ${err.message} ${frame.trim()}`;
  }
  return `non-Error thrown: ${String(err)}`;
}

async function runOne(target: FuzzTarget, input: Uint8Array, rng: Rng, timeoutMs: number): Promise<'ok' | 'rejected' | Omit<Crash, 'runSeed'>> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const pending = target.run(input, rng);
    if (pending instanceof Promise) {
      const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), timeoutMs)));
      if ((await Promise.race([pending.then(() => 'ok' as const), hang])) === 'hang') {
        pending.catch(() => undefined);
        return { target: target.name, kind: 'hang', message: `no answer within ${timeoutMs} ms`, input };
      }
    }
    if (Date.now() - started > timeoutMs) return { target: target.name, kind: 'hang', message: `took ${Date.now() - started} ms`, input };
    return 'ok';
  } catch (err) {
    if (target.isExpected(err)) return 'rejected';
    return { target: target.name, kind: 'exception', message: describe(err), input };
  } finally {
    clearTimeout(timer);
  }
}

/** Inputs run between two coverage takes. */
const BATCH = 32;

/** Fuzz `target` from `seeds` until the input count or the deadline is reached. */
export async function runFuzz(target: FuzzTarget, seeds: readonly Uint8Array[], opts: FuzzOptions): Promise<FuzzReport> {
  const rng = new Rng(opts.seed);
  const corpus: Uint8Array[] = seeds.length > 0 ? [...seeds] : [new Uint8Array(0)];
  const ctx = { dictionary: target.dictionary, corpus, maxLength: target.maxLength };
  const maxRss = (opts.maxRssMiB ?? 1024) * 1024 * 1024;
  const timeoutMs = opts.inputTimeoutMs ?? 5000;
  const coverage = opts.coverage;
  const crashes: Crash[] = [];
  const seen = new Set<string>();
  const counts = { inputs: 0, accepted: 0, rejected: 0, peakRss: process.memoryUsage.rss() };
  const isDone = (): boolean =>
    (opts.iterations !== undefined && counts.inputs >= opts.iterations) ||
    (opts.deadline !== undefined && Date.now() >= opts.deadline) ||
    crashes.length >= (opts.maxCrashes ?? 10);
  const next = (): Uint8Array => {
    // Every seed runs once as it is, then mutants.
    if (counts.inputs < seeds.length) return seeds[counts.inputs]!;
    if (target.generate !== undefined && rng.chance(0.25)) {
      const made = target.generate(rng, corpus);
      return rng.chance(0.5) ? havoc(made, rng, ctx) : made;
    }
    return havoc(rng.pick(corpus), rng, ctx);
  };
  const execute = async (input: Uint8Array, runSeed: number): Promise<boolean> => {
    opts.beforeInput?.(input);
    const result = await runOne(target, input, new Rng(runSeed), timeoutMs);
    const rss = process.memoryUsage.rss();
    counts.peakRss = Math.max(counts.peakRss, rss);
    let crash: Crash | undefined = typeof result === 'object' ? { ...result, runSeed } : undefined;
    if (crash === undefined && rss > maxRss) crash = { target: target.name, kind: 'memory', message: `RSS ${Math.round(rss / 1048576)} MiB over the bound`, input, runSeed };
    if (crash !== undefined) {
      const key = `${crash.kind}:${crash.message}`;
      if (!seen.has(key)) crashes.push(crash);
      seen.add(key);
      return false;
    }
    if (result === 'ok') counts.accepted++;
    else counts.rejected++;
    return true;
  };
  while (!isDone()) {
    // One batch; with coverage, a batch that reached new blocks is replayed input by input to find the keepers.
    const batch: { input: Uint8Array; runSeed: number }[] = [];
    coverage?.reset();
    for (let i = 0; i < BATCH && !isDone(); i++) {
      const input = next();
      const runSeed = rng.int(0x1_0000_0000);
      counts.inputs++;
      if (await execute(input, runSeed)) batch.push({ input, runSeed });
    }
    const batchFresh = coverage?.take() ?? [];
    if (coverage === undefined || batchFresh.length === 0) continue;
    for (const { input, runSeed } of batch) {
      coverage.reset();
      await runOne(target, input, new Rng(runSeed), timeoutMs);
      const fresh = coverage.take();
      if (fresh.length === 0) continue;
      coverage.commit(fresh);
      if (corpus.length >= CORPUS_CAP) corpus[rng.int(corpus.length)] = input;
      else corpus.push(input);
    }
    // Blocks only the generators ran (they encode with the module under test) are not an input's merit.
    coverage.commit(batchFresh);
  }
  return {
    target: target.name,
    seed: opts.seed,
    inputs: counts.inputs,
    accepted: counts.accepted,
    rejected: counts.rejected,
    crashes,
    corpus: corpus.length,
    blocks: coverage?.blocks ?? 0,
    peakRssMiB: Math.round(counts.peakRss / 1048576),
  };
}

/** One line per crash: target, kind, message and the input (hex, first 256 bytes). */
export function formatCrash(crash: Crash): string {
  const hex = Buffer.from(crash.input.subarray(0, 256)).toString('hex');
  return `${crash.target} ${crash.kind} [${inputId(crash.input)}, run seed ${crash.runSeed}] ${crash.message} input=${hex}${crash.input.length > 256 ? '…' : ''}`;
}

/** A one-line summary of a run for a tap comment or the soak log. */
export function formatReport(r: FuzzReport): string {
  return `${r.target}: ${r.inputs} inputs (seed ${r.seed}), ${r.accepted} accepted, ${r.rejected} rejected, ${r.crashes.length} crashes, corpus ${r.corpus}, ${r.blocks} blocks, peak RSS ${r.peakRssMiB} MiB`;
}
