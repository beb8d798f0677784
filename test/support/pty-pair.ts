// A real pty pair made by socat (`pty,raw,echo=0,link=DIR/ttyA` <-> `…/ttyB`), for serial tests and benchmarks.
// Killing socat makes both ends hang up (the links vanish); restart() brings a new pair up on the same link paths.
// SPDX-License-Identifier: Apache-2.0
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Why serial pty tests cannot run here, or undefined when socat is installed. */
export function socatMissing(): string | undefined {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0 ? undefined : 'socat is not installed (apt install socat)';
}

/** True under CI=true, where a missing socat must fail the run instead of skipping it. */
export function mustHaveSocat(): boolean {
  return process.env['CI'] === 'true';
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Two linked pseudo-terminals; `pathA` is the host end, `pathB` the engine end. */
export class PtyPair {
  readonly pathA: string;
  readonly pathB: string;
  #child: ChildProcess | undefined;

  private constructor(dir: string) {
    this.pathA = path.join(dir, 'ttyA');
    this.pathB = path.join(dir, 'ttyB');
  }

  /** Start socat in `dir` and wait until both links exist. */
  static async start(dir: string): Promise<PtyPair> {
    const pair = new PtyPair(dir);
    await pair.restart();
    return pair;
  }

  /** socat's process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Start a new socat on the same link paths (after kill()). */
  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error('pty pair is already running');
    const args = ['-d', '-d', `pty,raw,echo=0,link=${this.pathA}`, `pty,raw,echo=0,link=${this.pathB}`];
    const child = spawn('socat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const deadline = Date.now() + 5000;
    while (!log.includes('starting data transfer loop') || !(await exists(this.pathA)) || !(await exists(this.pathB))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.kill();
        throw new Error(`socat did not start: ${log.trim()}`);
      }
      await sleep(10);
    }
  }

  /** Kill socat by its pid and wait for it to exit (its links disappear with it). */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    try {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    } catch {
      // Already gone between the check and the signal.
    }
    await exited;
  }
}
