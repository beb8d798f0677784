// Helpers for the security tests: external tools (openssl, curl, ipptool) that must exist on CI.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Test } from 'tap';

/** True when `path` exists; otherwise fails `t` on CI (CI=true), skips elsewhere, and returns false. */
export function requireTool(t: Test, path: string, debianPackage: string): boolean {
  if (existsSync(path)) return true;
  const msg = `${path} missing (install Debian package ${debianPackage})`;
  if (process.env['CI'] === 'true') t.fail(msg);
  else t.pass(msg, { skip: msg });
  return false;
}

/** Result of one external command. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command with optional stdin text; kills it after `timeoutMs`. */
export function run(command: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}) });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.end(opts.input ?? '');
  });
}

export const OPENSSL = '/usr/bin/openssl';
export const CURL = '/usr/bin/curl';
