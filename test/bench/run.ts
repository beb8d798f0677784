// `npm run bench`: prints ONE JSON object with Get-Printer-Attributes requests/s (1 and 8 keep-alive connections,
// medians of repeated bounded runs), Print-Job MB/s for a ~200 MB PWG raster, server RSS idle and under load, and
// the same requests/s of CUPS ippeveprinter side by side (both servers in one private network namespace).
// Then the SNMP section (snmp.ts). Env: BENCH_SECONDS (per run, default 5), BENCH_REPEAT (default 3), BENCH_PAGES
// (raster pages, default 8), BENCH_SNMP_SECONDS (default BENCH_SECONDS), BENCH_SNMP_WALKS (default 20),
// BENCH_ONLY=tls (only the TLS section, tls.ts), BENCH_ONLY=snmp (only the SNMP section), BENCH_ONLY=engines (only the issue-3 engine section, engines.ts; its own
// env: BENCH_ENGINES, BENCH_ENGINES_REPEAT, BENCH_STREAM_MB).
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { attr, findAttr, mimeMediaType, name, numberValue } from '../../src/ipp/build.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { IppOp } from '../../src/ipp/ops.js';
import { statusKeyword } from '../../src/ipp/status.js';
import {
  IPPEVEPRINTER,
  bringUpLoopback,
  canCreateNetns,
  isInNetns,
  netnsCommand,
  startIppeveprinter,
  type ReferencePrinter,
} from '../support/netns.js';
import { postIpp, printerRequest, startServer, waitForJobState, type RunningServer } from '../support/server.js';
import { benchRaster } from './big-raster.js';
import { enginesBench, selectedSections } from './engines.js';
import { firmwareBench } from './firmware.js';
import { webBench } from './web.js';
import { buildHttpRequest, runLoad } from './load-client.js';
import { median, round, rssOf } from './proc-stats.js';
import { snmpBench } from './snmp.js';
import { tlsBench } from './tls.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const REPEAT = Number(process.env['BENCH_REPEAT'] ?? 3);
const PAGES = Number(process.env['BENCH_PAGES'] ?? 8);
const SNMP_SECONDS = Number(process.env['BENCH_SNMP_SECONDS'] ?? SECONDS);
const SNMP_WALKS = Number(process.env['BENCH_SNMP_WALKS'] ?? 20);
const ONLY = process.env['BENCH_ONLY'];
/** Cold starts per board file in the firmware section (BENCH_FIRMWARE_RUNS). */
const FIRMWARE_RUNS = Number(process.env['BENCH_FIRMWARE_RUNS'] ?? 3);
const ENGINES_REPEAT = Number(process.env['BENCH_ENGINES_REPEAT'] ?? 5);
const STREAM_MB = Number(process.env['BENCH_STREAM_MB'] ?? 300);
/** Hard bound for the whole run. */
const WATCHDOG_MS = 15 * 60 * 1000;

/** Median requests/s of REPEAT runs of SECONDS each; samples the RSS of `pid` while loading. */
async function gpaRate(port: number, printerUri: string, connections: number, pid?: number) {
  const body = encodeMessage(printerRequest(printerUri, IppOp.GetPrinterAttributes));
  const request = buildHttpRequest(`127.0.0.1:${port}`, '/ipp/print', body);
  const runs: number[] = [];
  let errors = 0;
  let reconnects = 0;
  let maxRssKiB = 0;
  const sampler = setInterval(() => (maxRssKiB = Math.max(maxRssKiB, rssOf(pid).rssKiB)), 250);
  try {
    for (let i = 0; i < REPEAT; i++) {
      const r = await runLoad({ port, request, connections, durationMs: SECONDS * 1000 });
      runs.push(round(r.requestsPerSecond));
      errors += r.errors;
      reconnects += r.reconnects;
    }
  } finally {
    clearInterval(sampler);
  }
  return { median: median(runs), runs, errors, reconnects, maxRssKiB };
}

