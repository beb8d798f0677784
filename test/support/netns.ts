// Private network namespace helpers and a CUPS ippeveprinter reference printer for side-by-side runs.
// ippeveprinter needs a system D-Bus: it gets its own dbus-daemon on a private socket (no Avahi, no multicast).
// SPDX-License-Identifier: Apache-2.0
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Set in the environment of a process that runs inside a namespace made by `netnsCommand`. */
export const IN_NETNS_ENV = 'IPPBRIDGE_IN_NETNS';

/** Path of CUPS' reference printer. */
export const IPPEVEPRINTER = '/usr/sbin/ippeveprinter';

/** A running ippeveprinter. */
export interface ReferencePrinter {
  readonly port: number;
  readonly uri: string;
  readonly proc: ChildProcess;
  /** Collected stdout + stderr of ippeveprinter (for diagnostics). */
  output(): string;
  stop(): Promise<void>;
}

/** Whether this process already runs inside a namespace created by `netnsCommand`. */
export function isInNetns(): boolean {
  return process.env[IN_NETNS_ENV] === '1';
}

/** Whether `unshare` can create a network namespace here (root, or unprivileged user namespaces). */
export function canCreateNetns(): boolean {
  if (!existsSync('/usr/bin/unshare') && !existsSync('/bin/unshare')) return false;
  const probe = spawnSync('unshare', [...unshareFlags(), 'true'], { stdio: 'ignore', timeout: 5000 });
  return probe.status === 0;
}

function unshareFlags(): string[] {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? ['-n'] : ['-r', '-n'];
}

/** The command line that runs `argv` in a fresh network namespace, and the environment that marks it. */
export function netnsCommand(argv: readonly string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return { command: 'unshare', args: [...unshareFlags(), '--', ...argv], env: { ...process.env, [IN_NETNS_ENV]: '1' } };
}

/** Bring the loopback interface up (a new network namespace starts with it down). */
export function bringUpLoopback(): void {
  const res = spawnSync('ip', ['link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 5000 });
  if (res.status !== 0) throw new Error(`ip link set lo up failed: ${res.stderr}`);
}

/** Resolve once something accepts TCP connections on 127.0.0.1:port, or reject after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('process exited before it listened');
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await delay(50);
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

const BUS_CONFIG = (socket: string): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;

async function stopChild(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await delay(20);
  }
}

/**
 * Start ippeveprinter with its jobs finishing at once (`-c /bin/true`). Only inside a private namespace
 * (`isInNetns()`), so that nothing it does can reach a real interface.
 */
export async function startIppeveprinter(opts: { port?: number; formats?: string } = {}): Promise<ReferencePrinter> {
  if (!isInNetns()) throw new Error('startIppeveprinter must run inside a private network namespace');
  const port = opts.port ?? 8631;
  const dir = await mkdtemp(join(tmpdir(), 'ippeve-'));
  const socket = join(dir, 'bus');
  await writeFile(join(dir, 'bus.conf'), BUS_CONFIG(socket));
  const bus = spawn('dbus-daemon', ['--nofork', `--config-file=${join(dir, 'bus.conf')}`], { stdio: 'ignore' });
  let log = '';
  let printer: ChildProcess | undefined;
  const cleanup = async (): Promise<void> => {
    if (printer) await stopChild(printer, 3000);
    await stopChild(bus, 3000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForFile(socket, 5000);
    const spool = join(dir, 'spool');
    await mkdir(spool);
    const formats = opts.formats ?? 'image/pwg-raster,image/jpeg,image/urf';
    const args = ['-p', String(port), '-c', '/bin/true', '-d', spool, '-f', formats, '-r', 'off', 'reference'];
    const proc = spawn(IPPEVEPRINTER, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${socket}` },
    });
    printer = proc;
    const collect = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-65536);
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    await waitForPort(port, 10000, () => proc.exitCode === null && proc.signalCode === null);
    return { port, uri: `ipp://127.0.0.1:${port}/ipp/print`, proc, output: () => log, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw new Error(`ippeveprinter did not start: ${String(err)}\n${log}`, { cause: err });
  }
}
