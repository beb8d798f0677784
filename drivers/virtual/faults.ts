// Fault injection for the virtual engine, read from <stateDir>/virtual-engine.json. File format:
//
//   {
//     "state-reasons": ["media-empty-error", "door-open"],   // printer-state-reasons keywords, severity suffix allowed
//     "supplies": [{ "type": "toner", "description": "Black Toner", "color": "#000000",
//                    "level": 80, "low-level": 10 }],         // replaces the default four toners
//     "media-ready": ["iso_a4_210x297mm"],                     // overrides the loaded media
//     "pace-bytes-per-second": 0                              // throttles the virtual: transport (0 = no limit)
//   }
//
// Every member is optional; a missing file means no faults. A supply whose level is at or below its low-level adds
// 'toner-low-warning' (toner) or 'marker-supply-low-warning' (others); level 0 adds the '-empty-error' form.
// The file is checked at most once per poll interval (1 s) by stat (mtime, size, inode), so an edit is seen
// within 2 seconds. Invalid JSON keeps the last good value and is warned about once per file version.
// SPDX-License-Identifier: Apache-2.0
import { readFile, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { EngineStatus, SupplyStatus } from '../driver.js';

/** What the faults file asks for. */
export interface FaultState {
  readonly reasons: readonly string[];
  readonly supplies: readonly SupplyStatus[] | undefined;
  readonly mediaReady: readonly string[] | undefined;
  readonly paceBytesPerSecond: number | undefined;
}

/** Supplies of the virtual colour laser when the file does not list any. */
export const DEFAULT_SUPPLIES: readonly SupplyStatus[] = [
  { type: 'toner', description: 'Black Toner', color: '#000000', level: 100, lowLevel: 10 },
  { type: 'toner', description: 'Cyan Toner', color: '#00FFFF', level: 80, lowLevel: 10 },
  { type: 'toner', description: 'Magenta Toner', color: '#FF00FF', level: 80, lowLevel: 10 },
  { type: 'toner', description: 'Yellow Toner', color: '#FFFF00', level: 80, lowLevel: 10 },
];

export const NO_FAULTS: FaultState = { reasons: [], supplies: undefined, mediaReady: undefined, paceBytesPerSecond: undefined };

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
  return {
    reasons: keywords(o['state-reasons']) ?? [],
    supplies: Array.isArray(supplies) ? supplies.map(supply).filter((s) => s !== undefined) : undefined,
    mediaReady: keywords(o['media-ready']),
    paceBytesPerSecond: typeof pace === 'number' && Number.isFinite(pace) && pace >= 0 ? pace : undefined,
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
  return { reasons, supplies, mediaReady: state.mediaReady ?? mediaReady };
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

  constructor(opts: { file: string; log: Logger; pollMs?: number }) {
    this.#file = opts.file;
    this.#log = opts.log;
    this.#pollMs = opts.pollMs ?? 1000;
  }

  /** The fault state, refreshed when the poll interval has passed. */
  async current(): Promise<FaultState> {
    if (performance.now() - this.#checkedAt < this.#pollMs) return this.#state;
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
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
      return this.#state;
    }
    if (signature === this.#signature) return this.#state;
    try {
      const text = await readFile(this.#file, 'utf8');
      this.#state = parseFaults(JSON.parse(text) as unknown);
      this.#signature = signature;
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
