// Small helpers to build HTML safely: escaping, attribute lists and the security headers every page carries.
// SPDX-License-Identifier: Apache-2.0

/** HTML-escape text (also safe inside double- or single-quoted attributes). */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers of every web response: no inline script or style (CSP), no framing, no MIME sniffing, no referrer to
 * other sites (same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** `<option>` elements for `values`, the `selected` one marked; labels default to the values. */
export function options(values: readonly string[], selected: string | undefined, label: (v: string) => string = (v) => v): string {
  return values.map((v) => `<option value="${escapeHtml(v)}"${v === selected ? ' selected' : ''}>${escapeHtml(label(v))}</option>`).join('');
}

/** A two-column definition list from label/value pairs (values are escaped). */
export function facts(rows: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}
