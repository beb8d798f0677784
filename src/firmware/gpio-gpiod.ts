// GPIO through the kernel's character device with the libgpiod command-line tools (Debian package gpiod): gpioset
// holds the LED line, gpiomon reports the button's edges. Speaks libgpiod v1 (Raspberry Pi OS / Debian bookworm) and
// v2 (trixie) syntax; Node has no GPIO ioctl binding without a native addon (firmware/README.md, "Status LED").
// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import type { GpioLine } from './board-hardware.js';
import type { EdgeWatch, GpioBackend, LedDriver, LedPattern } from './gpio.js';

const run = promisify(execFile);

/** libgpiod tools major version: 1 (`gpioset --mode=signal CHIP LINE=V`) or 2 (`gpioset -c CHIP LINE=V`). */
export type GpiodVersion = 1 | 2;

/** A command line. */
export interface Command {
  readonly file: string;
  readonly args: readonly string[];
}

/** The libgpiod version a `gpioset --version` output names. */
export function parseGpiodVersion(text: string): GpiodVersion {
  const match = /\bv?(\d+)\.\d+/.exec(text);
  if (match?.[1] === '1') return 1;
  if (match?.[1] === '2') return 2;
  throw new ConfigError(`unknown libgpiod tools version: ${text.trim().split('\n')[0] ?? ''}`);
}

/** gpiodetect output (`gpiochip0 [pinctrl-bcm2711] (58 lines)`) as label -> chip name. */
export function parseGpiodetect(text: string): Map<string, string> {
  const chips = new Map<string, string>();
  for (const match of text.matchAll(/^(gpiochip\d+) \[([^\]]*)\]/gm)) {
    if (match[1] !== undefined && match[2] !== undefined) chips.set(match[2], match[1]);
  }
  return chips;
}

/** The chip name for a board config's chip (a name like gpiochip0 or a label like pinctrl-bcm2711). */
export function resolveChip(chip: string, labels: ReadonlyMap<string, string>): string {
  if (/^gpiochip\d+$/.test(chip)) return chip;
  const name = labels.get(chip);
  if (name === undefined) throw new ConfigError(`no GPIO chip labelled ${chip} (gpiodetect lists: ${[...labels.keys()].join(', ') || 'none'})`);
  return name;
}

/** The gpioset command holding `line` at `isActive` (v2: toggling every `toggleMs` when given). */
export function gpiosetCommand(version: GpiodVersion, chip: string, line: GpioLine, isActive: boolean, toggleMs?: number): Command {
  const value = `${line.line}=${isActive ? 1 : 0}`;
  const activeLow = line.activeLow ? ['--active-low'] : [];
  if (version === 1) return { file: 'gpioset', args: ['--mode=signal', ...activeLow, chip, value] };
  const toggle = toggleMs === undefined ? [] : ['--toggle', `${toggleMs}ms`];
  return { file: 'gpioset', args: ['--chip', chip, '--consumer', 'ippbridge', ...activeLow, ...toggle, value] };
}

/** The gpiomon command printing one line per edge of `line`: '1' when it became active, else '0' (v1) or '2' (v2). */
export function gpiomonCommand(version: GpiodVersion, chip: string, line: GpioLine): Command {
  const activeLow = line.activeLow ? ['--active-low'] : [];
  // A button to ground (active low) needs the pull-up, one to 3.3 V the pull-down.
  const bias = line.activeLow ? 'pull-up' : 'pull-down';
  if (version === 1) return { file: 'gpiomon', args: ['--line-buffered', ...activeLow, `--bias=${bias}`, '--format=%e', chip, String(line.line)] };
  return {
    file: 'gpiomon',
    args: ['--chip', chip, '--consumer', 'ippbridge', ...activeLow, '--bias', bias, '--edges', 'both', '--debounce-period', '20ms', '--format', '%e', String(line.line)],
  };
}

