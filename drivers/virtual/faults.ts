// Fault injection for the virtual engine, read from <stateDir>/virtual-engine.json. File format:
//
//   {
//     "state-reasons": ["media-empty-error", "door-open"],   // printer-state-reasons keywords, severity suffix allowed
//     "supplies": [{ "type": "toner", "description": "Black Toner", "color": "#000000",
//                    "level": 80, "low-level": 10 }],         // replaces the default four toners
//     "media-ready": ["iso_a4_210x297mm"],                     // overrides the loaded media
//     "pace-bytes-per-second": 0,                             // throttles the virtual: transport (0 = no limit)
//     "vanished": true,                                       // the engine is gone (unplugged) until removed
//     "stalled": true,                                        // the engine takes no bytes until removed
//     "from-page": 2                                          // the faults above start at page 2 (see below)
//   }
//
// Every member is optional; a missing file means no faults. A supply whose level is at or below its low-level adds
// 'toner-low-warning' (toner) or 'marker-supply-low-warning' (others); level 0 adds the '-empty-error' form.
// With "from-page", "state-reasons", "vanished" and "stalled" wait until the engine takes the first bytes of a page
// numbered at least that (a fault mid-job at a known page); they then hold until the file changes.
// The file is checked at most once per poll interval (1 s) by stat (mtime, size, inode), so an edit is seen
// within 2 seconds. Invalid JSON keeps the last good value and is warned about once per file version.
// SPDX-License-Identifier: Apache-2.0
import { readFile, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransportError } from '../../src/errors.js';
import type { EngineStatus, SupplyStatus } from '../driver.js';
import { LINK_DOWN_REASONS } from '../transports/link.js';

/** What the faults file asks for. */
export interface FaultState {
  readonly reasons: readonly string[];
  readonly supplies: readonly SupplyStatus[] | undefined;
  readonly mediaReady: readonly string[] | undefined;
  readonly paceBytesPerSecond: number | undefined;
  /** the engine is gone: ports disconnect, opening waits, the printer shows offline-report */
  readonly vanished: boolean;
  /** the engine takes no bytes: writes wait */
  readonly stalled: boolean;
  /** reasons, vanished and stalled start once the engine takes the first bytes of this page */
  readonly fromPage: number | undefined;
}

/** Supplies of the virtual colour laser when the file does not list any. */
export const DEFAULT_SUPPLIES: readonly SupplyStatus[] = [
  { type: 'toner', description: 'Black Toner', color: '#000000', level: 100, lowLevel: 10 },
  { type: 'toner', description: 'Cyan Toner', color: '#00FFFF', level: 80, lowLevel: 10 },
  { type: 'toner', description: 'Magenta Toner', color: '#FF00FF', level: 80, lowLevel: 10 },
  { type: 'toner', description: 'Yellow Toner', color: '#FFFF00', level: 80, lowLevel: 10 },
];

/** The state without a faults file. */
export const NO_FAULTS: FaultState = {
  reasons: [],
  supplies: undefined,
  mediaReady: undefined,
  paceBytesPerSecond: undefined,
  vanished: false,
  stalled: false,
  fromPage: undefined,
};

const KEYWORD = /^[a-z0-9][a-z0-9._-]{0,254}$/;

function keywords(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && KEYWORD.test(v));
}

function supply(value: unknown): SupplyStatus | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const num = (x: unknown, fallback: number): number => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x) : fallback);
  const str = (x: unknown, fallback: string): string => (typeof x === 'string' && x.length <= 255 ? x : fallback);
  return {
    type: str(v['type'], 'toner'),
    description: str(v['description'], 'Supply'),
    color: str(v['color'], 'none'),
    level: Math.max(-3, Math.min(100, num(v['level'], -2))),
    lowLevel: Math.max(0, Math.min(100, num(v['low-level'], 10))),
  };
}

/** Validate parsed JSON into a FaultState; members of the wrong shape are ignored. */
export function parseFaults(json: unknown): FaultState {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return NO_FAULTS;
  const o = json as Record<string, unknown>;
  const pace = o['pace-bytes-per-second'];
  const supplies = o['supplies'];
  const fromPage = o['from-page'];
  return {
    reasons: keywords(o['state-reasons']) ?? [],
    supplies: Array.isArray(supplies) ? supplies.map(supply).filter((s) => s !== undefined) : undefined,
    mediaReady: keywords(o['media-ready']),
    paceBytesPerSecond: typeof pace === 'number' && Number.isFinite(pace) && pace >= 0 ? pace : undefined,
    vanished: o['vanished'] === true,
    stalled: o['stalled'] === true,
    fromPage: typeof fromPage === 'number' && Number.isInteger(fromPage) && fromPage >= 1 ? fromPage : undefined,
  };
}

