// The Printer settings page: name, location, geo-location, organization, organizational unit and contact.
// SPDX-License-Identifier: Apache-2.0
import type { Printer } from '../printer/printer.js';
import { escapeHtml } from './html.js';
import { csrfField, page, type PageFrame } from './layout.js';
import { MAX_TEXT, type WebSettings } from './settings.js';
import { t, type StringKey } from './strings.js';

function field(id: string, key: StringKey, value: string, lang: string, extra = ''): string {
  return `<label for="${id}">${escapeHtml(t(key, {}, lang))}</label><input type="text" id="${id}" name="${id}" value="${escapeHtml(value)}" maxlength="${MAX_TEXT}"${extra}>`;
}

/** The Printer settings page; `settings` supplies the contact, which the printer model does not hold. */
export function settingsPage(printer: Printer, settings: WebSettings, frame: PageFrame): string {
  const lang = frame.lang;
  const c = printer.config;
  const body = `<form method="post" action="/settings">${csrfField(frame)}<section>
${field('name', 'settings.name', c.name, lang, ' required')}
${field('location', 'settings.location', c.location, lang)}
${field('geo', 'settings.geo', c.geoLocation ?? '', lang)}
${field('organization', 'settings.organization', c.organization, lang)}
${field('unit', 'settings.unit', c.organizationalUnit, lang)}
${field('contact', 'settings.contact', settings.contact ?? '', lang)}
</section>
<button type="submit">${escapeHtml(t('form.save', {}, lang))}</button>
</form>`;
  return page(frame, t('settings.title', {}, lang), body);
}
