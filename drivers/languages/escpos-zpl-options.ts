// Board-config `engine.options` checks shared by the ESC/POS and ZPL drivers: each option has a reader that
// returns the typed value or throws ConfigError with the pointer /engine/options/<name>.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';
import { isMediaRangeBound, parseMediaSize } from '../../src/printer/media.js';

/** Options every language driver understands (engines.md); `color` and `duplex` are PCL only. */
export const COMMON_OPTION_KEYS: readonly string[] = ['make-and-model', 'device-id', 'resolution', 'media', 'media-ready', 'ppm'];

/** JSON pointer of an engine option. */
export function optionPointer(name: string): string {
  return `/engine/options/${name}`;
}

function fail(name: string, must: string): never {
  throw new ConfigError(`${optionPointer(name)} must be ${must}`, { pointer: optionPointer(name) });
}

/** Throw for a key that is neither one of `known` nor a transport key. */
export function rejectUnknownOptions(options: Readonly<Record<string, unknown>>, known: readonly string[], driver: string): void {
  for (const key of Object.keys(options)) {
    // Link settings (baud, flow, serial number) travel in the engine URI, never in engine.options.
    if (known.includes(key)) continue;
    throw new ConfigError(`${optionPointer(key)} is not an option of the ${driver} driver (known: ${known.join(', ')})`, {
      pointer: optionPointer(key),
    });
  }
}

/** A non-empty string option. */
export function stringOption(options: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 1023) fail(name, 'a non-empty string');
  return v;
}

/** A boolean option. */
export function booleanOption(options: Readonly<Record<string, unknown>>, name: string): boolean | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') fail(name, 'true or false');
  return v;
}

/** An integer option within [min, max]. */
export function integerOption(options: Readonly<Record<string, unknown>>, name: string, min: number, max: number): number | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(name, `an integer from ${min} to ${max}`);
  return v;
}

/** One of a list of keywords. */
export function keywordOption<K extends string>(options: Readonly<Record<string, unknown>>, name: string, choices: readonly K[]): K | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) fail(name, `one of ${choices.join(', ')}`);
  return v as K;
}

/** `resolution`: a dpi number, or [x, y], each one of `allowed`. */
export function resolutionOption(
  options: Readonly<Record<string, unknown>>,
  allowed: readonly number[],
): { readonly x: number; readonly y: number } | undefined {
  const v = options['resolution'];
  if (v === undefined) return undefined;
  const pair = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? (v as unknown[]) : undefined;
  const [x, y] = pair ?? [];
  if (typeof x !== 'number' || typeof y !== 'number' || !allowed.includes(x) || !allowed.includes(y)) {
    fail('resolution', `a dpi number or [x, y] from ${allowed.join(', ')}`);
  }
  return { x, y };
}

/** A list of PWG 5101.1 self-describing media names (range bounds such as `roll_max_…` allowed when `allowRanges`). */
export function mediaListOption(options: Readonly<Record<string, unknown>>, name: string, allowRanges: boolean): string[] | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  const isName = (n: unknown): n is string =>
    typeof n === 'string' && n.length <= 255 && parseMediaSize(n) !== undefined && (allowRanges || isMediaRangeBound(n) === undefined);
  if (!Array.isArray(v) || v.length === 0 || !v.every(isName)) fail(name, 'a non-empty list of PWG 5101.1 media names such as "na_index-4x6_4x6in"');
  return v;
}
