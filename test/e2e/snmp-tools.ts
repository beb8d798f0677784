// Runs Net-SNMP's command-line tools (Debian `snmp`) against an agent and parses their numeric (-On) output.
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Test } from 'tap';

/** The tools the SNMP end-to-end tests run. */
export const SNMP_TOOLS = ['snmpwalk', 'snmpbulkwalk', 'snmpget', 'snmpbulkget', 'snmpgetnext', 'snmpset'] as const;
export type SnmpTool = (typeof SNMP_TOOLS)[number];

/**
 * Whether the tools are installed. Without them the test fails under CI (CI=true), else it is skipped with a
 * message; returns false in both cases so the caller stops.
 */
export function requireSnmpTools(t: Test): boolean {
  const missing = SNMP_TOOLS.filter((tool) => !existsSync(`/usr/bin/${tool}`));
  if (missing.length === 0) return true;
  const why = `Net-SNMP tools missing (${missing.join(', ')}): install the Debian package 'snmp'`;
  if (process.env['CI'] === 'true') t.fail(why);
  else t.pass(why, { skip: why });
  return false;
}

/** One output line `OID = TYPE: value` (or a tool message such as "No more variables left..."). */
export interface ToolLine {
  readonly oid: string;
  /** the type label before ':' ('STRING', 'INTEGER', 'Counter64'...); '' for exception messages and for `""` */
  readonly type: string;
  readonly value: string;
}

/** What a tool printed and how it exited. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: readonly ToolLine[];
}

/**
 * Run `tool` with numeric OIDs (-On), no MIB files, a 2-second timeout and one retry against 127.0.0.1:port:
 * `tool -v VERSION -c COMMUNITY ... OPTIONS udp:127.0.0.1:PORT OIDS`. Never rejects on a non-zero exit: the
 * caller inspects `code` and `stderr`.
 */
export function runSnmpTool(
  tool: SnmpTool,
  version: '1' | '2c',
  port: number,
  options: readonly string[],
  oids: readonly string[],
  community = 'public',
): Promise<ToolResult> {
  const argv = ['-v', version, '-c', community, '-On', '-t', '2', '-r', '1', ...options, `udp:127.0.0.1:${port}`, ...oids];
  // MIBS/MIBDIRS empty: no MIB loading, so no warnings about missing MIB files on stderr.
  const env = { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' };
  return new Promise((resolve) => {
    execFile(`/usr/bin/${tool}`, argv, { timeout: 20_000, env, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr, lines: parseLines(stdout) });
    });
  });
}

/** Parse `.1.3.6.1... = TYPE: value` lines; continuation lines of multi-line strings are appended to the value. */
export function parseLines(stdout: string): ToolLine[] {
  const out: ToolLine[] = [];
  for (const text of stdout.split('\n')) {
    const m = /^(\.?[0-9][0-9.]*) = (?:([A-Za-z0-9-]+): )?(.*)$/.exec(text);
    if (m) {
      out.push({ oid: (m[1] ?? '').replace(/^\./, ''), type: m[2] ?? '', value: m[3] ?? '' });
    } else if (text !== '' && out.length > 0) {
      const last = out.pop() as ToolLine;
      out.push({ ...last, value: `${last.value}\n${text}` });
    }
  }
  return out;
}

/** Whether a line is a v2c exception message rather than a value (an empty string prints as `""` with no type). */
export function isExceptionLine(line: ToolLine): boolean {
  return line.type === '' && /^No (more variables left|Such (Object|Instance))/.test(line.value);
}

/** Lexicographic comparison of dotted OIDs. */
export function compareDotted(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