/** Supply-level reasons: empty (error) at 0, low (warning) at or below the low level. */
function supplyReasons(supplies: readonly SupplyStatus[]): string[] {
  const out: string[] = [];
  for (const s of supplies) {
    const base = s.type === 'toner' ? 'toner' : 'marker-supply';
    if (s.level === 0) out.push(`${base}-empty-error`);
    else if (s.level > 0 && s.level <= s.lowLevel) out.push(`${base}-low-warning`);
  }
  return out;
}

/** EngineStatus for a fault state; mediaReady falls back to `mediaReady` (the configured loaded media). */
export function engineStatusFrom(state: FaultState, mediaReady: readonly string[]): EngineStatus {
  const supplies = state.supplies ?? DEFAULT_SUPPLIES;
  const base = (r: string): string => r.replace(/-(report|warning|error)$/, '');
  const listed = new Set(state.reasons.map(base));
  const reasons = [...state.reasons];
  for (const r of supplyReasons(supplies)) {
    if (!listed.has(base(r)) && !reasons.includes(r)) reasons.push(r);
  }
  // A vanished engine looks like an unplugged kept-open link.
  if (state.vanished) for (const r of LINK_DOWN_REASONS) if (!reasons.includes(r)) reasons.push(r);
  return { reasons, supplies, mediaReady: state.mediaReady ?? mediaReady };
}

/** The faults in effect: before a "from-page" trigger fires, only supplies, media and pace apply. */
function gated(state: FaultState, isTriggered: boolean): FaultState {
  if (state.fromPage === undefined || isTriggered) return state;
  return { ...state, reasons: [], vanished: false, stalled: false };
}

/** Watches the faults file lazily: `current()` re-checks it at most once per poll interval. */
export class FaultWatcher {
  readonly #file: string;
  readonly #log: Logger;
  readonly #pollMs: number;
  #state: FaultState = NO_FAULTS;
  #signature = '';
  #warnedSignature = '';
  #checkedAt = -Infinity;
  #pending: Promise<FaultState> | undefined;
  /** the "from-page" of the current file version was reached */
  #isTriggered = false;

  constructor(opts: { file: string; log: Logger; pollMs?: number }) {
    this.#file = opts.file;
    this.#log = opts.log;
    this.#pollMs = opts.pollMs ?? 1000;
  }

  /** The faults in effect, refreshed when the poll interval has passed. */
  async current(): Promise<FaultState> {
    if (performance.now() - this.#checkedAt >= this.#pollMs) {
      this.#pending ??= this.#refresh().finally(() => {
        this.#pending = undefined;
      });
      await this.#pending;
    }
    return gated(this.#state, this.#isTriggered);
  }

  /** The engine took the first bytes of page `page` (from the page's PNG tEXt): fires a "from-page" trigger. */
  notePage(page: number): void {
    const from = this.#state.fromPage;
    if (from === undefined || this.#isTriggered || page < from) return;
    this.#isTriggered = true;
    this.#log.info({ page }, 'virtual engine faults start');
  }

  /** Resolve once the engine is not vanished; rejects with a 'canceled' TransportError when `signal` aborts. */
  async untilPresent(signal?: AbortSignal): Promise<void> {
    const step = Math.max(10, Math.min(this.#pollMs, 250));
    while ((await this.current()).vanished) {
      try {
        await sleep(step, undefined, signal === undefined ? {} : { signal });
      } catch (err) {
        throw new TransportError('canceled', 'canceled while the engine is away', { cause: err });
      }
    }
  }

  async #refresh(): Promise<FaultState> {
    this.#checkedAt = performance.now();
    let signature: string;
    try {
      const st = await stat(this.#file, { bigint: true });
      signature = `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.#log.warn({ err }, 'virtual engine faults file unreadable');
      this.#signature = '';
      this.#state = NO_FAULTS;
      this.#isTriggered = false;
      return this.#state;
    }
    if (signature === this.#signature) return this.#state;
    try {
      const text = await readFile(this.#file, 'utf8');
      this.#state = parseFaults(JSON.parse(text) as unknown);
      this.#signature = signature;
      this.#isTriggered = false;
      this.#log.info({ reasons: this.#state.reasons }, 'virtual engine faults loaded');
    } catch (err) {
      // Keep the last good value; say so once per file version.
      if (this.#warnedSignature !== signature) {
        this.#warnedSignature = signature;
        this.#log.warn({ err }, 'virtual engine faults file is not valid JSON; keeping the last good value');
      }
    }
    return this.#state;
  }
}
