// Status LED and button logic without GPIO hardware: state -> LED pattern, press timing on a manual clock, the gpiod
// command lines for libgpiod v1 and v2, the gpiod backend over a fake spawner, and BoardIo on a fake backend.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { GpioLine } from '../../src/firmware/board-hardware.js';
import {
  ERROR_HALF_PERIOD_MS,
  LONG_PRESS_MS,
  ledPatternFor,
  PressDetector,
  PRINTING_HALF_PERIOD_MS,
  type GpioBackend,
  type LedPattern,
  type PressClock,
  type PressKind,
} from '../../src/firmware/gpio.js';
import { BoardIo } from '../../src/firmware/gpio-board.js';
import {
  GpiodBackend,
  gpiomonCommand,
  gpiosetCommand,
  parseGpiodetect,
  parseGpiodVersion,
  resolveChip,
  type ChildLike,
  type Command,
} from '../../src/firmware/gpio-gpiod.js';
import { makeTestPrinter } from '../support/fake-engine.js';

const silent = pino({ level: 'silent' });
const LED: GpioLine = { chip: 'pinctrl-bcm2711', line: 17, activeLow: false };
const BUTTON: GpioLine = { chip: 'gpiochip0', line: 27, activeLow: true };

/** A clock the test moves by hand. */
class ManualClock implements PressClock {
  time = 0;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.#timers.filter((x) => x.at <= this.time);
    this.#timers = this.#timers.filter((x) => x.at > this.time);
    for (const timer of due) timer.fn();
  }
}

t.test('the LED is on when idle, blinks while printing and blinks fast on an error', async (t) => {
  t.same(ledPatternFor('idle', []), { kind: 'on' });
  t.same(ledPatternFor('processing', []), { kind: 'blink', halfPeriodMs: PRINTING_HALF_PERIOD_MS });
  t.same(ledPatternFor('processing', ['media-empty-error']), { kind: 'blink', halfPeriodMs: ERROR_HALF_PERIOD_MS });
  t.same(ledPatternFor('idle', ['door-open']), { kind: 'blink', halfPeriodMs: ERROR_HALF_PERIOD_MS }, 'a stopping reason is an error');
  t.same(ledPatternFor('stopped', ['other']), { kind: 'blink', halfPeriodMs: ERROR_HALF_PERIOD_MS });
  t.same(ledPatternFor('idle', ['toner-low-report']), { kind: 'on' }, 'a report is not an error');
  t.same(ledPatternFor('stopped', ['paused']), { kind: 'on' }, 'an operator pause is not an error');
});

function detector(): { clock: ManualClock; presses: PressKind[]; d: PressDetector } {
  const clock = new ManualClock();
  const presses: PressKind[] = [];
  return { clock, presses, d: new PressDetector((k) => presses.push(k), clock) };
}

t.test('a press released before five seconds is a short press', async (t) => {
  const { clock, presses, d } = detector();
  d.level(true);
  clock.advance(300);
  d.level(false);
  t.same(presses, ['short']);
  clock.advance(LONG_PRESS_MS);
  t.same(presses, ['short'], 'no long press after the release');
});

t.test('a press held five seconds is a long press at that moment and its release adds nothing', async (t) => {
  const { clock, presses, d } = detector();
  d.level(true);
  clock.advance(LONG_PRESS_MS - 1);
  t.same(presses, []);
  clock.advance(1);
  t.same(presses, ['long'], 'reported while still held');
  clock.advance(2000);
  d.level(false);
  t.same(presses, ['long']);
});

t.test('contact bounce and repeated levels are not presses', async (t) => {
  const { clock, presses, d } = detector();
  d.level(false);
  d.level(true);
  clock.advance(10);
  d.level(true);
  clock.advance(10);
  d.level(false);
  t.same(presses, [], 'a 20 ms blip is bounce');
  d.level(true);
  clock.advance(100);
  d.level(false);
  d.level(false);
  t.same(presses, ['short']);
});

t.test('the gpiod tools version and chip labels are read from their output', async (t) => {
  t.equal(parseGpiodVersion('gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski\n'), 1);
  t.equal(parseGpiodVersion('gpioset (libgpiod) v2.1\n'), 2);
  t.throws(() => parseGpiodVersion('gpioset 3.0'), { code: 'ERR_CONFIG' });
  const labels = parseGpiodetect('gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n');
  t.equal(resolveChip('pinctrl-bcm2711', labels), 'gpiochip0');
  t.equal(resolveChip('gpiochip1', labels), 'gpiochip1');
  t.throws(() => resolveChip('pinctrl-rp1', labels), { message: /no GPIO chip labelled pinctrl-rp1.*pinctrl-bcm2711/ });
});

t.test('gpioset and gpiomon command lines follow libgpiod v1 and v2 syntax', async (t) => {
  t.same(gpiosetCommand(1, 'gpiochip0', LED, true), { file: 'gpioset', args: ['--mode=signal', 'gpiochip0', '17=1'] });
  t.same(gpiosetCommand(1, 'gpiochip0', { ...LED, activeLow: true }, false).args, ['--mode=signal', '--active-low', 'gpiochip0', '17=0']);
  t.same(gpiosetCommand(2, 'gpiochip0', LED, true, 125).args, ['--chip', 'gpiochip0', '--consumer', 'ippbridge', '--toggle', '125ms', '17=1']);
  t.same(gpiomonCommand(1, 'gpiochip0', BUTTON).args, ['--line-buffered', '--active-low', '--bias=pull-up', '--format=%e', 'gpiochip0', '27']);
  t.same(gpiomonCommand(2, 'gpiochip0', { ...BUTTON, activeLow: false }).args, [
    '--chip', 'gpiochip0', '--consumer', 'ippbridge', '--bias', 'pull-down', '--edges', 'both', '--debounce-period', '20ms', '--format', '%e', '27',
  ]);
});

