// Settings changed from the web pages, persisted in `<state-dir>/settings.json` (written atomically): printer
// name, location, geo-location, organization, contact, loaded media and job defaults. Loaded at start over the
// board config's values; a malformed file or value is ignored with a warning.
// SPDX-License-Identifier: Apache-2.0
import { join } from 'node:path';
import type { Logger } from 'pino';
import { readJsonTolerant, writeJsonAtomic } from '../state-dir.js';
import type { DriverCapabilities } from '../../drivers/driver.js';
import type { JobDefaults, Printer } from '../printer/printer.js';
import { resolveCapabilities } from '../printer/printer-capabilities.js';

/** File name inside the state directory. */
export const SETTINGS_FILE = 'settings.json';

/** The identity fields of the Printer settings page. */
export interface IdentitySettings {
  readonly name?: string;
  readonly location?: string;
  readonly geoLocation?: string | undefined;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly contact?: string;
}

/** Everything the web pages persist. */
export interface WebSettings extends IdentitySettings {
  readonly mediaReady?: readonly string[];
  readonly defaults?: JobDefaults;
}

const TEXT_FIELDS = ['name', 'location', 'organization', 'organizationalUnit', 'contact'] as const;
/** Longest free-text value (printer-location etc. are text(127) in RFC 8011). */
export const MAX_TEXT = 127;

/** Why `value` is not a usable `geo:` URI (RFC 5870), or undefined. */
export function geoProblem(value: string): string | undefined {
  return /^geo:-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?(,-?\d+(\.\d+)?)?(;[\x21-\x7e]*)?$/.test(value) ? undefined : 'not a geo: URI such as geo:52.52,13.40';
}

/** Why a text field value is refused, or undefined. */
export function textProblem(value: string, required: boolean): string | undefined {
  if (required && value.trim() === '') return 'may not be empty';
  if ([...value].length > MAX_TEXT) return `has more than ${MAX_TEXT} characters`;
  if (/\p{Cc}/u.test(value)) return 'contains control characters';
  return undefined;
}

/** Why `defaults` does not fit `caps`, or undefined. */
export function defaultsProblem(defaults: JobDefaults, caps: DriverCapabilities): string | undefined {
  const r = resolveCapabilities(caps);
  if (defaults.media !== undefined && !caps.media.supported.includes(defaults.media)) return `media ${defaults.media} is not supported`;
  if (defaults.sides !== undefined && !(r.sides as readonly string[]).includes(defaults.sides)) return `sides ${defaults.sides} is not supported`;
  if (defaults.printColorMode !== undefined && !(caps.colorModes as readonly string[]).includes(defaults.printColorMode)) {
    return `color mode ${defaults.printColorMode} is not supported`;
  }
  if (defaults.printQuality !== undefined && ![3, 4, 5].includes(defaults.printQuality)) return 'print quality must be 3, 4 or 5';
  return undefined;
}

/** Why `ready` cannot be the loaded media (one entry per source, '' or a supported name), or undefined. */
export function mediaReadyProblem(ready: readonly string[], caps: DriverCapabilities): string | undefined {
  const sources = resolveCapabilities(caps).sources;
  if (ready.length > sources.length) return 'more entries than media sources';
  const bad = ready.find((n) => n !== '' && !caps.media.supported.includes(n));
  return bad === undefined ? undefined : `media ${bad} is not supported`;
}

function pickDefaults(v: unknown): JobDefaults {
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  return {
    ...(typeof o['media'] === 'string' ? { media: o['media'] } : {}),
    ...(typeof o['sides'] === 'string' ? { sides: o['sides'] } : {}),
    ...(typeof o['printColorMode'] === 'string' ? { printColorMode: o['printColorMode'] } : {}),
    ...(typeof o['printQuality'] === 'number' ? { printQuality: o['printQuality'] } : {}),
  };
}

/** Parse a settings document, keeping only the values that are valid for `caps`. */
export function parseSettings(doc: unknown, caps: DriverCapabilities, log: Logger): WebSettings {
  if (typeof doc !== 'object' || doc === null) return {};
  const o = doc as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of TEXT_FIELDS) {
    const v = o[key];
    if (typeof v === 'string' && textProblem(v, key === 'name') === undefined) out[key] = v;
    else if (v !== undefined) log.warn({ key }, 'ignoring invalid web setting');
  }
  const geo = o['geoLocation'];
  if (typeof geo === 'string' && geoProblem(geo) === undefined) out['geoLocation'] = geo;
  const ready = o['mediaReady'];
  if (Array.isArray(ready) && ready.every((x): x is string => typeof x === 'string') && mediaReadyProblem(ready, caps) === undefined) {
    out['mediaReady'] = ready;
  }
  const defaults = pickDefaults(o['defaults']);
  if (defaultsProblem(defaults, caps) === undefined) out['defaults'] = defaults;
  else log.warn({ key: 'defaults' }, 'ignoring invalid web setting');
  return out as WebSettings;
}

/** The persisted settings of one state directory. */
export class SettingsStore {
  readonly path: string;
  #current: WebSettings;
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string, current: WebSettings) {
    this.path = path;
    this.#current = current;
  }

  /** Read `<stateDir>/settings.json` (missing: no settings). */
  static async open(stateDir: string, caps: DriverCapabilities, log: Logger): Promise<SettingsStore> {
    const path = join(stateDir, SETTINGS_FILE);
    return new SettingsStore(path, parseSettings(await readJsonTolerant(path, log), caps, log));
  }

  get current(): WebSettings {
    return this.#current;
  }

  /** Merge `change` in and write the file; resolves when it is durable. */
  update(change: Partial<WebSettings>): Promise<void> {
    this.#current = { ...this.#current, ...change };
    const snapshot = this.#current;
    this.#writing = this.#writing.catch(() => undefined).then(() => writeJsonAtomic(this.path, snapshot));
    return this.#writing;
  }
}

/** Apply the loaded media and job defaults of `settings` to a started printer. */
export function applyStateSettings(printer: Printer, settings: WebSettings): void {
  if (settings.defaults !== undefined) printer.setJobDefaults(settings.defaults);
  if (settings.mediaReady !== undefined) printer.setMediaReady(settings.mediaReady);
}
