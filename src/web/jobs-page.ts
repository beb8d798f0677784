// The Jobs page: current and recent jobs with state, pages and owner; Cancel for the job's owner or an
// administrator. Other users' job names and owners are hidden when job privacy is on (the default).
// SPDX-License-Identifier: Apache-2.0
import type { Authenticated } from '../security/authenticate.js';
import type { Job } from '../job/job.js';
import type { Printer } from '../printer/printer.js';
import { escapeHtml } from './html.js';
import { csrfField, page, type PageFrame } from './layout.js';
import { t, type StringKey } from './strings.js';

/** Current jobs and finished ones listed at most. */
export const MAX_LISTED_JOBS = 50;

/** Whether `viewer` may see `job`'s name and owner. */
export function canSeeDetails(job: Job, viewer: Authenticated | undefined, jobPrivacy: boolean): boolean {
  return !jobPrivacy || viewer?.isAdmin === true || (viewer !== undefined && viewer.user === job.record.user);
}

/** Whether `viewer` may cancel `job` (RFC 8011 §4.3.3 plus the owner rule of security.md §8). */
export function canCancel(job: Job, viewer: Authenticated | undefined): boolean {
  return !job.isTerminal && viewer !== undefined && (viewer.isAdmin || viewer.user === job.record.user);
}

function row(job: Job, frame: PageFrame, jobPrivacy: boolean): string {
  const lang = frame.lang;
  const r = job.record;
  const visible = canSeeDetails(job, frame.user, jobPrivacy);
  const hidden = `<span class="muted">${escapeHtml(t('jobs.hidden', {}, lang))}</span>`;
  const pages = r.impressions > 0 ? `${r.impressionsCompleted} / ${r.impressions}` : String(r.impressionsCompleted);
  const cancel = canCancel(job, frame.user)
    ? `<form class="inline" method="post" action="/jobs/cancel">${csrfField(frame)}<input type="hidden" name="id" value="${job.id}"><button type="submit" class="secondary" aria-label="${escapeHtml(`${t('jobs.cancel', {}, lang)} #${job.id}`)}">${escapeHtml(t('jobs.cancel', {}, lang))}</button></form>`
    : '';
  return `<tr id="job-${job.id}"><td>${job.id}</td><td>${visible ? escapeHtml(r.name) : hidden}</td><td>${visible ? escapeHtml(r.user) : hidden}</td>` +
    `<td class="job-state">${escapeHtml(t(`jobstate.${job.state}` as StringKey, {}, lang))}</td><td>${pages}</td>` +
    `<td>${escapeHtml(new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19))}</td><td>${cancel}</td></tr>`;
}

function table(jobs: readonly Job[], frame: PageFrame, jobPrivacy: boolean): string {
  const lang = frame.lang;
  if (jobs.length === 0) return `<p class="muted">${escapeHtml(t('jobs.none', {}, lang))}</p>`;
  const heads = (['jobs.id', 'jobs.name', 'jobs.owner', 'jobs.state', 'jobs.pages', 'jobs.created', 'jobs.action'] as const)
    .map((k) => `<th scope="col">${escapeHtml(t(k, {}, lang))}</th>`)
    .join('');
  return `<table><thead><tr>${heads}</tr></thead><tbody>${jobs.map((j) => row(j, frame, jobPrivacy)).join('')}</tbody></table>`;
}

/** The Jobs page. */
export function jobsPage(printer: Printer, frame: PageFrame, jobPrivacy: boolean): string {
  const lang = frame.lang;
  const current = printer.jobs.list('not-completed').slice(0, MAX_LISTED_JOBS);
  const recent = printer.jobs.list('completed').slice(0, MAX_LISTED_JOBS);
  const body = `<section><h2>${escapeHtml(t('jobs.current', {}, lang))}</h2>${table(current, frame, jobPrivacy)}</section>
<section><h2>${escapeHtml(t('jobs.recent', {}, lang))}</h2>${table(recent, frame, jobPrivacy)}</section>`;
  return page(frame, t('jobs.title', {}, lang), body);
}
