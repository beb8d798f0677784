// Web routes (everything that is not an IPP POST): the site of src/web/ — status, jobs, admin pages, icons.
// createHttpServer uses the site it is given, or builds a plain one from the printer and the Authenticator.
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Printer } from '../printer/printer.js';
import type { Authenticator } from '../security/authenticate.js';
import type { SecurityMode } from '../security/policy.js';
import { WebSite } from '../web/site.js';

export { escapeHtml } from '../web/html.js';
export { WebSite, type WebDeps } from '../web/site.js';

/** A site with the printer and authentication only (no user store, settings or TLS pages): tests and fallbacks. */
export function basicSite(printer: Printer, log: Logger, auth: Authenticator, mode: SecurityMode): WebSite {
  return new WebSite({ printer, log, auth, mode });
}

/** Serve a web request with `site`; `host` is the host[:port] the client used. */
export function handleWeb(req: IncomingMessage, res: ServerResponse, site: WebSite, host: string): Promise<void> {
  return site.handle(req, res, host);
}
