// The Logs page: the last lines of the in-memory log ring, filtered by lowest level (GET form, no script).
// SPDX-License-Identifier: Apache-2.0
import { escapeHtml, options } from './html.js';
import { page, type PageFrame } from './layout.js';
import { LEVEL_VALUES, type LevelName, type LogRing } from './log-ring.js';
import { t } from './strings.js';

const NAMES = Object.keys(LEVEL_VALUES) as LevelName[];
const BY_VALUE = new Map(NAMES.map((n) => [LEVEL_VALUES[n], n]));

/** The level a query string names, 'info' when none or unknown. */
export function levelFromQuery(value: string | null): LevelName {
  return value !== null && (NAMES as readonly string[]).includes(value) ? (value as LevelName) : 'info';
}

/** The Logs page, newest line first. */
export function logsPage(ring: LogRing, level: LevelName, frame: PageFrame): string {
  const lang = frame.lang;
  const entries = ring.entries(LEVEL_VALUES[level]).reverse();
  const rows = entries
    .map((e) => {
      const name = BY_VALUE.get(e.level as (typeof LEVEL_VALUES)[LevelName]) ?? String(e.level);
      const time = e.time > 0 ? new Date(e.time).toISOString().slice(11, 23) : '';
      return `<tr class="lvl-${e.level}"><td>${escapeHtml(time)}</td><td>${escapeHtml(name)}</td><td>${escapeHtml(e.mod)}</td><td><pre class="log">${escapeHtml(e.msg)}${e.extra ? ` ${escapeHtml(e.extra)}` : ''}</pre></td></tr>`;
    })
    .join('');
  const body = `<form method="get" action="/logs"><label for="level">${escapeHtml(t('logs.level', {}, lang))}</label>
<select id="level" name="level">${options(NAMES, level)}</select> <button type="submit">${escapeHtml(t('logs.filter', {}, lang))}</button></form>
<section>${
    entries.length === 0
      ? `<p class="muted">${escapeHtml(t('logs.none', {}, lang))}</p>`
      : `<table><thead><tr><th scope="col">${escapeHtml(t('logs.time', {}, lang))}</th><th scope="col">Level</th><th scope="col">Module</th><th scope="col">${escapeHtml(t('logs.message', {}, lang))}</th></tr></thead><tbody>${rows}</tbody></table>`
  }</section>`;
  return page(frame, t('logs.title', {}, lang), body);
}
