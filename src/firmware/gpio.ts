// Status LED and button: what the LED shows for a printer state (idle on, printing blink, error fast blink) and how
// button edges become short and long presses. Pure logic over a GpioBackend, so tests run without GPIO hardware.
// SPDX-License-Identifier: Apache-2.0
import type { PrinterStateName } from '../printer/state.js';
import { isStoppingReason } from '../printer/stopping-reasons.js';
import type { GpioLine } from './board-hardware.js';

/** What the LED does: steady on or off, or blink with `halfPeriodMs` on and as long off. */
export type LedPattern = { readonly kind: 'on' } | { readonly kind: 'off' } | { readonly kind: 'blink'; readonly halfPeriodMs: number };

/** Blink while printing: 1 Hz. */
export const PRINTING_HALF_PERIOD_MS = 500;
/** Fast blink on error: 4 Hz. */
export const ERROR_HALF_PERIOD_MS = 125;
/** A press held this long is a long press (factory reset). */
export const LONG_PRESS_MS = 5000;
/** Presses shorter than this are contact bounce. */
export const MIN_PRESS_MS = 50;

/** An output line kept at a pattern until the next show() or close(). */
export interface LedDriver {
  show(pattern: LedPattern): void;
  close(): Promise<void>;
}

/** An input line reporting every change of its logical (active-low applied) level. */
export interface EdgeWatch {
  close(): Promise<void>;
}

/** Access to GPIO lines (the gpiod tools on a board, a fake in tests). */
export interface GpioBackend {
  output(line: GpioLine): Promise<LedDriver>;
  watch(line: GpioLine, onLevel: (isActive: boolean) => void): Promise<EdgeWatch>;
}

/** Reasons that stop the printer on purpose (an operator paused it): not an error. */
const OPERATOR_REASONS = new Set(['paused', 'moving-to-paused']);

/**
 * Whether the printer is in an error condition: a reason that stops the engine or has -error severity, or stopped
 * for anything but an operator's pause.
 */
export function isErrorCondition(state: PrinterStateName, reasons: readonly string[]): boolean {
  if (reasons.some((r) => r.endsWith('-error') || (isStoppingReason(r) && !OPERATOR_REASONS.has(r)))) return true;
  return state === 'stopped' && (reasons.length === 0 || !reasons.every((r) => OPERATOR_REASONS.has(r)));
}

/** The LED pattern for a printer state (idle: on, processing: blink, error: fast blink). */
export function ledPatternFor(state: PrinterStateName, reasons: readonly string[]): LedPattern {
  if (isErrorCondition(state, reasons)) return { kind: 'blink', halfPeriodMs: ERROR_HALF_PERIOD_MS };
  if (state === 'processing') return { kind: 'blink', halfPeriodMs: PRINTING_HALF_PERIOD_MS };
  return { kind: 'on' };
}

/** Whether two patterns are the same. */
export function samePattern(a: LedPattern, b: LedPattern): boolean {
  return a.kind === b.kind && (a.kind !== 'blink' || (b.kind === 'blink' && a.halfPeriodMs === b.halfPeriodMs));
}

/** The clock the press timer uses (tests inject a manual one). */
export interface PressClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const SYSTEM_CLOCK: PressClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What a press meant. */
export type PressKind = 'short' | 'long';

/**
 * Turns level changes into presses: released before LONG_PRESS_MS = 'short'; held LONG_PRESS_MS = 'long', reported
 * at that moment (while still held, so the LED can confirm) and the release after it is ignored. Bounces shorter
 * than MIN_PRESS_MS and repeated levels are ignored.
 */
export class PressDetector {
  readonly #clock: PressClock;
  readonly #onPress: (kind: PressKind) => void;
  #downAt: number | undefined;
  #timer: unknown;
  #isLongDone = false;

  constructor(onPress: (kind: PressKind) => void, clock: PressClock = SYSTEM_CLOCK) {
    this.#onPress = onPress;
    this.#clock = clock;
  }

  /** Feed the button's logical level (true = pressed). */
  level(isActive: boolean): void {
    if (isActive) {
      if (this.#downAt !== undefined) return;
      this.#downAt = this.#clock.now();
      this.#isLongDone = false;
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = undefined;
        this.#isLongDone = true;
        this.#onPress('long');
      }, LONG_PRESS_MS);
      return;
    }
    if (this.#downAt === undefined) return;
    const held = this.#clock.now() - this.#downAt;
    this.#downAt = undefined;
    this.cancel();
    if (!this.#isLongDone && held >= MIN_PRESS_MS) this.#onPress('short');
  }

  /** Drop a pending long-press timer. */
  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
