// DNS-SD service records for the printer: TXT keys and the service list (ipp-everywhere.md §11,
// Bonjour Printing Specification 1.2.1, RFC 6763 §6). Pure: no I/O, no clock.
// SPDX-License-Identifier: Apache-2.0
import { truncateUtf8 } from '../ipp/utf8.js';
import { parseMediaSize } from '../printer/media.js';

/** What the TXT records are built from; the same values that build the IPP printer attributes. */
export interface DnssdPrinterInfo {
  /** printer-make-and-model */
  readonly makeAndModel: string;
  /** printer-location */
  readonly location: string;
  /** printer-uuid, `urn:uuid:...` */
  readonly uuid: string;
  /** printer-more-info */
  readonly adminUrl: string;
  /** document-format-supported */
  readonly documentFormats: readonly string[];
  /** color-supported */
  readonly color: boolean;
  /** true when sides-supported has a two-sided value */
  readonly duplex: boolean;
  /** urf-supported */
  readonly urfSupported: readonly string[];
  /** printer-kind */
  readonly kind: readonly string[];
  /** media-supported, PWG 5101.1 self-describing names */
  readonly mediaSupported: readonly string[];
  /** model name for the `product` key; defaults to makeAndModel */
  readonly product?: string;
  /** highest TLS version, e.g. '1.3', when ipps is offered */
  readonly tls?: string;
  /** `air` key: none, username,password, negotiate, certificate */
  readonly air?: string;
  /** resource path; defaults to 'ipp/print' */
  readonly rp?: string;
}

/** One DNS-SD service to advertise under the printer's instance name. */
export interface ServiceSpec {
  /** service type, e.g. '_ipp._tcp' */
  readonly type: string;
  /** subtypes, e.g. '_print', '_universal' */
  readonly subtypes: readonly string[];
  /** 0 for the `_printer._tcp` name reservation */
  readonly port: number;
  readonly txt: Readonly<Record<string, string>>;
}

/** Largest size of one TXT string, `key=value`, in bytes (RFC 6763 §6.1). */
export const MAX_TXT_STRING_BYTES = 255;

/** Bonjour Printing PaperMax values, smallest class first. */
export const PAPER_MAX_CLASSES = ['<legal-A4', 'legal-A4', 'tabloid-A3', 'isoC-A2', '>isoC-A2'] as const;
export type PaperMax = (typeof PAPER_MAX_CLASSES)[number];

/** Formats kept first when `pdl` is too long; anything else is dropped before these. */
const PDL_PRIORITY: readonly string[] = ['image/pwg-raster', 'image/urf', 'image/jpeg', 'application/pdf'];

/** PWG names round sizes to 0.1 mm or 1/1000 in, so compare with a little slack. */
const EDGE_SLACK_MM = 0.5;

/** Build the TXT keys shared by `_ipp._tcp` and `_ipps._tcp`, each string at most 255 bytes. */
export function buildIppTxt(info: DnssdPrinterInfo): Record<string, string> {
  const model = info.product ?? info.makeAndModel;
  const product = model.startsWith('(') && model.endsWith(')') ? model : `(${model})`;
  const txt: Record<string, string> = {
    txtvers: '1',
    qtotal: '1',
    rp: (info.rp ?? 'ipp/print').replace(/^\/+/, ''),
    ty: info.makeAndModel,
    adminurl: info.adminUrl,
    note: info.location,
    priority: '0',
    product,
    pdl: pdlFormats(info.documentFormats).join(','),
    UUID: info.uuid.replace(/^urn:uuid:/i, ''),
    Color: info.color ? 'T' : 'F',
    Duplex: info.duplex ? 'T' : 'F',
    URF: info.urfSupported.length > 0 ? fitList('URF', info.urfSupported).join(',') : 'none',
  };
  if (info.kind.length > 0) txt['kind'] = fitList('kind', info.kind).join(',');
  const paperMax = paperMaxOf(info.mediaSupported);
  if (paperMax !== undefined) txt['PaperMax'] = paperMax;
  if (info.air !== undefined) txt['air'] = info.air;
  txt['mopria-certified'] = '1.3';
  txt['Fax'] = 'F';
  txt['Scan'] = 'F';
  if (info.tls !== undefined) txt['TLS'] = info.tls;
  // Free text (ty, note, adminurl...) is cut at a character boundary, as fixed-size buffers do in PAPPL.
  for (const [key, value] of Object.entries(txt)) {
    txt[key] = truncateUtf8(value, MAX_TXT_STRING_BYTES - byteLength(key) - 1);
  }
  return txt;
}

