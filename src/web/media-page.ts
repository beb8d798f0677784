// The Media and defaults page: media loaded per source and the job defaults (media, sides, color mode, quality).
// SPDX-License-Identifier: Apache-2.0
import type { Printer } from '../printer/printer.js';
import { resolveCapabilities } from '../printer/printer-capabilities.js';
import { defaultColorMode } from '../printer/description-job-template.js';
import { escapeHtml, options } from './html.js';
import { csrfField, page, type PageFrame } from './layout.js';
import { t, type StringKey } from './strings.js';

/** The Media and defaults page. */
export function mediaPage(printer: Printer, frame: PageFrame): string {
  const lang = frame.lang;
  const caps = printer.capabilities;
  const r = resolveCapabilities(caps);
  const d = printer.jobDefaults;
  const ready = printer.state.mediaReady;
  const none = t('media.nothing', {}, lang);
  const sources = r.sources
    .map(
      (source, i) =>
        `<label for="ready-${i}">${escapeHtml(t('media.source', {}, lang))}: ${escapeHtml(source)}</label>` +
        `<select id="ready-${i}" name="ready-${i}"><option value="">${escapeHtml(none)}</option>${options(caps.media.supported, ready[i])}</select>`,
    )
    .join('');
  const sides = d.sides ?? (r.sides.includes('one-sided') ? 'one-sided' : (r.sides[0] ?? 'one-sided'));
  const color = d.printColorMode ?? defaultColorMode(caps);
  const quality = String(d.printQuality ?? 4);
  const body = `<form method="post" action="/media">${csrfField(frame)}
<section><h2>${escapeHtml(t('media.ready', {}, lang))}</h2>${sources}</section>
<section><h2>${escapeHtml(t('media.defaults', {}, lang))}</h2>
<label for="default-media">${escapeHtml(t('media.default', {}, lang))}</label><select id="default-media" name="media">${options(caps.media.supported, caps.media.default)}</select>
<label for="sides">${escapeHtml(t('media.sides', {}, lang))}</label><select id="sides" name="sides">${options(r.sides, sides)}</select>
<label for="color">${escapeHtml(t('media.color', {}, lang))}</label><select id="color" name="color">${options(caps.colorModes, color)}</select>
<label for="quality">${escapeHtml(t('media.quality', {}, lang))}</label><select id="quality" name="quality">${options(['3', '4', '5'], quality, (q) => t(`quality.${q}` as StringKey, {}, lang))}</select>
</section>
<button type="submit">${escapeHtml(t('form.save', {}, lang))}</button>
</form>`;
  return page(frame, t('media.title', {}, lang), body);
}
