// Drives test/support/mdns-browse.py, an independent python-zeroconf browser, for the DNS-SD tests.
// Run it only inside a private network namespace (see test/dnssd/advertise.test.ts).
// SPDX-License-Identifier: Apache-2.0

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One line the browser printed. `added` and `updated` carry the resolved service. */
export interface BrowseEvent {
  readonly event: 'ready' | 'added' | 'updated' | 'removed';
  readonly type?: string;
  readonly name?: string;
  readonly port?: number;
  readonly server?: string;
  readonly addresses?: readonly string[];
  readonly txt?: Readonly<Record<string, string | null>>;
}

/** A running browser and the events it has reported so far. */
export interface MdnsBrowser {
  /** position to look for events after */
  mark(): number;
  since(mark: number): readonly BrowseEvent[];
  /** first event after `mark` that matches, waiting at most `timeoutMs` */
  waitFor(what: string, mark: number, match: (e: BrowseEvent) => boolean, timeoutMs?: number): Promise<BrowseEvent>;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('mdns-browse.py', import.meta.url));
const READY_TIMEOUT_MS = 10_000;
const WAIT_TIMEOUT_MS = 10_000;

function isBrowseEvent(value: unknown): value is BrowseEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event: unknown = Reflect.get(value, 'event');
  return event === 'ready' || event === 'added' || event === 'updated' || event === 'removed';
}

/** Start the browser on one interface for the given service types ('_print._sub._ipp._tcp.local.'). */
export async function startBrowser(
  python: string,
  interfaceAddress: string,
  types: readonly string[],
): Promise<MdnsBrowser> {
  const child = spawn(python, [SCRIPT, interfaceAddress, ...types], { stdio: ['pipe', 'pipe', 'inherit'] });
  const events: BrowseEvent[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed: unknown = JSON.parse(line);
    if (!isBrowseEvent(parsed)) throw new Error(`unexpected browser output: ${line}`);
    events.push(parsed);
    for (const wake of waiters) wake();
  });
  let hasEnded = false;
  const exited = once(child, 'close').catch(() => undefined);
  const onEnd = (): void => {
    hasEnded = true;
    for (const wake of waiters) wake();
  };
  child.on('error', onEnd);
  void exited.then(onEnd);

  const waitFor: MdnsBrowser['waitFor'] = (what, mark, match, timeoutMs = WAIT_TIMEOUT_MS) =>
    new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = (): void => {
        const found = events.slice(mark).find(match);
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (hasEnded) {
          finish();
          reject(new Error(`browser exited while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(events.slice(mark))}`));
      }, timeoutMs);
      waiters.add(wake);
      wake();
    });

  const browser: MdnsBrowser = {
    mark: () => events.length,
    since: (mark) => events.slice(mark),
    waitFor,
    async close() {
      if (hasEnded) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await browser.waitFor('browser ready', 0, (e) => e.event === 'ready', READY_TIMEOUT_MS);
  } catch (err) {
    await browser.close();
    throw err;
  }
  return browser;
}
