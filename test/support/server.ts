// Spawns the built ippbridge server (dist/src/main.js) for end-to-end tests and benchmarks, and talks IPP over
// HTTP to it. Waits for the "ippbridge ready:" line, keeps the output for diagnostics, cleans a temporary state dir.
// SPDX-License-Identifier: Apache-2.0
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { decodeMessage } from '../../src/ipp/decode.js';
import { encodeMessage } from '../../src/ipp/encode.js';
import { attr, charset, findAttr, integer, name, naturalLanguage, numberValue, uri } from '../../src/ipp/build.js';
import type { IppAttribute, IppGroup, IppMessage } from '../../src/ipp/types.js';

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly uri: string;
  readonly stateDir: string;
  readonly proc: ChildProcess;
  /** Collected stdout + stderr so far (last 256 KiB). */
  output(): string;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), remove the state dir if startServer created it. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit; a state dir passed by the caller is left in place for a restart. */
  kill9(): Promise<void>;
}

/** Options for startServer. */
export interface StartOptions {
  /** Use this state dir (never deleted); default a fresh temporary one, deleted on stop/kill9. */
  stateDir?: string;
  /** Extra CLI arguments after the defaults (e.g. ['--board', file]). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the ready line; default 15 s. */
  readyTimeoutMs?: number;
}

const READY = /ippbridge ready: (ipp:\/\/127\.0\.0\.1:(\d+)\/ipp\/print)/;
const MAX_LOG = 256 * 1024;

/** The repository root (the folder holding ippbridge's package.json), from source or compiled location. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readFileSync(pkg, 'utf8').includes('"name": "ippbridge"')) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the ippbridge repository root');
    dir = up;
  }
}

/** Path of the built server entry point. */
export function serverMain(): string {
  return join(repoRoot(), 'dist', 'src', 'main.js');
}

/** This process's environment without the test runner's loaders (NODE_OPTIONS, TAP_*), so the server runs plain. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_OPTIONS' || k.startsWith('TAP') || k.startsWith('_TAPJS')) continue;
    env[k] = v;
  }
  return env;
}

function waitExit(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

/** Start the built server on 127.0.0.1 with an ephemeral port and the virtual engine. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const main = serverMain();
  if (!existsSync(main)) throw new Error(`${main} is missing: run npx tsc -p tsconfig.json first`);
  const ownsStateDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'ippbridge-state-')));
  const args = [main, 'serve', '--listen', '127.0.0.1', '--port', '0', '--no-dnssd', '--snmp-port', '0', '--state-dir', stateDir];
  args.push('--log-level', 'warn', ...(opts.args ?? []));
  const proc = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...cleanEnv(), ...opts.env },
  });
  let log = '';
  let stdoutLine = '';
  const append = (text: string): void => {
    log = (log + text).slice(-MAX_LOG);
  };
  const ready = new Promise<{ uri: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready line')), opts.readyTimeoutMs ?? 15000);
    proc.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      append(text);
      stdoutLine += text;
      const m = READY.exec(stdoutLine);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        clearTimeout(timer);
        resolve({ uri: m[1], port: Number(m[2]) });
      }
      stdoutLine = stdoutLine.slice(-512);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})`));
    });
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  proc.stderr.on('data', (chunk: Buffer) => append(chunk.toString('utf8')));
  const removeState = async (): Promise<void> => {
    if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const { uri, port } = await ready;
    let stopping: Promise<void> | undefined;
    return {
      port,
      uri,
      stateDir,
      proc,
      output: () => log,
      stop: () => {
        stopping ??= (async () => {
          if (proc.exitCode === null && proc.signalCode === null) {
            const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
            proc.kill('SIGTERM');
            await waitExit(proc);
            clearTimeout(timer);
          }
          await removeState();
        })();
        return stopping;
      },
      kill9: async () => {
        proc.kill('SIGKILL');
        await waitExit(proc);
        await removeState();
      },
    };
  } catch (err) {
    proc.kill('SIGKILL');
    await waitExit(proc);
    await removeState();
    throw new Error(`ippbridge did not start: ${String(err)}\n--- server output ---\n${log}`, { cause: err });
  }
}

/** An HTTP exchange with the server: status, headers, raw body and the decoded IPP response (when it decodes). */
export interface IppHttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly message: IppMessage | undefined;
}