/** A spawned tool that records its command and exits when killed. */
class FakeChild extends EventEmitter implements ChildLike {
  readonly stdout = new PassThrough();
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly command: Command;
  constructor(command: Command) {
    super();
    this.command = command;
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    setImmediate(() => {
      this.signalCode = signal;
      this.emit('exit');
    });
    return true;
  }
}

function fakeGpiod(version: 1 | 2): { backend: GpiodBackend; spawned: FakeChild[] } {
  const spawned: FakeChild[] = [];
  const labels = new Map([['pinctrl-bcm2711', 'gpiochip0']]);
  const backend = new GpiodBackend(version, labels, silent, (command) => {
    const child = new FakeChild(command);
    spawned.push(child);
    return child;
  });
  return { backend, spawned };
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('with gpiod v2 each LED pattern is one gpioset, the old one stopped first', async (t) => {
  const { backend, spawned } = fakeGpiod(2);
  const led = await backend.output(LED);
  led.show({ kind: 'on' });
  led.show({ kind: 'blink', halfPeriodMs: 500 });
  await led.close();
  t.same(spawned.map((c) => c.command.args.join(' ')), [
    '--chip gpiochip0 --consumer ippbridge 17=1',
    '--chip gpiochip0 --consumer ippbridge --toggle 500ms 17=1',
  ]);
  t.ok(spawned.every((c) => c.signalCode === 'SIGTERM'), 'every holder released on close');
});

t.test('with gpiod v1 a blink respawns gpioset with the other level each half period', async (t) => {
  const { backend, spawned } = fakeGpiod(1);
  const led = await backend.output(LED);
  led.show({ kind: 'blink', halfPeriodMs: 20 });
  await tick(110);
  led.show({ kind: 'off' });
  await led.close();
  const values = spawned.map((c) => c.command.args.at(-1));
  t.ok(values.length >= 4, `${values.length} phases`);
  t.same(values.slice(0, 4), ['17=1', '17=0', '17=1', '17=0']);
  t.equal(values.at(-1), '17=0', 'off at the end');
});

t.test('gpiomon lines become levels: 1 active, 0 (v1) or 2 (v2) inactive', async (t) => {
  for (const [version, release] of [
    [1, '0'],
    [2, '2'],
  ] as const) {
    const { backend, spawned } = fakeGpiod(version);
    const levels: boolean[] = [];
    const watch = await backend.watch(BUTTON, (v) => levels.push(v));
    spawned[0]?.stdout.write(`1\n${release}\nnoise\n`);
    await tick(10);
    t.same(levels, [true, false], `v${version}`);
    await watch.close();
  }
});

/** A GpioBackend recording LED patterns and letting the test press the button. */
function fakeBackend(): { backend: GpioBackend; patterns: LedPattern[]; press: (v: boolean) => void } {
  const patterns: LedPattern[] = [];
  let onLevel: (v: boolean) => void = () => undefined;
  return {
    patterns,
    press: (v) => onLevel(v),
    backend: {
      output: async () => ({ show: (p) => void patterns.push(p), close: async () => undefined }),
      watch: async (_line, cb) => {
        onLevel = cb;
        return { close: async () => undefined };
      },
    },
  };
}

t.test('BoardIo follows the printer state and turns presses into a status page or a factory reset', async (t) => {
  const { printer } = await makeTestPrinter(t);
  const { backend, patterns, press } = fakeBackend();
  const clock = new ManualClock();
  const printed: string[] = [];
  const io = await BoardIo.start({
    printer,
    hardware: { statusLed: LED, button: BUTTON },
    backend,
    log: silent,
    clock,
    statusInfo: () => ({ name: printer.name, state: 'idle', reasons: [], uri: 'ipp://x/ipp/print', firmwareVersion: '1', uuid: 'u', queuedJobs: 0, time: new Date(0) }),
    printStatus: async (info) => void printed.push(info.name),
  });
  t.teardown(() => io.close());
  t.same(patterns, [{ kind: 'on' }]);
  printer.state.setReasons({ add: ['media-empty-error'] }, new Date());
  t.same(patterns.at(-1), { kind: 'blink', halfPeriodMs: ERROR_HALF_PERIOD_MS });
  printer.state.setReasons({ remove: ['media-empty-error'] }, new Date());
  t.same(patterns.at(-1), { kind: 'on' });
  press(true);
  clock.advance(200);
  press(false);
  await tick(0);
  t.same(printed, [printer.name], 'short press: status page');
  let resets = 0;
  io.on('factory-reset', () => resets++);
  press(true);
  clock.advance(LONG_PRESS_MS);
  t.equal(resets, 1, 'long press: factory reset');
  t.same(patterns.at(-1), { kind: 'off' }, 'the LED goes dark to confirm');
});
