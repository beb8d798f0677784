// The web pages' router: static files and icons, the public Status and Jobs pages and /status.json, the login,
// and the admin pages behind an authenticated administrator (Basic over TLS through the security Authenticator).
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Printer } from '../printer/printer.js';
import type { Authenticator } from '../security/authenticate.js';
import type { SecurityMode } from '../security/policy.js';
import { isEncrypted } from '../security/policy.js';
import type { TlsContext } from '../security/tls-context.js';
import type { UserStore } from '../security/users.js';
import { LIVE_JS, WEB_CSS } from './assets.js';
import { CsrfTokens } from './form.js';
import { ICON_SIZES, faviconIco, printerIconPng, printerIconSvg } from './icon.js';
import { jobsPage } from './jobs-page.js';
import type { NavPath, PageFrame } from './layout.js';
import { LOG_RING, type LogRing } from './log-ring.js';
import { levelFromQuery, logsPage } from './logs-page.js';
import { mediaPage } from './media-page.js';
import { networkPage, type NetworkInfo } from './network-page.js';
import { redirect, safeNext, sendBody, sendHtml, type WebRequest } from './respond.js';
import { securityPage } from './security-page.js';
import type { SettingsStore } from './settings.js';
import { settingsPage } from './settings-page.js';
import { statusJson, statusPage } from './status-page.js';
import { pickLanguage, t, type StringKey } from './strings.js';
import { postAction } from './actions.js';
import { page } from './layout.js';
import { escapeHtml } from './html.js';
import { StatusEvents } from './events.js';

/** What the web pages work with; everything but printer, log, auth and mode is optional. */
export interface WebDeps {
  readonly printer: Printer;
  readonly log: Logger;
  readonly auth: Authenticator;
  readonly mode: SecurityMode;
  readonly users?: UserStore | undefined;
  readonly settings?: SettingsStore | undefined;
  /** the TLS context once TLS is enabled (set after the server is created) */
  readonly tls?: () => TlsContext | undefined;
  readonly stateDir?: string | undefined;
  readonly logRing?: LogRing;
  readonly network?: () => NetworkInfo;
  /** the engine link's URI; default the board config's */
  readonly engineUri?: string;
}

/** `done=` codes of redirects after a form post, and the notice each shows. */
const NOTICES: Readonly<Record<string, StringKey>> = {
  saved: 'form.saved',
  identified: 'status.identified',
  test: 'status.testQueued',
  canceled: 'jobs.canceled',
  installed: 'security.installed',
  added: 'security.userAdded',
  deleted: 'security.userDeleted',
  passwd: 'security.passwordSet',
};

const ADMIN_PAGES: ReadonlySet<string> = new Set(['/media', '/settings', '/security', '/network', '/logs']);

/** The web site of one printer. */
export class WebSite {
  readonly deps: WebDeps;
  readonly csrf = new CsrfTokens();
  readonly events: StatusEvents;
  readonly #icons = new Map<number, Buffer>();
  #ico: Buffer | undefined;

  constructor(deps: WebDeps) {
    this.deps = deps;
    this.events = new StatusEvents(deps.printer);
  }

  /** Rasterize the icons now (at start) rather than on the first request. */
  prepareIcons(): void {
    for (const size of ICON_SIZES) this.#icon(size);
    this.#ico ??= faviconIco();
  }

  /** The frame of a page for `w`. */
  frame(w: WebRequest, current: NavPath | undefined, error?: string): PageFrame {
    const code = w.query.get('done');
    const key = code === null ? undefined : NOTICES[code];
    const vars = { id: w.query.get('id') ?? '', user: w.query.get('user') ?? '' };
    return {
      lang: w.lang,
      printerName: this.deps.printer.name,
      user: w.user,
      csrf: w.user ? this.csrf.token(w.user.user) : '',
      current,
      notice: key === undefined ? undefined : t(key, vars, w.lang),
      error,
    };
  }

