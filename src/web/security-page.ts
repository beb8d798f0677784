// The Security page: the policy mode, the TLS certificate being served, CSR creation and certificate install,
// and the users of the local store (add, set password, delete).
// SPDX-License-Identifier: Apache-2.0
import type { TlsMaterial } from '../security/tls-files.js';
import type { UserRecord } from '../security/users.js';
import type { SecurityMode } from '../security/policy.js';
import { escapeHtml, facts } from './html.js';
import { csrfField, page, type PageFrame } from './layout.js';
import { t } from './strings.js';

/** What the Security page shows. */
export interface SecurityView {
  readonly mode: SecurityMode;
  readonly tls: TlsMaterial | undefined;
  /** undefined when no user store is wired in */
  readonly users: readonly UserRecord[] | undefined;
  /** a CSR just made, shown for copying */
  readonly csr?: string;
}

function certificate(view: SecurityView, lang: string): string {
  const m = view.tls;
  if (!m) return `<p class="muted">${escapeHtml(t('security.noTls', {}, lang))}</p>`;
  return facts([
    [t('security.source', {}, lang), m.source],
    [t('security.subject', {}, lang), m.leaf.subject.replace(/\n/g, ', ')],
    [t('security.issuer', {}, lang), m.leaf.issuer.replace(/\n/g, ', ')],
    [t('security.names', {}, lang), m.leaf.subjectAltName ?? ''],
    [t('security.validFrom', {}, lang), m.leaf.validFrom],
    [t('security.validTo', {}, lang), m.leaf.validTo],
    [t('security.fingerprint', {}, lang), m.leaf.fingerprint256],
  ]);
}

function users(view: SecurityView, frame: PageFrame): string {
  const lang = frame.lang;
  if (view.users === undefined) return `<p class="muted">${escapeHtml(t('security.noStore', {}, lang))}</p>`;
  const rows = view.users
    .map((u, i) => {
      const name = escapeHtml(u.name);
      return `<tr><td>${name}</td><td>${escapeHtml(t(u.isAdmin ? 'yes' : 'no', {}, lang))}</td><td>
<form class="inline" method="post" action="/security/users">${csrfField(frame)}<input type="hidden" name="action" value="passwd"><input type="hidden" name="name" value="${name}">
<label for="pw-${i}">${escapeHtml(t('security.password', {}, lang))}</label><input type="password" id="pw-${i}" name="password" autocomplete="new-password" minlength="8" required>
<button type="submit" class="secondary">${escapeHtml(t('security.setPassword', {}, lang))}</button></form>
<form class="inline" method="post" action="/security/users">${csrfField(frame)}<input type="hidden" name="action" value="delete"><input type="hidden" name="name" value="${name}">
<button type="submit" class="secondary">${escapeHtml(t('security.delete', {}, lang))}</button></form></td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th scope="col">${escapeHtml(t('security.userName', {}, lang))}</th><th scope="col">${escapeHtml(t('security.admin', {}, lang))}</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/security/users">${csrfField(frame)}<input type="hidden" name="action" value="add">
<label for="new-name">${escapeHtml(t('security.userName', {}, lang))}</label><input type="text" id="new-name" name="name" required maxlength="64" autocomplete="off">
<label for="new-password">${escapeHtml(t('security.password', {}, lang))}</label><input type="password" id="new-password" name="password" autocomplete="new-password" minlength="8" required>
<label><input type="checkbox" name="admin" value="1"> ${escapeHtml(t('security.admin', {}, lang))}</label>
<button type="submit">${escapeHtml(t('security.addUser', {}, lang))}</button></form>`;
}

/** The Security page. */
export function securityPage(view: SecurityView, frame: PageFrame): string {
  const lang = frame.lang;
  const tlsForms = view.tls
    ? `<h2>${escapeHtml(t('security.csr', {}, lang))}</h2>
<form method="post" action="/security/csr">${csrfField(frame)}<label for="cn">${escapeHtml(t('security.csrCn', {}, lang))}</label><input type="text" id="cn" name="cn" maxlength="64">
<button type="submit" class="secondary">${escapeHtml(t('security.csrMake', {}, lang))}</button></form>
${view.csr ? `<label for="csr">PKCS #10</label><textarea id="csr" readonly>${escapeHtml(view.csr)}</textarea>` : ''}
<form method="post" action="/security/cert">${csrfField(frame)}<label for="pem">${escapeHtml(t('security.install', {}, lang))}</label><textarea id="pem" name="pem" required></textarea>
<button type="submit">${escapeHtml(t('security.installDo', {}, lang))}</button></form>`
    : '';
  const body = `<section>${facts([[t('security.mode', {}, lang), view.mode]])}</section>
<section><h2>${escapeHtml(t('security.cert', {}, lang))}</h2>${certificate(view, lang)}${tlsForms}</section>
<section><h2>${escapeHtml(t('security.users', {}, lang))}</h2>${users(view, frame)}</section>`;
  return page(frame, t('security.title', {}, lang), body);
}
