// The board's status LED and button wired to a printer: the LED follows the printer state model, a short press
// prints a status page, a long press asks for a factory reset ('factory-reset' event; main.ts stops, resets, exits).
// SPDX-License-Identifier: Apache-2.0
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Printer } from '../printer/printer.js';
import type { BoardHardware } from './board-hardware.js';
import { ledPatternFor, PressDetector, samePattern, SYSTEM_CLOCK, type EdgeWatch, type GpioBackend, type LedDriver, type LedPattern, type PressClock, type PressKind } from './gpio.js';
import { GpiodBackend } from './gpio-gpiod.js';
import { printStatusPage, type StatusPageInfo } from './status-page.js';

/** What BoardIo needs. */
export interface BoardIoOptions {
  readonly printer: Printer;
  readonly hardware: Pick<BoardHardware, 'statusLed' | 'button'>;
  readonly backend: GpioBackend;
  readonly log: Logger;
  /** the facts the status page prints (URI and version come from the caller) */
  readonly statusInfo: () => StatusPageInfo;
  readonly clock?: PressClock;
  /** prints the status page (default: printStatusPage on the printer) */
  readonly printStatus?: (info: StatusPageInfo) => Promise<unknown>;
}

/** LED and button of one board. */
export class BoardIo extends EventEmitter<{ 'factory-reset': []; press: [PressKind] }> {
  readonly #led: LedDriver | undefined;
  #watch: EdgeWatch | undefined;
  #detector: PressDetector | undefined;
  #shown: LedPattern | undefined;
  readonly #onChange: () => void;
  readonly #opts: BoardIoOptions;
  #isResetting = false;

  private constructor(opts: BoardIoOptions, led: LedDriver | undefined) {
    super();
    this.#opts = opts;
    this.#led = led;
    this.#onChange = () => this.#update();
  }

  /** Claim the lines the board has and start following the printer. */
  static async start(opts: BoardIoOptions): Promise<BoardIo> {
    const led = opts.hardware.statusLed === undefined ? undefined : await opts.backend.output(opts.hardware.statusLed);
    const io = new BoardIo(opts, led);
    if (led !== undefined) {
      opts.printer.state.on('change', io.#onChange);
      io.#update();
    }
    if (opts.hardware.button !== undefined) {
      const detector = new PressDetector((kind) => io.#press(kind), opts.clock ?? SYSTEM_CLOCK);
      io.#detector = detector;
      io.#watch = await opts.backend.watch(opts.hardware.button, (isActive) => detector.level(isActive));
    }
    return io;
  }

  /** The pattern shown now (undefined without an LED). */
  get pattern(): LedPattern | undefined {
    return this.#shown;
  }

  #show(pattern: LedPattern): void {
    if (this.#led === undefined || (this.#shown !== undefined && samePattern(this.#shown, pattern))) return;
    this.#shown = pattern;
    this.#led.show(pattern);
  }

  #update(): void {
    if (this.#isResetting) return;
    const state = this.#opts.printer.state;
    this.#show(ledPatternFor(state.state, state.reasons));
  }

  #press(kind: PressKind): void {
    this.emit('press', kind);
    if (kind === 'long') {
      this.#opts.log.warn('button held: factory reset');
      this.#isResetting = true;
      this.#show({ kind: 'off' });
      this.emit('factory-reset');
      return;
    }
    this.#opts.log.info('button pressed: printing a status page');
    const print = this.#opts.printStatus ?? ((info: StatusPageInfo) => printStatusPage(this.#opts.printer, info));
    print(this.#opts.statusInfo()).catch((err: unknown) => this.#opts.log.error({ err }, 'status page failed'));
  }

  /** Release the lines (the LED goes dark when its gpioset exits). */
  async close(): Promise<void> {
    this.#opts.printer.state.off('change', this.#onChange);
    this.#detector?.cancel();
    await this.#watch?.close();
    await this.#led?.close();
  }
}

/** The status page facts of a running printer reachable on `port` under this host's .local name. */
export function statusInfoOf(printer: Printer, port: number, firmwareVersion: string, host = hostname()): StatusPageInfo {
  const view = printer.statusView();
  return {
    name: printer.name,
    state: view.state,
    reasons: view.reasons,
    uri: `ipp://${host.split('.')[0] ?? host}.local:${port}/ipp/print`,
    firmwareVersion,
    uuid: printer.config.uuid,
    queuedJobs: view.queuedJobCount,
    time: view.currentTime,
  };
}

/**
 * BoardIo for `printer`'s board when its config names a status LED or button, over the gpiod tools; undefined when
 * it names none, or (logged) when the tools or lines are not usable: the printer works without them.
 */
export async function startBoardIo(printer: Printer, statusInfo: () => StatusPageInfo, log: Logger): Promise<BoardIo | undefined> {
  const hardware = printer.board.board;
  if (hardware === undefined || (hardware.statusLed === undefined && hardware.button === undefined)) return undefined;
  try {
    const backend = await GpiodBackend.detect(log);
    return await BoardIo.start({ printer, hardware, backend, log, statusInfo });
  } catch (err) {
    log.warn({ err }, 'status LED and button unavailable');
    return undefined;
  }
}