/** Print-Job the big raster streamed from disk; MB/s until the response and until the job completed. */
async function printThroughput(server: RunningServer) {
  const doc = benchRaster(PAGES);
  const head = encodeMessage(
    printerRequest(server.uri, IppOp.PrintJob, {
      operation: [attr('job-name', name('bench')), attr('document-format', mimeMediaType('image/pwg-raster'))],
    }),
  );
  let maxRssKiB = 0;
  const sampler = setInterval(() => (maxRssKiB = Math.max(maxRssKiB, rssOf(server.proc.pid).rssKiB)), 250);
  const started = performance.now();
  try {
    const res = await postIpp(
      server.uri,
      (async function* () {
        yield head;
        yield* createReadStream(doc.path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
      })(),
      { timeoutMs: 600_000 },
    );
    const responded = (performance.now() - started) / 1000;
    const status = res.message ? statusKeyword(res.message.code) : `HTTP ${res.status}`;
    const jobId = res.message ? numberValue(findAttr(res.message, 'job', 'job-id')) : undefined;
    let completed: number | undefined;
    let jobState: number | undefined;
    if (jobId !== undefined) {
      const done = await waitForJobState(server.uri, jobId, [7, 8, 9], 600_000);
      completed = (performance.now() - started) / 1000;
      jobState = numberValue(findAttr(done, 'job', 'job-state'));
    }
    const mb = doc.bytes / 1e6;
    return {
      document: { bytes: doc.bytes, pages: doc.pages, description: doc.description },
      status,
      jobState,
      secondsToResponse: round(responded, 2),
      secondsToCompleted: completed === undefined ? null : round(completed, 2),
      mbPerSecondToResponse: round(mb / responded),
      mbPerSecondToCompleted: completed === undefined ? null : round(mb / completed),
      maxRssKiB,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Children to kill if the watchdog fires. */
const live = new Set<{ readonly proc: { kill(signal: NodeJS.Signals): boolean } }>();

/** Everything measured in this process (inside the namespace when there is one). */
async function measure(): Promise<Record<string, unknown>> {
  if (isInNetns()) bringUpLoopback();
  const notes: string[] = [];
  const server = await startServer({ args: ['--name', 'bench'] });
  live.add(server);
  let reference: ReferencePrinter | undefined;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssOf(server.proc.pid);
    const ours = { c1: await gpaRate(server.port, server.uri, 1, server.proc.pid), c8: await gpaRate(server.port, server.uri, 8, server.proc.pid) };
    const afterLoad = rssOf(server.proc.pid);
    let theirs: { c1: Awaited<ReturnType<typeof gpaRate>>; c8: Awaited<ReturnType<typeof gpaRate>> } | null = null;
    if (isInNetns()) {
      try {
        reference = await startIppeveprinter();
        live.add(reference);
        theirs = { c1: await gpaRate(reference.port, reference.uri, 1, reference.proc.pid), c8: await gpaRate(reference.port, reference.uri, 8, reference.proc.pid) };
      } catch (err) {
        notes.push(`ippeveprinter comparison failed: ${String(err)}`);
      } finally {
        await reference?.stop();
        reference = undefined;
      }
    } else {
      notes.push(existsSync(IPPEVEPRINTER) ? 'no private network namespace: ippeveprinter not measured' : `${IPPEVEPRINTER} not installed`);
    }
    const print = await printThroughput(server);
    const end = rssOf(server.proc.pid);
    return {
      bench: 'ippbridge',
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      secondsPerRun: SECONDS,
      repetitions: REPEAT,
      getPrinterAttributes: {
        request: 'Get-Printer-Attributes, no requested-attributes (all), one request in flight per keep-alive connection',
        ippbridge: { connections1: ours.c1, connections8: ours.c8 },
        ippeveprinter: theirs && { connections1: theirs.c1, connections8: theirs.c8 },
        ratioIppbridgeToIppeveprinter: theirs && {
          connections1: round(ours.c1.median / Math.max(1e-9, theirs.c1.median), 2),
          connections8: round(ours.c8.median / Math.max(1e-9, theirs.c8.median), 2),
        },
      },
      printJob: print,
      rss: {
        idleKiB: idle.rssKiB,
        afterGetPrinterAttributesLoadKiB: afterLoad.rssKiB,
        maxUnderGetPrinterAttributesLoadKiB: Math.max(ours.c1.maxRssKiB, ours.c8.maxRssKiB),
        maxDuringPrintKiB: print.maxRssKiB,
        endKiB: end.rssKiB,
        highWaterMarkKiB: end.hwmKiB,
      },
      notes,
    };
  } finally {
    await reference?.stop();
    await server.stop();
  }
}

/** Re-run this script inside a private network namespace so ippeveprinter can be measured beside our server. */
function runInNamespace(): Promise<number> {
  const cmd = netnsCommand([process.execPath, ...process.execArgv, ...process.argv.slice(1)]);
  const child = spawn(cmd.command, cmd.args, { env: cmd.env, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: watchdog expired after ${WATCHDOG_MS / 60000} minutes\n`);
    for (const child of live) child.proc.kill('SIGKILL');
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  if (ONLY !== undefined && !['snmp', 'engines', 'tls', 'firmware', 'web'].includes(ONLY)) throw new Error(`BENCH_ONLY=${ONLY}: only "snmp", "engines", "tls", "firmware" and "web" are known`);
  if (ONLY === undefined && !isInNetns() && existsSync(IPPEVEPRINTER) && canCreateNetns()) return runInNamespace();
  const result: Record<string, unknown> = ONLY !== undefined ? { bench: 'ippbridge', node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' } : await measure();
  let exitCode = 0;
  try {
    const track = (child: { readonly proc: { kill(signal: NodeJS.Signals): boolean } }): (() => void) => {
      live.add(child);
      return () => live.delete(child);
    };
    if (ONLY === undefined || ONLY === 'snmp') result['snmp'] = await snmpBench({ seconds: SNMP_SECONDS, repeat: REPEAT, walks: SNMP_WALKS, track });
  } catch (err) {
    process.stderr.write(`bench: SNMP section failed: ${String(err)}\n`);
    result['snmp'] = { error: String(err) };
    exitCode = 1;
  }
  if (ONLY === undefined || ONLY === 'engines') {
    try {
      const sections = selectedSections(process.env['BENCH_ENGINES']);
      const track = (child: RunningServer): (() => void) => {
        live.add(child);
        return () => live.delete(child);
      };
      result['engines'] = await enginesBench({ sections, repeat: ENGINES_REPEAT, streamMB: STREAM_MB, track });
    } catch (err) {
      process.stderr.write(`bench: engines section failed: ${String(err)}\n`);
      result['engines'] = { error: String(err) };
      exitCode = 1;
    }
  }
  if (ONLY === undefined || ONLY === 'tls') {
    try {
      const track = (child: RunningServer): (() => void) => {
        live.add(child);
        return () => live.delete(child);
      };
      result['tls'] = await tlsBench({ seconds: SECONDS, repeat: REPEAT, track });
    } catch (err) {
      process.stderr.write(`bench: TLS section failed: ${String(err)}\n`);
      result['tls'] = { error: String(err) };
      exitCode = 1;
    }
  }
  if (ONLY === undefined || ONLY === 'web') {
    try {
      result['web'] = await webBench();
    } catch (err) {
      process.stderr.write(`bench: web section failed: ${String(err)}\n`);
      result['web'] = { error: String(err) };
      exitCode = 1;
    }
  }
  if (ONLY === undefined || ONLY === 'firmware') {
    try {
      result['firmware'] = await firmwareBench({ runs: FIRMWARE_RUNS });
    } catch (err) {
      process.stderr.write(`bench: firmware section failed: ${String(err)}\n`);
      result['firmware'] = { error: String(err) };
      exitCode = 1;
    }
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return exitCode;
}

process.exitCode = await main();