/**
 * The services to advertise for a printer listening on `port` (ipp-everywhere.md §11): `_ipps._tcp` when TLS is
 * offered (`info.tls`), `_ipp._tcp` unless `offer.plain` is false (security mode tls-only).
 */
export function buildServices(info: DnssdPrinterInfo, port: number, offer: { readonly plain: boolean } = { plain: true }): ServiceSpec[] {
  const txt = buildIppTxt(info);
  const services: ServiceSpec[] = [];
  if (offer.plain) services.push({ type: '_ipp._tcp', subtypes: ['_print', '_universal'], port, txt });
  if (info.tls !== undefined) services.push({ type: '_ipps._tcp', subtypes: ['_print', '_universal'], port, txt });
  services.push(
    { type: '_printer._tcp', subtypes: [], port: 0, txt: {} },
    { type: '_http._tcp', subtypes: ['_printer'], port, txt: { path: '/' } },
  );
  return services;
}

/** Size of a PWG 5101.1 self-describing media name (`iso_a4_210x297mm`), in mm, or undefined. */
export function pwgMediaSizeMm(name: string): { readonly width: number; readonly length: number } | undefined {
  const size = parseMediaSize(name);
  return size && { width: size.width / 100, length: size.length / 100 };
}

/** Bonjour PaperMax class of the largest media in the list, or undefined when no name has a size. */
export function paperMaxOf(mediaNames: readonly string[]): PaperMax | undefined {
  let best = -1;
  for (const name of mediaNames) {
    const size = pwgMediaSizeMm(name);
    if (size === undefined) continue;
    best = Math.max(best, PAPER_MAX_CLASSES.indexOf(paperClassOf(size.width, size.length)));
  }
  return PAPER_MAX_CLASSES[best];
}

/** Class of one size in mm, either orientation. Each class starts at the smaller of its US and ISO sizes
 * (Letter 215.9 x 279.4 / A4 210 x 297, Tabloid 279.4 x 431.8 / A3 297 x 420, ANSI C 431.8 x 558.8 / A2 420 x 594),
 * so Letter-only and A4-only printers are both legal-A4; `>isoC-A2` means larger than both C and A2. */
function paperClassOf(width: number, length: number): PaperMax {
  const short = Math.min(width, length);
  const long = Math.max(width, length);
  const reaches = (minShort: number, minLong: number): boolean =>
    short >= minShort - EDGE_SLACK_MM && long >= minLong - EDGE_SLACK_MM;
  if (short > 431.8 + EDGE_SLACK_MM && long > 594 + EDGE_SLACK_MM) return '>isoC-A2';
  if (reaches(420, 558.8)) return 'isoC-A2';
  if (reaches(279.4, 420)) return 'tabloid-A3';
  if (reaches(210, 279.4)) return 'legal-A4';
  return '<legal-A4';
}

/** Formats to list in `pdl`: the given order, dropping the least important ones when the string is too long. */
function pdlFormats(formats: readonly string[]): string[] {
  const unique = [...new Set(formats)];
  const rank = (format: string): number => {
    const index = PDL_PRIORITY.indexOf(format);
    return index === -1 ? PDL_PRIORITY.length : index;
  };
  const byImportance = unique
    .map((format, index) => ({ format, index }))
    .sort((a, b) => rank(a.format) - rank(b.format) || a.index - b.index)
    .map((entry) => entry.format);
  const kept = new Set(fitList('pdl', byImportance));
  return unique.filter((format) => kept.has(format));
}

/** Leading items of `items` whose comma list fits in one `key=value` TXT string. */
function fitList(key: string, items: readonly string[]): string[] {
  const kept: string[] = [];
  let bytes = byteLength(key) + 1;
  for (const item of items) {
    const added = byteLength(item) + (kept.length > 0 ? 1 : 0);
    if (bytes + added > MAX_TXT_STRING_BYTES) break;
    kept.push(item);
    bytes += added;
  }
  return kept;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

