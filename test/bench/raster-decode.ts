// Decoder benchmark: src/raster readDocument against libcups' cupsRasterReadHeader2/cupsRasterReadPixels (a small C
// harness, test/bench/c/read-pixels.c, compiled at bench time with `cc -lcups`) on the same bytes held in memory.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDocument } from '../../src/raster/document.js';
import { repoRoot } from '../support/server.js';
import { median, round } from './proc-stats.js';

/** What the decoder comparison reports for one file. */
export interface DecodeResult {
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
  readonly lines: number;
  readonly ippbridge: { readonly medianMs: number; readonly runsMs: readonly number[]; readonly rawMBPerSecond: number };
  readonly libcups: { readonly medianMs: number; readonly runsMs: readonly number[]; readonly rawMBPerSecond: number } | { readonly error: string };
  /** ours / libcups (lower is better; <= 1 means at least as fast) */
  readonly ratioIppbridgeToLibcups: number | null;
  readonly checksumsMatch: boolean | null;
}

/** Compile read-pixels.c into os.tmpdir() (once per source change); returns the binary path. */
export function buildReadPixels(): string {
  const source = join(repoRoot(), 'test', 'bench', 'c', 'read-pixels.c');
  const binary = join(tmpdir(), `ippbridge-bench-read-pixels-${Math.round(statSync(source).mtimeMs)}`);
  if (existsSync(binary)) return binary;
  const r = spawnSync('cc', ['-O2', '-o', binary, source, '-lcups'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error !== undefined) throw new Error(`cc: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`cc exited with ${r.status}: ${r.stderr.slice(0, 400)}`);
  return binary;
}

/** The document as an async stream of 64 KiB chunks (what a socket delivers). */
async function* chunksOf(data: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += 65536) yield data.subarray(i, Math.min(data.length, i + 65536));
}

/** One pass of our decoder over `data`, consuming every line; the checksum matches the C harness's. */
async function decodeOnce(data: Uint8Array): Promise<{ ms: number; pages: number; lines: number; checksum: number; raw: number }> {
  const started = performance.now();
  let pages = 0;
  let lines = 0;
  let checksum = 0;
  let raw = 0;
  for await (const page of readDocument('image/pwg-raster', chunksOf(data))) {
    const bpl = page.header.bytesPerLine;
    let y = 0;
    for await (const line of page.lines()) {
      checksum += line[y % bpl] ?? 0;
      y++;
    }
    lines += y;
    raw += y * bpl;
    pages++;
  }
  return { ms: performance.now() - started, pages, lines, checksum, raw };
}

/** One timed libcups pass (the harness runs twice and keeps the second, so page faults are not counted). */
function libcupsOnce(binary: string, path: string): { ms: number; lines: number; checksum: number } {
  const r = spawnSync(binary, [path, '2'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error !== undefined) throw new Error(`read-pixels: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`read-pixels exited with ${r.status}: ${r.stderr.slice(0, 300)}`);
  const out = JSON.parse(r.stdout) as { runsMs: number[]; lines: number; checksum: number };
  return { ms: out.runsMs[1] ?? Number.NaN, lines: out.lines, checksum: out.checksum };
}

/**
 * Decode `path` `repeat` times with each decoder, interleaved run by run so both see the same machine load (ours
 * after one untimed warm-up pass); medians and ratio.
 */
export async function decodeBench(path: string, repeat: number): Promise<DecodeResult> {
  const data = readFileSync(path);
  let binary: string | undefined;
  let cError: string | undefined;
  try {
    binary = buildReadPixels();
  } catch (err) {
    cError = String(err);
  }
  let last = await decodeOnce(data);
  const runs: number[] = [];
  const cRuns: number[] = [];
  let checksumsMatch: boolean | null = null;
  for (let i = 0; i < repeat; i++) {
    last = await decodeOnce(data);
    runs.push(last.ms);
    if (binary === undefined) continue;
    try {
      const c = libcupsOnce(binary, path);
      cRuns.push(c.ms);
      checksumsMatch = (checksumsMatch ?? true) && c.lines === last.lines && c.checksum === last.checksum;
    } catch (err) {
      cError = String(err);
      binary = undefined;
    }
  }
  const ours = { medianMs: round(median(runs), 2), runsMs: runs.map((x) => round(x, 2)), rawMBPerSecond: round(last.raw / 1e3 / median(runs)) };
  const libcups: DecodeResult['libcups'] =
    cError !== undefined || cRuns.length === 0
      ? { error: cError ?? 'no libcups run' }
      : { medianMs: round(median(cRuns), 2), runsMs: cRuns.map((x) => round(x, 2)), rawMBPerSecond: round(last.raw / 1e3 / median(cRuns)) };
  return {
    file: path,
    bytes: data.length,
    pages: last.pages,
    lines: last.lines,
    ippbridge: ours,
    libcups,
    ratioIppbridgeToLibcups: 'medianMs' in libcups ? round(ours.medianMs / Math.max(1e-9, libcups.medianMs), 2) : null,
    checksumsMatch,
  };
}