/** POST raw bytes (or a stream of them, sent chunked) to an ipp:// URI over HTTP and collect the response. */
export async function postIpp(
  ippUri: string,
  body: Uint8Array | AsyncIterable<Uint8Array>,
  opts: { headers?: Record<string, string>; agent?: Agent; timeoutMs?: number } = {},
): Promise<IppHttpResponse> {
  const url = new URL(ippUri.replace(/^ipps?:/, 'http:'));
  const isBuffer = body instanceof Uint8Array;
  const headers: Record<string, string> = { 'Content-Type': 'application/ipp', ...opts.headers };
  if (isBuffer && headers['Content-Length'] === undefined) headers['Content-Length'] = String(body.length);
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: opts.agent ?? false });
  const response = new Promise<IppHttpResponse>((resolve, reject) => {
    req.once('error', reject);
    req.setTimeout(opts.timeoutMs ?? 60_000, () => req.destroy(new Error('HTTP request timed out')));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => {
        const bytes = Buffer.concat(chunks);
        let message: IppMessage | undefined;
        try {
          message = res.headers['content-type'] === 'application/ipp' ? decodeMessage(bytes).message : undefined;
        } catch {
          message = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes, message });
      });
    });
  });
  if (isBuffer) req.end(body);
  else {
    // Stream the document with backpressure; a server that answers early may close the socket mid-way.
    try {
      for await (const chunk of body) {
        if (!req.write(chunk)) await once(req, 'drain');
      }
      req.end();
    } catch (err) {
      req.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return response;
}

/** Send one IPP request (plus optional document data after it) and return the decoded response. */
export async function ippCall(
  ippUri: string,
  msg: IppMessage,
  document?: Uint8Array | AsyncIterable<Uint8Array>,
  agent?: Agent,
): Promise<IppMessage> {
  const head = encodeMessage(msg);
  let body: Uint8Array | AsyncIterable<Uint8Array> = head;
  if (document instanceof Uint8Array) body = Buffer.concat([head, document]);
  else if (document !== undefined) {
    body = (async function* () {
      yield head;
      yield* document;
    })();
  }
  const res = await postIpp(ippUri, body, agent ? { agent } : {});
  if (res.status !== 200 || !res.message) {
    throw new Error(`HTTP ${res.status} without an IPP response: ${res.body.toString('utf8').slice(0, 200)}`);
  }
  return res.message;
}

/** A request to the printer: charset, language, printer-uri, requesting-user-name, then `operation` attributes. */
export function printerRequest(
  printerUri: string,
  code: number,
  opts: { operation?: readonly IppAttribute[]; job?: readonly IppAttribute[]; user?: string; requestId?: number } = {},
): IppMessage {
  const ops: IppAttribute[] = [
    attr('attributes-charset', charset('utf-8')),
    attr('attributes-natural-language', naturalLanguage('en')),
    attr('printer-uri', uri(printerUri)),
    attr('requesting-user-name', name(opts.user ?? 'e2e')),
    ...(opts.operation ?? []),
  ];
  const groups: IppGroup[] = [{ tag: 'operation', attributes: ops }];
  if (opts.job && opts.job.length > 0) groups.push({ tag: 'job', attributes: opts.job });
  return { version: { major: 2, minor: 0 }, code, requestId: opts.requestId ?? 1, groups };
}

/** Poll Get-Job-Attributes until job-state is one of `states` (RFC 8011 enums); returns the last response. */
export async function waitForJobState(
  printerUri: string,
  jobId: number,
  states: readonly number[],
  timeoutMs = 30_000,
): Promise<IppMessage> {
  const deadline = Date.now() + timeoutMs;
  const req = printerRequest(printerUri, 0x0009, { operation: [attr('job-id', integer(jobId))] });
  for (;;) {
    const res = await ippCall(printerUri, req);
    const state = numberValue(findAttr(res, 'job', 'job-state'));
    if (state !== undefined && states.includes(state)) return res;
    if (Date.now() > deadline) {
      const reasons = findAttr(res, 'job', 'job-state-reasons')?.values.map((v) => ('value' in v ? String(v.value) : '?'));
      throw new Error(`job ${jobId} is in state ${state} (${reasons?.join(',') ?? ''}), not ${states.join('/')} after ${timeoutMs} ms`);
    }
    await delay(100);
  }
}