/** The part of a child process the backend uses (a fake in tests). */
export interface ChildLike {
  readonly stdout: Readable | null;
  kill(signal?: NodeJS.Signals): boolean;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  once(event: 'exit', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Starts a command (child_process.spawn by default). */
export type Spawner = (command: Command, output: boolean) => ChildLike;

const defaultSpawner: Spawner = (command, output) =>
  spawn(command.file, [...command.args], { stdio: ['ignore', output ? 'pipe' : 'ignore', 'inherit'] });

async function stop(child: ChildLike | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child as unknown as NodeJS.EventEmitter, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** LED on a line: one gpioset per pattern (v2 toggles itself), or per blink phase with v1 (which cannot toggle). */
class GpiodLed implements LedDriver {
  readonly #start: (isActive: boolean, toggleMs?: number) => ChildLike;
  readonly #version: GpiodVersion;
  #child: ChildLike | undefined;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<void> = Promise.resolve();
  #isClosed = false;

  constructor(version: GpiodVersion, start: (isActive: boolean, toggleMs?: number) => ChildLike) {
    this.#version = version;
    this.#start = start;
  }

  #replace(isActive: boolean, toggleMs?: number): void {
    // In order: the old holder must release the line before the new one can request it.
    this.#queue = this.#queue.then(async () => {
      await stop(this.#child);
      this.#child = this.#isClosed ? undefined : this.#start(isActive, toggleMs);
    });
  }

  show(pattern: LedPattern): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (pattern.kind !== 'blink') return this.#replace(pattern.kind === 'on');
    if (this.#version === 2) return this.#replace(true, pattern.halfPeriodMs);
    let isActive = true;
    this.#replace(isActive);
    this.#timer = setInterval(() => {
      isActive = !isActive;
      this.#replace(isActive);
    }, pattern.halfPeriodMs);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#queue;
    this.#isClosed = true;
    await stop(this.#child);
    this.#child = undefined;
  }
}

/** GpioBackend over the gpiod tools; `version` and `labels` come from GpiodBackend.detect on a board. */
export class GpiodBackend implements GpioBackend {
  readonly version: GpiodVersion;
  readonly #labels: ReadonlyMap<string, string>;
  readonly #spawn: Spawner;
  readonly #log: Logger;

  constructor(version: GpiodVersion, labels: ReadonlyMap<string, string>, log: Logger, spawner: Spawner = defaultSpawner) {
    this.version = version;
    this.#labels = labels;
    this.#log = log;
    this.#spawn = spawner;
  }

  /** Find the tools and the chips; ConfigError when gpiod is not installed. */
  static async detect(log: Logger): Promise<GpiodBackend> {
    let version: GpiodVersion;
    try {
      const { stdout } = await run('gpioset', ['--version']);
      version = parseGpiodVersion(stdout);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError('the GPIO tools are missing: apt install gpiod (status LED and button need gpioset and gpiomon)', { cause: err });
    }
    const { stdout } = await run('gpiodetect', []);
    return new GpiodBackend(version, parseGpiodetect(stdout), log);
  }

  #watchExit(child: ChildLike, what: string): ChildLike {
    child.on('error', (err) => this.#log.warn({ err, what }, 'GPIO tool failed to start'));
    child.once('exit', () => {
      if (child.exitCode !== null && child.exitCode !== 0) this.#log.warn({ what, code: child.exitCode }, 'GPIO tool exited');
    });
    return child;
  }

  async output(line: GpioLine): Promise<LedDriver> {
    const chip = resolveChip(line.chip, this.#labels);
    return new GpiodLed(this.version, (isActive, toggleMs) => this.#watchExit(this.#spawn(gpiosetCommand(this.version, chip, line, isActive, toggleMs), false), 'gpioset'));
  }

  async watch(line: GpioLine, onLevel: (isActive: boolean) => void): Promise<EdgeWatch> {
    const chip = resolveChip(line.chip, this.#labels);
    const child = this.#watchExit(this.#spawn(gpiomonCommand(this.version, chip, line), true), 'gpiomon');
    if (child.stdout !== null) {
      createInterface({ input: child.stdout }).on('line', (text) => {
        const token = text.trim();
        if (token === '1') onLevel(true);
        else if (token === '0' || token === '2') onLevel(false);
      });
    }
    return { close: () => stop(child) };
  }
}
