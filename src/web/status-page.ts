// The Status page and its live twin /status.json: state and reasons in plain words, alerts, supply gauges in
// their colours, the engine's identity, up time, Identify and Print test page. Public: no job names.
// SPDX-License-Identifier: Apache-2.0
import type { SupplyStatus } from '../../drivers/driver.js';
import type { Printer } from '../printer/printer.js';
import { alertsForReasons } from '../printer/alert.js';
import { escapeHtml, facts } from './html.js';
import { csrfField, page, type PageFrame } from './layout.js';
import { reasonText, t } from './strings.js';

/** One line of the reasons or alerts list. */
export interface StatusLine {
  readonly keyword: string;
  readonly text: string;
  readonly severity: 'critical' | 'warning' | '';
}

/** What /status.json returns (and the page first shows). */
export interface StatusJson {
  readonly state: 'idle' | 'processing' | 'stopped';
  readonly stateText: string;
  readonly message: string;
  readonly reasons: readonly StatusLine[];
  readonly alerts: readonly StatusLine[];
  readonly supplies: readonly { readonly description: string; readonly color: string; readonly level: number; readonly levelText: string }[];
  readonly queued: number;
  readonly upTime: string;
}

/** A duration in seconds as '3 d 4 h', '4 h 5 min' or '5 min 6 s'. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}

function levelText(s: SupplyStatus, lang: string): string {
  if (s.level >= 0) return `${Math.round(s.level)}%`;
  return s.level === -3 ? t('status.someLeft', {}, lang) : t('status.unknownLevel', {}, lang);
}

/** The status as plain data (no job names, no user names). */
export function statusJson(printer: Printer, lang: string, now = new Date()): StatusJson {
  const s = printer.state;
  const severity = (r: string): StatusLine['severity'] => (r.endsWith('-error') ? 'critical' : r.endsWith('-warning') ? 'warning' : '');
  return {
    state: s.state,
    stateText: t(`state.${s.state}`, {}, lang),
    message: s.message,
    reasons: s.reasons.map((r) => ({ keyword: r, text: reasonText(r), severity: severity(r) })),
    alerts: alertsForReasons(s.reasons).map((a) => ({
      keyword: a.reason,
      text: `${t(a.severity === 'critical' ? 'severity.critical' : 'severity.warning', {}, lang)}: ${reasonText(a.reason)}`,
      severity: a.severity,
    })),
    supplies: s.supplies.map((x) => ({ description: x.description, color: /^#[0-9A-Fa-f]{6}$/.test(x.color) ? x.color : '#808080', level: x.level, levelText: levelText(x, lang) })),
    queued: printer.jobs.queuedCount,
    upTime: formatDuration((now.getTime() - s.startedAt.getTime()) / 1000),
  };
}

function lines(id: string, items: readonly StatusLine[], empty: string): string {
  const body = items.length === 0 ? `<li>${escapeHtml(empty)}</li>` : items.map((i) => `<li${i.severity ? ` class="${i.severity}"` : ''}>${escapeHtml(i.text)}</li>`).join('');
  return `<ul class="reasons" id="${id}">${body}</ul>`;
}

function gauges(status: StatusJson, lang: string): string {
  if (status.supplies.length === 0) return `<p class="muted">${escapeHtml(t('status.noSupplies', {}, lang))}</p>`;
  return status.supplies
    .map(
      (x, i) =>
        `<div class="supply"><span>${escapeHtml(x.description)}</span>` +
        `<svg class="gauge" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(`${x.description} ${x.levelText}`)}">` +
        `<rect class="track" width="100" height="10"/><rect id="supply-bar-${i}" width="${Math.max(0, Math.min(100, x.level))}" height="10" fill="${x.color}"/></svg>` +
        `<span id="supply-level-${i}">${escapeHtml(x.levelText)}</span></div>`,
    )
    .join('');
}

/** What the status page shows besides the printer. */
export interface StatusExtras {
  readonly printerUri: string;
  readonly engineUri: string;
  readonly isAdmin: boolean;
}

/** The Status page. */
export function statusPage(printer: Printer, frame: PageFrame, extras: StatusExtras): string {
  const lang = frame.lang;
  const s = statusJson(printer, lang);
  const caps = printer.capabilities;
  const buttons = extras.isAdmin
    ? `<form class="inline" method="post" action="/identify">${csrfField(frame)}<button type="submit">${escapeHtml(t('status.identify', {}, lang))}</button></form>` +
      `<form class="inline" method="post" action="/test-page">${csrfField(frame)}<button type="submit" class="secondary">${escapeHtml(t('status.testPage', {}, lang))}</button></form>`
    : `<p><a href="/login?next=%2F">${escapeHtml(t('nav.login', {}, lang))}</a>: ${escapeHtml(t('status.identify', {}, lang))}, ${escapeHtml(t('status.testPage', {}, lang))}</p>`;
  const body = `<section id="live" data-none="${escapeHtml(t('status.none', {}, lang))}" data-no-alerts="${escapeHtml(t('status.noAlerts', {}, lang))}" aria-live="polite">
<p id="state" class="state ${s.state}">${escapeHtml(s.stateText)}</p>
<p id="message" class="muted">${escapeHtml(s.message)}</p>
<h2>${escapeHtml(t('status.reasons', {}, lang))}</h2>
${lines('reasons', s.reasons, t('status.none', {}, lang))}
<h2>${escapeHtml(t('status.alerts', {}, lang))}</h2>
${lines('alerts', s.alerts, t('status.noAlerts', {}, lang))}
<p>${escapeHtml(t('status.queued', {}, lang))}: <strong id="queued">${s.queued}</strong></p>
</section>
<section><h2>${escapeHtml(t('status.supplies', {}, lang))}</h2>${gauges(s, lang)}</section>
<section><h2>${escapeHtml(t('status.engine', {}, lang))}</h2>
${facts([
  [t('status.makeModel', {}, lang), caps.makeAndModel],
  [t('status.deviceId', {}, lang), caps.deviceId],
  [t('status.uri', {}, lang), extras.printerUri],
  [t('status.engineUri', {}, lang), extras.engineUri],
])}
<p>${escapeHtml(t('status.uptime', {}, lang))}: <span id="uptime">${escapeHtml(s.upTime)}</span></p>
${buttons}
</section>`;
  return page(frame, t('status.title', {}, lang), body, ['/static/live.js']);
}