  /** Serve one request that is not IPP. */
  async handle(req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const base = { req, res, path: url.pathname, query: url.searchParams, host, secure: isEncrypted(req.socket), lang: pickLanguage(req.headers['accept-language']) };
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (isRead && this.#serveStatic({ ...base, user: undefined })) return;
    if (!isRead && req.method !== 'POST') {
      sendBody({ req, res }, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n', { Allow: 'GET, HEAD, POST' });
      return;
    }
    // Credentials, when sent, are checked on every page (session-free, as for IPP).
    const facts = { authorization: req.headers.authorization, secure: base.secure, address: req.socket.remoteAddress ?? '', authority: host };
    const checked = await this.deps.auth.check(facts);
    if (!checked.ok) {
      sendBody({ req, res }, checked.status, 'text/plain; charset=utf-8', `${checked.reason}\n`, checked.headers);
      return;
    }
    const w: WebRequest = { ...base, user: checked.authenticated };
    if (!isRead) return postAction(this, w);
    if (w.path === '/login') return this.#login(w);
    if (ADMIN_PAGES.has(w.path) && !this.requireAdmin(w)) return;
    this.#page(w);
  }

  /**
   * Whether `w` comes from an administrator; otherwise the answer is sent: plaintext goes to https (logins need
   * TLS), no credentials get a 401 challenge, a non-admin user 403.
   */
  requireAdmin(w: WebRequest): boolean {
    if (w.user?.isAdmin) return true;
    this.#refuse(w, w.user === undefined ? undefined : 'error.forbidden');
    return false;
  }

  #refuse(w: WebRequest, reason: 'error.forbidden' | undefined): void {
    if (reason !== undefined) {
      sendHtml(w, 403, page(this.frame(w, undefined, t(reason, {}, w.lang)), t('error.title', {}, w.lang), ''));
      return;
    }
    if (!w.secure) {
      redirect(w, `https://${w.host}${w.req.url ?? '/'}`, w.req.method === 'POST' ? 303 : 302);
      return;
    }
    const challenge = this.deps.auth.challenge(w.host);
    sendHtml(w, 401, page(this.frame(w, undefined, t('error.forbidden', {}, w.lang)), t('error.title', {}, w.lang), `<p><a href="/">${escapeHtml(t('nav.status', {}, w.lang))}</a></p>`), {
      'WWW-Authenticate': challenge,
    });
  }

  /** /login: ask for credentials (TLS only), then go back to `next`. */
  #login(w: WebRequest): void {
    if (w.user === undefined) this.#refuse(w, undefined);
    else redirect(w, safeNext(w.query.get('next')), 302);
  }

  #page(w: WebRequest): void {
    const d = this.deps;
    const p = d.printer;
    switch (w.path) {
      case '/':
      case '/supplies':
        sendHtml(w, 200, statusPage(p, this.frame(w, '/'), { printerUri: p.printerUri(w.host, w.secure), engineUri: d.engineUri ?? p.board.engine.uri, isAdmin: w.user?.isAdmin === true }));
        return;
      case '/jobs':
        sendHtml(w, 200, jobsPage(p, this.frame(w, '/jobs'), d.auth.config.jobPrivacy));
        return;
      case '/media':
        sendHtml(w, 200, mediaPage(p, this.frame(w, '/media')));
        return;
      case '/settings':
        sendHtml(w, 200, settingsPage(p, d.settings?.current ?? {}, this.frame(w, '/settings')));
        return;
      case '/security':
        sendHtml(w, 200, securityPage({ mode: d.mode, tls: d.tls?.()?.material, users: d.users?.list() }, this.frame(w, '/security')));
        return;
      case '/network':
        sendHtml(w, 200, networkPage(p, d.network?.() ?? { ippPort: p.port, snmpPort: undefined }, this.frame(w, '/network')));
        return;
      case '/logs':
        sendHtml(w, 200, logsPage(d.logRing ?? LOG_RING, levelFromQuery(w.query.get('level')), this.frame(w, '/logs')));
        return;
      default:
        sendHtml(w, 404, page(this.frame(w, undefined, t('error.notFound', {}, w.lang)), t('error.title', {}, w.lang), ''));
    }
  }

  #icon(size: number): Buffer {
    let png = this.#icons.get(size);
    if (!png) {
      png = printerIconPng(size);
      this.#icons.set(size, png);
    }
    return png;
  }

  /** Static files, icons and /status.json; false when `w` is not one of them. */
  #serveStatic(w: WebRequest): boolean {
    const cached = { 'Cache-Control': 'public, max-age=3600' };
    switch (w.path) {
      case '/static/web.css':
        sendBody(w, 200, 'text/css; charset=utf-8', WEB_CSS, cached);
        return true;
      case '/static/live.js':
        sendBody(w, 200, 'text/javascript; charset=utf-8', LIVE_JS, cached);
        return true;
      case '/favicon.svg':
        sendBody(w, 200, 'image/svg+xml', printerIconSvg(), cached);
        return true;
      case '/favicon.ico':
        this.#ico ??= faviconIco();
        sendBody(w, 200, 'image/x-icon', this.#ico, cached);
        return true;
      case '/events':
        if (w.req.method === 'HEAD') sendBody(w, 200, 'text/event-stream', '');
        else this.events.serve(w);
        return true;
      case '/status.json':
        sendBody(w, 200, 'application/json', JSON.stringify(statusJson(this.deps.printer, w.lang)));
        return true;
    }
    const m = /^\/icons\/printer-(\d+)\.png$/.exec(w.path);
    const size = m ? Number(m[1]) : NaN;
    if (!(ICON_SIZES as readonly number[]).includes(size)) return false;
    sendBody(w, 200, 'image/png', this.#icon(size), cached);
    return true;
  }
}
