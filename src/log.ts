// Root pino logger and the child-logger convention ({ mod }, { reqId, op }, { jobId }).
// SPDX-License-Identifier: Apache-2.0
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { LOG_RING } from './web/log-ring.js';

export type { Logger } from 'pino';

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Whether `value` names a pino level. */
export function isLogLevel(value: string): value is LevelWithSilent {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * The root logger: JSON lines on stdout through an asynchronous destination (flushed on exit).
 * Secrets never reach it: the Authorization header is redacted wherever it appears. Without a destination the
 * lines also go to the in-memory ring the web Logs page shows (web/log-ring.ts).
 */
export function createRootLogger(level: LevelWithSilent, destination?: pino.DestinationStream): Logger {
  const dest = destination ?? teeToRing(pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level,
      base: { name: 'ippbridge' },
      redact: { paths: ['req.headers.authorization', '*.password', '*["job-password"]'], censor: '[redacted]' },
    },
    dest,
  );
}

/** A destination that writes each line to `out` and to the web log ring; flushing flushes `out`. */
function teeToRing(out: ReturnType<typeof pino.destination>): pino.DestinationStream & { flush(cb?: (err?: Error) => void): void; flushSync(): void } {
  return {
    write: (line: string) => {
      LOG_RING.write(line);
      out.write(line);
    },
    flush: (cb?: (err?: Error) => void) => out.flush(cb),
    flushSync: () => out.flushSync(),
  };
}

/** Flush an asynchronous destination; safe to call on any logger. */
export function flushLogger(log: Logger): void {
  try {
    log.flush();
  } catch {
    // Destination already closed: nothing left to flush.
  }
}
