// The frame of every page: head, header with the printer's name, navigation, notices; and the CSRF form field.
// SPDX-License-Identifier: Apache-2.0
import type { Authenticated } from '../security/authenticate.js';
import { escapeHtml } from './html.js';
import { t, type StringKey } from './strings.js';

/** Navigation entries: path and label; the first three are public, the rest need an administrator. */
export const NAV = [
  ['/', 'nav.status'],
  ['/jobs', 'nav.jobs'],
  ['/media', 'nav.media'],
  ['/settings', 'nav.settings'],
  ['/security', 'nav.security'],
  ['/network', 'nav.network'],
  ['/logs', 'nav.logs'],
] as const satisfies readonly (readonly [string, StringKey])[];

/** A page path in the navigation. */
export type NavPath = (typeof NAV)[number][0];

/** What every page shows besides its own content. */
export interface PageFrame {
  readonly lang: string;
  readonly printerName: string;
  readonly user: Authenticated | undefined;
  /** this user's CSRF token ('' when nobody is logged in) */
  readonly csrf: string;
  readonly current: NavPath | undefined;
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
}

/** The hidden CSRF field every form carries. */
export function csrfField(frame: PageFrame): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(frame.csrf)}">`;
}

/** A complete HTML document around `body`. */
export function page(frame: PageFrame, title: string, body: string, scripts: readonly string[] = []): string {
  const lang = frame.lang;
  const nav = NAV.map(
    ([path, key]) => `<a href="${path}"${path === frame.current ? ' aria-current="page"' : ''}>${escapeHtml(t(key, {}, lang))}</a>`,
  ).join('');
  const who = frame.user
    ? `<span class="who">${escapeHtml(t('nav.user', { user: frame.user.user }, lang))}</span>`
    : `<a class="who" href="/login">${escapeHtml(t('nav.login', {}, lang))}</a>`;
  const notice = frame.notice ? `<p class="notice" role="status">${escapeHtml(frame.notice)}</p>` : '';
  const error = frame.error ? `<p class="error" role="alert">${escapeHtml(frame.error)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${escapeHtml(frame.printerName)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/web.css">
${scripts.map((s) => `<script src="${escapeHtml(s)}" defer></script>`).join('\n')}
</head>
<body>
<header><img src="/favicon.svg" alt=""><h1>${escapeHtml(frame.printerName)}</h1>${who}</header>
<nav aria-label="Pages">${nav}</nav>
<main id="main">
<h2>${escapeHtml(title)}</h2>
${notice}${error}${body}
</main>
</body>
</html>
`;
}
