// Small validators shared by the board config parsers (src/config.ts, src/config-snmp.ts): each throws a ConfigError
// naming the file and the JSON pointer of the bad field.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from './errors.js';

/** A plain JSON object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field of at most 127 characters, or `fallback` when absent. */
export function str(obj: Record<string, unknown>, key: string, file: string, pointer: string, fallback?: string): string {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw new ConfigError(`${pointer}/${key} must be a string`, { file, pointer: `${pointer}/${key}` });
  if (v.length > 127) throw new ConfigError(`${pointer}/${key} is longer than 127 characters`, { file, pointer: `${pointer}/${key}` });
  return v;
}

/** Refuse fields not in `allowed`. */
export function checkKeys(obj: Record<string, unknown>, allowed: Set<string>, file: string, pointer: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) throw new ConfigError(`unknown field ${pointer}/${key}`, { file, pointer: `${pointer}/${key}` });
  }
}

/** One of `allowed`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], file: string, pointer: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new ConfigError(`${pointer} must be one of ${allowed.join(', ')}`, { file, pointer });
  return found;
}
