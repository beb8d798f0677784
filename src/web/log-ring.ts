// An in-memory ring of the last log lines, for the Logs page: a pino destination (write(line)) teed beside stdout.
// Lines are pino's JSON output, already redacted; each line is capped so one huge entry cannot eat the memory.
// SPDX-License-Identifier: Apache-2.0

/** Lines kept by the process-wide ring. */
export const LOG_RING_LINES = 500;
/** Longest line kept, in characters; longer ones are cut. */
const MAX_LINE_CHARS = 4096;

/** pino's numeric levels by name. */
export const LEVEL_VALUES = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LevelName = keyof typeof LEVEL_VALUES;

/** One line as the Logs page shows it. */
export interface LogEntry {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  /** the module (`mod`) and any other fields, as compact JSON */
  readonly mod: string;
  readonly extra: string;
}

const HIDDEN = new Set(['level', 'time', 'msg', 'mod', 'name', 'pid', 'hostname']);

function parse(line: string): LogEntry {
  try {
    const o: unknown = JSON.parse(line);
    if (typeof o === 'object' && o !== null) {
      const r = o as Record<string, unknown>;
      const extra = Object.fromEntries(Object.entries(r).filter(([k]) => !HIDDEN.has(k)));
      return {
        level: typeof r['level'] === 'number' ? r['level'] : 30,
        time: typeof r['time'] === 'number' ? r['time'] : 0,
        msg: typeof r['msg'] === 'string' ? r['msg'] : '',
        mod: typeof r['mod'] === 'string' ? r['mod'] : '',
        extra: Object.keys(extra).length > 0 ? JSON.stringify(extra) : '',
      };
    }
  } catch {
    // A cut or foreign line is shown as it is.
  }
  return { level: 30, time: 0, msg: line, mod: '', extra: '' };
}

/** A fixed-size ring of log lines; `write` is what pino calls for each line. */
export class LogRing {
  readonly capacity: number;
  readonly #lines: string[] = [];
  #next = 0;

  constructor(capacity = LOG_RING_LINES) {
    this.capacity = capacity;
  }

  /** pino destination entry point: one JSON line (with its newline). */
  write(line: string): boolean {
    const text = line.endsWith('\n') ? line.slice(0, -1) : line;
    const kept = text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text;
    if (this.#lines.length < this.capacity) this.#lines.push(kept);
    else this.#lines[this.#next] = kept;
    this.#next = (this.#next + 1) % this.capacity;
    return true;
  }

  /** The kept lines at `minLevel` or above, oldest first. */
  entries(minLevel = 0): LogEntry[] {
    const ordered = this.#lines.length < this.capacity ? this.#lines : [...this.#lines.slice(this.#next), ...this.#lines.slice(0, this.#next)];
    return ordered.map(parse).filter((e) => e.level >= minLevel);
  }
}

/** The process-wide ring the root logger writes into (log.ts) and the Logs page reads. */
export const LOG_RING = new LogRing();
