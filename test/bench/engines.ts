// Issue-3 engine benchmarks (`BENCH_ONLY=engines`): decoder vs libcups, raster->PCL vs rastertohp and our whole
// Print-Job path, paced serial pty, streaming RSS and cancel. Each section reports an object or `{ error }`.
// Env: BENCH_ENGINES (comma list of decode,pcl,serial,stream; default all), BENCH_ENGINES_REPEAT (default 5),
// BENCH_STREAM_MB (decoded size of the streaming job, default 300).
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunningServer } from '../support/server.js';
import { serialBench } from './engines-serial.js';
import { streamBench } from './engines-stream.js';
import { bigJobFrom } from './fixtures-stream.js';
import { textRaster, type TextRaster } from './fixtures-text.js';
import { driverAloneRunner, rastertohpRunner, scratchDir, serverPathRunner, timed, type Runner } from './pcl-filter.js';
import { round, rssOf } from './proc-stats.js';
import { decodeBench } from './raster-decode.js';

/** Quiet time before each timed run of the PCL comparison. */
const SETTLE_MS = 100;

/** Options of {@link enginesBench}. */
export interface EnginesBenchOptions {
  readonly sections: ReadonlySet<string>;
  readonly repeat: number;
  readonly streamMB: number;
  /** registers a server with the caller's watchdog; returns its unregister function */
  readonly track: (child: RunningServer) => () => void;
}

/** Section names in run order. */
export const ENGINE_SECTIONS = ['decode', 'pcl', 'serial', 'stream'] as const;

