// Transport settings read from an engine URI's query and the board config's engine options (the query wins).
// Bad values become a ConfigError that names the key and what it allows.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';

/** Where a setting came from, for the error pointer. */
type Origin = { readonly value: unknown; readonly pointer: string; readonly where: string };

/** Typed access to the settings of one transport URI. */
export class UriOptions {
  readonly #uri: URL;
  readonly #options: Readonly<Record<string, unknown>>;

  /** Reject query keys outside `allowed` (a typo must not be ignored silently). */
  constructor(uri: URL, options: Readonly<Record<string, unknown>>, allowed: readonly string[]) {
    this.#uri = uri;
    this.#options = options;
    for (const key of uri.searchParams.keys()) {
      if (!allowed.includes(key)) {
        const list = allowed.length > 0 ? allowed.join(', ') : 'none';
        throw new ConfigError(`${uri.protocol} URI option "${key}" is unknown (allowed: ${list})`, { pointer: '/engine/uri' });
      }
    }
  }

  #origin(key: string): Origin | undefined {
    const query = this.#uri.searchParams.get(key);
    if (query !== null) return { value: query, pointer: '/engine/uri', where: `URI option "${key}"` };
    const value = this.#options[key];
    if (value === undefined) return undefined;
    return { value, pointer: `/engine/options/${key}`, where: `engine option "${key}"` };
  }

  #fail(origin: Origin, allowed: string): ConfigError {
    const shown = typeof origin.value === 'string' ? `"${origin.value}"` : JSON.stringify(origin.value);
    return new ConfigError(`${origin.where} is ${shown}; allowed: ${allowed}`, { pointer: origin.pointer });
  }

  /** One of `allowed` (strings, or numbers written as numbers or digits). */
  choice<T extends string | number>(key: string, allowed: readonly T[], fallback: T): T {
    const origin = this.#origin(key);
    if (origin === undefined) return fallback;
    const text = typeof origin.value === 'number' ? String(origin.value) : origin.value;
    const found = allowed.find((option) => String(option) === text);
    if (found === undefined) throw this.#fail(origin, allowed.join(' | '));
    return found;
  }

  /** An integer in [min, max]. */
  integer(key: string, min: number, max: number, fallback: number): number {
    const origin = this.#origin(key);
    if (origin === undefined) return fallback;
    const raw = origin.value;
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < min || value > max) throw this.#fail(origin, `an integer from ${min} to ${max}`);
    return value;
  }

  /** A non-negative number of seconds, returned in milliseconds. */
  seconds(key: string, maxSeconds: number, fallbackMs: number): number {
    const origin = this.#origin(key);
    if (origin === undefined) return fallbackMs;
    const raw = origin.value;
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(value) || value < 0 || value > maxSeconds) throw this.#fail(origin, `seconds from 0 to ${maxSeconds}`);
    return Math.round(value * 1000);
  }

  /** A boolean: true/false, 1/0, yes/no, on/off. */
  flag(key: string, fallback: boolean): boolean {
    const origin = this.#origin(key);
    if (origin === undefined) return fallback;
    const raw = origin.value;
    if (typeof raw === 'boolean') return raw;
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.toLowerCase() : '';
    if (['1', 'true', 'yes', 'on'].includes(text)) return true;
    if (['0', 'false', 'no', 'off'].includes(text)) return false;
    throw this.#fail(origin, 'true | false | 1 | 0');
  }
}

/** The local path of a `serial:` or `file:` URI; a host part (two slashes only) is a ConfigError. */
export function localPath(uri: URL): string {
  if (uri.host !== '' && uri.host !== 'localhost') {
    const scheme = uri.protocol.slice(0, -1);
    throw new ConfigError(`${uri.href}: a ${scheme} URI names a local path (${scheme}:///dev/...), not host "${uri.host}"`, {
      pointer: '/engine/uri',
    });
  }
  const path = decodeURIComponent(uri.pathname);
  if (path === '' || path === '/' || path.includes('\0')) {
    throw new ConfigError(`${uri.href}: no device or file path`, { pointer: '/engine/uri' });
  }
  return path;
}
