// requested-attributes filtering for Get-Printer-Attributes (RFC 8011 §4.2.5.1): group names, explicit names,
// and media-col-database only when named (PWG 5100.7).
// SPDX-License-Identifier: Apache-2.0
import type { IppAttribute } from '../ipp/types.js';
import { JOB_TEMPLATE_ATTRIBUTES, MEDIA_COL_DATABASE, PRINTER_DESCRIPTION_ATTRIBUTES } from './attribute-groups.js';

/**
 * The attributes of `all` that `requested` asks for: absent (or empty) and 'all' mean every attribute except
 * media-col-database; 'printer-description' and 'job-template' expand to their groups; unknown names are ignored.
 */
export function selectAttributes(all: readonly IppAttribute[], requested: readonly string[] | undefined): IppAttribute[] {
  if (requested === undefined || requested.length === 0) return all.filter((a) => a.name !== MEDIA_COL_DATABASE);
  const named = new Set(requested);
  const wantAll = named.has('all');
  const wantDescription = wantAll || named.has('printer-description');
  const wantTemplate = wantAll || named.has('job-template');
  return all.filter((a) => {
    if (named.has(a.name)) return true;
    if (a.name === MEDIA_COL_DATABASE) return false;
    if (wantAll) return true;
    return (wantDescription && PRINTER_DESCRIPTION_ATTRIBUTES.has(a.name)) || (wantTemplate && JOB_TEMPLATE_ATTRIBUTES.has(a.name));
  });
}
