// Net-SNMP's snmptrapd (Debian package 'snmptrapd') in the foreground on 127.0.0.1 with a private config, for
// notification tests: it logs every trap or inform it accepts as one line, parsed here into varbinds.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

export const SNMPTRAPD = '/usr/sbin/snmptrapd';
/** Upper bound on waiting for snmptrapd to start or to log a trap (a bound on a wait, not a timed assertion). */
const WAIT_MS = 10_000;

/** One logged trap: its varbinds as [numeric OID, "TYPE: value"] in the order received. */
export type Trap = readonly (readonly [string, string])[];

/** snmptrapd -F format: one line per trap, varbinds separated by '|'. */
function parseTrap(line: string): Trap | undefined {
  if (!line.startsWith('TRAP ')) return undefined;
  return line
    .slice(5)
    .split('|')
    .map((vb) => {
      const [oid = '', value = ''] = vb.trim().split(' = ');
      return [oid, value] as const;
    });
}

export function value(trap: Trap, oid: string): string | undefined {
  return trap.find(([o]) => o === oid)?.[1];
}

/** A free UDP port on 127.0.0.1 (bound then released). */
async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Trapd {
  readonly port: number;
  readonly traps: Trap[];
  /** resolves once `count` traps were logged; rejects after WAIT_MS */
  waitFor(count: number): Promise<void>;
}

/** snmptrapd in the foreground on 127.0.0.1 with `config` (authCommunity / createUser lines); killed at teardown. */
export async function startTrapd(t: Test, config: string): Promise<Trapd> {
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-trapd-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const conf = join(dir, 'snmptrapd.conf');
  await writeFile(conf, `${config}\ndoNotRetainNotificationLogs yes\n`);
  const port = await freePort();
  const args = ['-f', '-Lo', '-n', '-On', '-C', '-c', conf, '-M', '/dev/null', '-m', '', '-F', 'TRAP %V|%v\n', `udp:127.0.0.1:${port}`];
  const child = spawn(SNMPTRAPD, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SNMP_PERSISTENT_DIR: dir } });
  const exited = once(child, 'exit');
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  const traps: Trap[] = [];
  let out = '';
  let ready = false;
  const listeners = new Set<() => void>();
  const onText = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) {
      const trap = parseTrap(line);
      if (trap) traps.push(trap);
      else if (line.includes('NET-SNMP version')) ready = true;
    }
    for (const l of listeners) l();
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  const until = (check: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        listeners.delete(poll);
        if (err) reject(err);
        else resolve();
      };
      const poll = (): void => {
        if (check()) done();
        else if (child.exitCode !== null) done(new Error(`snmptrapd exited (${child.exitCode}) before ${what}`));
      };
      const timer = setTimeout(() => done(new Error(`no ${what} from snmptrapd within ${WAIT_MS} ms`)), WAIT_MS);
      listeners.add(poll);
      poll();
    });
  await until(() => ready, 'start-up line');
  return { port, traps, waitFor: (count) => until(() => traps.length >= count, `trap #${count}`) };
}

