// Runs CUPS ipptool conformance suites (.test files) and turns its XML plist report into pass/fail counts.
// Every test runs (-I); failures carry the test name and ipptool's own reasons.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Test } from 'tap';
import { samplesDir } from './samples.js';
import { startServer } from './server.js';

/** Where Debian's cups-ipp-utils installs ipptool. */
export const IPPTOOL = '/usr/bin/ipptool';
/** Where Debian's cups-ipp-utils installs the .test suites. */
export const IPPTOOL_SUITES = '/usr/share/cups/ipptool';

/** One failed test (or a suite-level error such as an unreadable FILE). */
export interface IpptoolFailure {
  readonly name: string;
  readonly reason: string;
}

/** Summary of one ipptool run. */
export interface IpptoolResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly IpptoolFailure[];
  readonly exitCode: number | null;
  /** ipptool's plain test report (stdout) and stderr, for diagnostics */
  readonly report: string;
}

/** Options for one ipptool run of one .test file. */
export interface IpptoolRun {
  readonly uri: string;
  readonly testFile: string;
  /** Working directory: FILE paths in the suite are resolved from here. */
  readonly cwd: string;
  /**
   * Suites the test file INCLUDEs by bare name. ipptool looks for them in the working directory, then next to the
   * test file (never in its data dir), so they are linked with the contents of `cwd` into a private directory.
   */
  readonly includes?: readonly string[];
  /** Default document (-f), e.g. a PWG raster or JPEG file. */
  readonly file?: string;
  readonly defines?: Readonly<Record<string, string>>;
  /** IPP version for requests (-V). */
  readonly version?: '1.1' | '2.0';
  /** Per-request timeout in seconds (-T); default 30. */
  readonly requestTimeout?: number;
  /** Kill ipptool after this many ms; default 6 minutes. */
  readonly timeoutMs?: number;
}

type Plist = string | number | boolean | Plist[] | { [key: string]: Plist };

/**
 * Minimal XML plist reader for ipptool's output (dict, array, key, string, integer, real, true, false, date, data).
 * Lenient at the end: ipptool 2.4 leaves the plist of an INCLUDEd file unterminated, so open containers are closed.
 */
export function parsePlist(xml: string): Plist {
  const tokens = xml.match(/<[^>]+>|[^<]+/g) ?? [];
  let i = 0;
  const unescape = (s: string): string =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const nextTag = (): string => {
    while (i < tokens.length) {
      const tok = tokens[i++] ?? '';
      if (tok.startsWith('<?') || tok.startsWith('<!') || tok.trim() === '') continue;
      if (tok.startsWith('<')) return tok;
    }
    return '';
  };
  const textUntil = (close: string): string => {
    let text = '';
    while (i < tokens.length && tokens[i] !== close) text += tokens[i++] ?? '';
    i++;
    return unescape(text);
  };
  const value = (tag: string): Plist => {
    const name = /^<\s*([a-zA-Z]+)/.exec(tag)?.[1] ?? '';
    const isEmpty = tag.endsWith('/>');
    switch (name) {
      case 'plist':
        return value(nextTag());
      case 'dict': {
        const out: { [key: string]: Plist } = {};
        if (isEmpty) return out;
        for (let t = nextTag(); t !== '</dict>' && t !== ''; t = nextTag()) {
          if (!t.startsWith('<key')) throw new Error(`expected key, got ${t}`);
          const key = textUntil('</key>');
          out[key] = value(nextTag());
        }
        return out;
      }
      case 'array': {
        const out: Plist[] = [];
        if (isEmpty) return out;
        for (let t = nextTag(); t !== '</array>' && t !== ''; t = nextTag()) out.push(value(t));
        return out;
      }
      case 'true':
      case 'false':
        return name === 'true';
      case 'integer':
      case 'real':
        return isEmpty ? 0 : Number(textUntil(`</${name}>`));
      case 'string':
      case 'date':
      case 'data':
        return isEmpty ? '' : textUntil(`</${name}>`);
      case '':
        return '';
      default:
        throw new Error(`unsupported plist element ${tag}`);
    }
  };
  return value(nextTag());
}

const isDict = (v: Plist | undefined): v is { [key: string]: Plist } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Summarise ipptool's -P output, which holds one plist document per suite file (INCLUDEs add more). */
export function summarisePlists(text: string): Omit<IpptoolResult, 'exitCode' | 'report'> {
  let passed = 0;
  let skipped = 0;
  const failures: IpptoolFailure[] = [];
  for (const doc of text.split(/(?=<\?xml)/).filter((d) => d.includes('<plist'))) {
    const root = parsePlist(doc);
    if (!isDict(root)) throw new Error('plist root is not a dict');
    const tests = Array.isArray(root['Tests']) ? root['Tests'] : [];
    for (const test of tests) {
      if (!isDict(test)) continue;
      const name = typeof test['Name'] === 'string' ? test['Name'] : '(unnamed test)';
      if (test['Skipped'] === true) skipped++;
      else if (test['Successful'] === true) passed++;
      else {
        const errors = Array.isArray(test['Errors']) ? test['Errors'].filter((e) => typeof e === 'string') : [];
        const status = typeof test['StatusCode'] === 'string' ? `status ${test['StatusCode']}` : 'no status';
        failures.push({ name, reason: errors.length > 0 ? errors.join('; ') : status });
      }
    }
    // A suite-level error (e.g. an unreadable FILE) stops the suite: count it as a failure.
    if (root['Successful'] === false && typeof root['ErrorMessage'] === 'string') {
      failures.push({ name: '(suite error)', reason: root['ErrorMessage'] });
    }
  }
  return { passed, failed: failures.length, skipped, failures };
}

