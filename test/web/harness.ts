// An in-process printer with the web site as system.ts wires it (fake engine, user store, TLS on the same port),
// and a small HTTP(S) client for the web tests.
// SPDX-License-Identifier: Apache-2.0
import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Test } from 'tap';
import { createHttpServer } from '../../src/server/http.js';
import { enableTls } from '../../src/security/secure-server.js';
import { Authenticator } from '../../src/security/authenticate.js';
import { DEFAULT_AUTH } from '../../src/security/auth-config.js';
import { UserStore } from '../../src/security/users.js';
import type { Printer } from '../../src/printer/printer.js';
import { WebSite } from '../../src/web/site.js';
import { SettingsStore } from '../../src/web/settings.js';
import { LogRing } from '../../src/web/log-ring.js';
import { jsonSinkLogger, makeTestPrinter, type FakeEngine } from '../support/fake-engine.js';

export const ROOT = { user: 'root', password: 'root-Secret-4711' };
export const ALICE = { user: 'alice', password: 'alice-Secret-0815' };

/** A response. */
export interface WebResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Request options. */
export interface Ask {
  readonly secure?: boolean;
  readonly as?: { readonly user: string; readonly password: string };
  readonly method?: string;
  readonly form?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A running web harness. */
export interface WebHarness {
  readonly port: number;
  readonly printer: Printer;
  readonly engine: FakeEngine;
  readonly stateDir: string;
  readonly site: WebSite;
  readonly ring: LogRing;
  ask(path: string, opts?: Ask): Promise<WebResponse>;
  /** The CSRF token in `path`'s page for `as`. */
  csrf(path: string, as: { readonly user: string; readonly password: string }): Promise<string>;
}

/** Start the harness; everything is torn down with `t`. */
export async function startWeb(t: Test): Promise<WebHarness> {
  const { printer, engine, stateDir } = await makeTestPrinter(t);
  const users = await UserStore.open(stateDir, { scrypt: { ln: 8, r: 8, p: 1 } });
  await users.add(ROOT.user, ROOT.password, true);
  await users.add(ALICE.user, ALICE.password, false);
  const { log } = jsonSinkLogger('warn');
  const auth = await Authenticator.open({ config: { ...DEFAULT_AUTH, localAdmin: false }, users, log });
  const settings = await SettingsStore.open(stateDir, printer.capabilities, log);
  const ring = new LogRing(50);
  let tls: Awaited<ReturnType<typeof enableTls>>['tls'] | undefined;
  const site = new WebSite({ printer, log, auth, mode: 'open', users, settings, tls: () => tls, stateDir, logRing: ring });
  const server = createHttpServer(printer, log, { mode: 'open', auth, web: site });
  const secure = await enableTls(server, { stateDir, mode: 'open', log });
  tls = secure.tls;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(async () => {
    secure.close();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const ask = (path: string, opts: Ask = {}): Promise<WebResponse> =>
    new Promise((resolve, reject) => {
      const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.as) headers['Authorization'] = `Basic ${Buffer.from(`${opts.as.user}:${opts.as.password}`).toString('base64')}`;
      if (body !== undefined) {
        headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const common = { host: '127.0.0.1', port, path, method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false as const };
      const req = opts.secure === false ? httpRequest(common) : httpsRequest({ ...common, rejectUnauthorized: false });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const csrf = async (path: string, as: { readonly user: string; readonly password: string }): Promise<string> => {
    const page = await ask(path, { as });
    const m = /name="csrf" value="([^"]+)"/.exec(page.body);
    if (!m?.[1]) throw new Error(`no CSRF token in ${path} (status ${page.status})`);
    return m[1];
  };
  return { port, printer, engine, stateDir, site, ring, ask, csrf };
}
