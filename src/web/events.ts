// /events: the Status page's live feed as Server-Sent Events. Each state or queue change sends the status JSON
// (coalesced over a short delay); a comment every 15 s keeps the connection and idle timers alive.
// SPDX-License-Identifier: Apache-2.0
import type { Printer } from '../printer/printer.js';
import { SECURITY_HEADERS } from './html.js';
import type { WebRequest } from './respond.js';
import { statusJson } from './status-page.js';

/** Open event streams at most; more get 503 and the page falls back to polling. */
export const MAX_EVENT_STREAMS = 16;
/** Changes within this many milliseconds go out as one event. */
const COALESCE_MS = 50;
const KEEPALIVE_MS = 15_000;

/** Serves /events for one printer. */
export class StatusEvents {
  readonly #printer: Printer;
  #open = 0;

  constructor(printer: Printer) {
    this.#printer = printer;
  }

  /** Number of open streams. */
  get openStreams(): number {
    return this.#open;
  }

  /** Hold `w` open and send the status on every change until the client goes away. */
  serve(w: WebRequest): void {
    if (this.#open >= MAX_EVENT_STREAMS) {
      w.res.writeHead(503, { ...SECURITY_HEADERS, 'Retry-After': '30', 'Content-Length': 0 });
      w.res.end();
      return;
    }
    this.#open++;
    w.res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    const p = this.#printer;
    let timer: NodeJS.Timeout | undefined;
    const send = (): void => {
      timer = undefined;
      w.res.write(`data: ${JSON.stringify(statusJson(p, w.lang))}\n\n`);
    };
    const onChange = (): void => {
      timer ??= setTimeout(send, COALESCE_MS);
    };
    const keepAlive = setInterval(() => w.res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    p.state.on('change', onChange);
    p.jobs.on('change', onChange);
    w.res.socket?.setTimeout(0);
    w.req.socket.once('close', () => {
      this.#open--;
      clearInterval(keepAlive);
      if (timer) clearTimeout(timer);
      p.state.off('change', onChange);
      p.jobs.off('change', onChange);
    });
    send();
  }
}