/** Run one .test file with ipptool against `uri` and summarise the result. */
export async function runIpptool(run: IpptoolRun): Promise<IpptoolResult> {
  const work = await mkdtemp(join(tmpdir(), 'ipptool-'));
  const plist = join(work, 'report.plist');
  const args = ['-P', plist, '-I', '-T', String(run.requestTimeout ?? 30)];
  if (run.version) args.push('-V', run.version);
  for (const [k, v] of Object.entries(run.defines ?? {})) args.push('-d', `${k}=${v}`);
  if (run.file !== undefined) args.push('-f', run.file);
  args.push(run.uri, run.testFile);
  try {
    let cwd = run.cwd;
    if (run.includes && run.includes.length > 0) {
      cwd = join(work, 'cwd');
      await mkdir(cwd);
      for (const entry of await readdir(run.cwd)) await symlink(join(run.cwd, entry), join(cwd, entry));
      for (const inc of run.includes) await symlink(inc, join(cwd, basename(inc)));
    }
    const proc = spawn(IPPTOOL, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let report = '';
    proc.stdout.on('data', (c: Buffer) => (report += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (report += c.toString('utf8')));
    const timer = setTimeout(() => proc.kill('SIGKILL'), run.timeoutMs ?? 360_000);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      proc.once('error', reject);
      proc.once('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    const xml = existsSync(plist) ? await readFile(plist, 'utf8') : '';
    const summary = summarisePlists(xml);
    const failures = [...summary.failures];
    if (xml === '' || (exitCode !== 0 && failures.length === 0)) {
      failures.push({ name: '(ipptool)', reason: `exit code ${exitCode}, no usable report: ${report.slice(-2000)}` });
    }
    return { ...summary, failures, failed: failures.length, exitCode, report };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Format failures one per line for a test message. */
export function formatFailures(result: IpptoolResult): string {
  return result.failures.map((f) => `  - ${f.name}: ${f.reason}`).join('\n');
}

/**
 * True when ipptool is installed. Otherwise fails `t` on CI (CI=true) and skips it elsewhere, and returns false.
 */
export function requireIpptool(t: Test): boolean {
  if (existsSync(IPPTOOL) && existsSync(IPPTOOL_SUITES)) return true;
  const msg = `${IPPTOOL} or ${IPPTOOL_SUITES} missing (install Debian package cups-ipp-utils)`;
  if (process.env['CI'] === 'true') t.fail(msg);
  else t.pass(msg, { skip: msg });
  return false;
}

/** One suite run against a fresh ippbridge server. */
export interface SuiteCheck {
  /** .test file path (absolute) */
  readonly testFile: string;
  /** -f documents, relative to the samples dir; one ipptool run per document (default: none) */
  readonly files?: readonly string[];
  readonly version?: '1.1' | '2.0';
  readonly defines?: Readonly<Record<string, string>>;
  /** Suites INCLUDEd by name (see IpptoolRun.includes). */
  readonly includes?: readonly string[];
  /** At least this many tests must pass per run (guards against a suite that silently skips everything). */
  readonly minPassed: number;
}

/**
 * Start the built server, run the suite once per document, and assert zero failures, naming every failed test
 * and ipptool's reasons in the assertion message.
 */
export async function checkSuiteAgainstServer(t: Test, check: SuiteCheck): Promise<void> {
  if (!requireIpptool(t)) return;
  const cwd = samplesDir();
  const server = await startServer();
  t.teardown(() => server.stop());
  for (const file of check.files ?? [undefined]) {
    const started = Date.now();
    const result = await runIpptool({
      uri: server.uri,
      testFile: check.testFile,
      cwd,
      ...(file !== undefined ? { file: join(cwd, file) } : {}),
      ...(check.version ? { version: check.version } : {}),
      ...(check.defines ? { defines: check.defines } : {}),
      ...(check.includes ? { includes: check.includes } : {}),
    });
    const label = `${check.testFile.split('/').pop() ?? check.testFile}${file !== undefined ? ` -f ${file}` : ''}`;
    t.comment(`${label}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped, ${Date.now() - started} ms`);
    t.ok(result.passed >= check.minPassed, `${label}: at least ${check.minPassed} tests passed (${result.passed})`);
    t.equal(result.failed, 0, `${label}: no failures\n${formatFailures(result)}`, { failures: result.failures });
  }
  t.ok(server.proc.exitCode === null && server.proc.signalCode === null, 'the server is still running');
}
