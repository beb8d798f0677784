// GET routes: the plain status page (/), supplies (/supplies) and printer icons (/icons/printer-<size>.png).
// The full web UI is a separate issue; this page is what printer-more-info points at today.
// SPDX-License-Identifier: Apache-2.0
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Printer } from '../printer/printer.js';
import { ICON_SIZES, printerIconPng } from '../web/icon.js';

const icons = new Map<string, Buffer>();

function icon(size: number): Buffer {
  const key = String(size);
  let png = icons.get(key);
  if (!png) {
    png = printerIconPng(size);
    icons.set(key, png);
  }
  return png;
}

/** HTML-escape text. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function statusPage(printer: Printer): string {
  const s = printer.state;
  const reasons = s.reasons.length > 0 ? s.reasons.join(', ') : 'none';
  const supplies = s.supplies
    .map((x) => `<tr><td>${escapeHtml(x.description)}</td><td>${x.level >= 0 ? `${x.level}%` : 'unknown'}</td></tr>`)
    .join('');
  const jobs = printer.jobs
    .list('all')
    .slice(0, 20)
    .map(
      (j) =>
        `<tr><td>${j.id}</td><td>${escapeHtml(j.record.name)}</td><td>${escapeHtml(j.record.user)}</td><td>${j.state}</td><td>${escapeHtml(j.record.reasons.join(', '))}</td></tr>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(printer.name)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:50em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}</style>
</head><body>
<h1><img src="/icons/printer-48.png" alt="" width="48" height="48"> ${escapeHtml(printer.name)}</h1>
<p>${escapeHtml(printer.capabilities.makeAndModel)}${printer.config.location ? ` &mdash; ${escapeHtml(printer.config.location)}` : ''}</p>
<h2>Status</h2>
<p id="state">State: <strong>${s.state}</strong> (${escapeHtml(reasons)}). ${escapeHtml(s.message)}</p>
<p>Accepting jobs: ${printer.isAcceptingJobs ? 'yes' : 'no'}; queued jobs: ${printer.jobs.queuedCount}</p>
<h2 id="supplies">Supplies</h2>
<table><tr><th>Supply</th><th>Level</th></tr>${supplies}</table>
<h2>Jobs</h2>
<table><tr><th>ID</th><th>Name</th><th>User</th><th>State</th><th>Reasons</th></tr>${jobs}</table>
</body></html>
`;
}

function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Serve a GET/HEAD request (other methods get 405). */
export async function handleGet(req: IncomingMessage, res: ServerResponse, printer: Printer): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD, POST');
    send(res, req, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n');
    return;
  }
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/' || path === '/supplies') {
    send(res, req, 200, 'text/html; charset=utf-8', statusPage(printer));
    return;
  }
  const m = /^\/icons\/printer-(\d+)\.png$/.exec(path);
  const size = m ? Number(m[1]) : NaN;
  if ((ICON_SIZES as readonly number[]).includes(size)) {
    send(res, req, 200, 'image/png', icon(size));
    return;
  }
  send(res, req, 404, 'text/plain; charset=utf-8', 'Not found.\n');
}