/** `fn()`'s value, or `{ error }` when it throws (a missing tool must not end the run). */
async function guarded(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** A fixture or the error that prevented it. */
function fixture(type: TextRaster['type'], pages: number): TextRaster | { readonly error: string } {
  try {
    return textRaster(type, pages);
  } catch (err) {
    return { error: `cannot render the ${type} text raster: ${String(err)}` };
  }
}

function ratio(a: unknown, b: unknown): number | null {
  const ms = (x: unknown): number | undefined => (typeof x === 'object' && x !== null && 'medianMs' in x && typeof x.medianMs === 'number' ? x.medianMs : undefined);
  const x = ms(a);
  const y = ms(b);
  return x === undefined || y === undefined ? null : round(x / Math.max(1e-9, y), 2);
}

/** A contender being measured: its runner (or why it could not start) and its run times so far. */
interface Contender<R extends Runner> {
  readonly runner: R | undefined;
  error: string | undefined;
  readonly runs: number[];
}

async function contender<R extends Runner>(make: () => R | Promise<R>): Promise<Contender<R>> {
  try {
    return { runner: await make(), error: undefined, runs: [] };
  } catch (err) {
    return { runner: undefined, error: err instanceof Error ? err.message : String(err), runs: [] };
  }
}

/**
 * Run every live contender once per round, interleaved so all see the same machine load. Before each run the page
 * cache is written back (`sync`) and the machine left alone for a moment: each contender writes its engine output
 * to a file, and without this the next one pays for the previous one's writeback (rastertohp writes 21 MB).
 */
async function interleave(contenders: readonly Contender<Runner>[], repeat: number): Promise<void> {
  for (let i = 0; i < repeat; i++) {
    for (const c of contenders) {
      if (c.runner === undefined || c.error !== undefined) continue;
      spawnSync('sync', { timeout: 60_000 });
      await delay(SETTLE_MS);
      try {
        c.runs.push(await c.runner.once());
      } catch (err) {
        c.error = err instanceof Error ? err.message : String(err);
      }
    }
  }
}

function report<R extends Runner>(c: Contender<R>, extra: (r: R) => object = () => ({})): unknown {
  if (c.error !== undefined || c.runner === undefined) return { error: c.error ?? 'not run' };
  return { ...timed(c.runs, c.runner), ...extra(c.runner) };
}

/** Raster -> PCL side by side: rastertohp, our whole path, our driver alone (black_1) and the halftone path (gray). */
async function pclSection(mono: TextRaster, gray: TextRaster | { readonly error: string }, opts: EnginesBenchOptions, workDir: string) {
  const repeat = opts.repeat;
  const hp = await contender(() => rastertohpRunner(mono.path, workDir));
  const whole = await contender(() => serverPathRunner(mono.path, workDir));
  const untrack = whole.runner === undefined ? () => undefined : opts.track(whole.runner.server);
  const alone = await contender(() => driverAloneRunner(mono.path));
  const grayAlone = 'error' in gray ? { runner: undefined, error: gray.error, runs: [] } : await contender(() => driverAloneRunner(gray.path));
  try {
    await interleave([hp, whole, alone], repeat);
    await interleave([grayAlone], Math.min(repeat, 3));
    const rastertohp = report(hp);
    const wholePath = report(whole, (r) => ({ coldMs: round(r.coldMs, 1), serverRssKiB: rssOf(r.server.proc.pid).rssKiB }));
    const driverAlone = report(alone, (r) => ({ driverResolution: r.driverResolution }));
    return {
      document: { path: mono.path, bytes: mono.bytes, pages: mono.pages, description: mono.description },
      rastertohp,
      ippbridgeWholePath: wholePath,
      ippbridgeDriverAlone: driverAlone,
      ippbridgeDriverAloneGrayHalftone: 'error' in gray ? gray : { document: gray.description, ...(report(grayAlone) as object) },
      ratioWholePathToRastertohp: ratio(wholePath, rastertohp),
      ratioDriverAloneToRastertohp: ratio(driverAlone, rastertohp),
      goal: 'ratioWholePathToRastertohp <= 1',
    };
  } finally {
    await whole.runner?.close();
    untrack();
  }
}

/** Run the selected sections; returns one JSON-ready object. */
export async function enginesBench(opts: EnginesBenchOptions): Promise<Record<string, unknown>> {
  const started = performance.now();
  const scratch = scratchDir();
  const result: Record<string, unknown> = { repeat: opts.repeat, sections: [...opts.sections] };
  try {
    const mono = fixture('black_1', 10);
    const gray = opts.sections.has('decode') || opts.sections.has('pcl') ? fixture('sgray_8', 4) : { error: 'not needed' };
    if (opts.sections.has('decode')) {
      result['decode'] = {
        black_1: 'error' in mono ? mono : await guarded(() => decodeBench(mono.path, opts.repeat)),
        sgray_8: 'error' in gray ? gray : await guarded(() => decodeBench(gray.path, opts.repeat)),
      };
    }
    if (opts.sections.has('pcl')) result['pcl'] = 'error' in mono ? mono : await guarded(() => pclSection(mono, gray, opts, scratch.dir));
    if (opts.sections.has('serial')) result['serial'] = await guarded(() => serialBench());
    if (opts.sections.has('stream')) {
      result['stream'] =
        'error' in mono
          ? mono
          : await guarded(() =>
              streamBench({
                job: bigJobFrom(mono.path, opts.streamMB * 1e6, mono.description),
                warmUpPath: mono.path,
                workDir: scratch.dir,
                timeoutMs: 240_000,
                track: opts.track,
              }),
            );
    }
  } finally {
    scratch.remove();
  }
  result['seconds'] = round((performance.now() - started) / 1000, 1);
  return result;
}

/** The sections BENCH_ENGINES selects (all when unset); throws on an unknown name. */
export function selectedSections(env: string | undefined): ReadonlySet<string> {
  if (env === undefined || env.trim() === '') return new Set(ENGINE_SECTIONS);
  const names = env.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!(ENGINE_SECTIONS as readonly string[]).includes(n)) throw new Error(`BENCH_ENGINES: unknown section "${n}" (known: ${ENGINE_SECTIONS.join(', ')})`);
  }
  return new Set(names);
}
