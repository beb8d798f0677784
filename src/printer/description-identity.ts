// Static Printer Description attributes: protocol and format support (ipp-everywhere.md §3.1-§3.2) and the
// printer's identity, URIs and speed (§3.3, §5; security.md §1 for the parallel URI arrays).
// SPDX-License-Identifier: Apache-2.0
import { truncateUtf8 } from '../ipp/utf8.js';
import type { DriverCapabilities } from '../../drivers/driver.js';
import {
  attr,
  boolean,
  charset,
  integer,
  integers,
  keyword,
  mimeMediaType,
  name,
  naturalLanguage,
  octetString,
  outOfBand,
  rangeOfInteger,
  resolution,
  strings,
  text,
  uri,
} from '../ipp/build.js';
import type { IppAttribute } from '../ipp/types.js';
import type { AuthAdvertisement, PrinterConfig, UriContext } from './description.js';
import { JOB_PRIVACY_ATTRIBUTES } from './description.js';
import { PRINTER_RESOURCE } from './description.js';
import { resolveCapabilities } from './printer-capabilities.js';
import { urfSupported } from './urf.js';
import { offersPlaintext, type SecurityMode } from '../security/policy.js';

/** Largest JPEG side we advertise (jpeg-x/y-dimension-supported): JPEG is decoded whole, so keep it bounded. */
export const JPEG_MAX_DIMENSION = 8192;
/** Largest JPEG file we advertise (jpeg-k-octets-supported), in kilo-octets. */
export const JPEG_MAX_K_OCTETS = 16 * 1024;

/** IPP text/name limit used by the self-certification checks (`.{0,127}`), in UTF-8 bytes. */
const TEXT_127 = 127;


/** `host:port` for URIs: the client's Host value, with our port added when it names none. */
export function uriAuthority(uris: UriContext): string {
  const hasPort = /^\[[^\]]*\]:\d+$/.test(uris.host) || /^[^:[\]]+:\d+$/.test(uris.host);
  return hasPort ? uris.host : `${uris.host}:${uris.port}`;
}

/** The printer's http(s) base URL on the client's host, e.g. `http://printer.local:8631`. */
export function httpBase(uris: UriContext): string {
  return `${uris.secure ? 'https' : 'http'}://${uriAuthority(uris)}`;
}

/** printer-firmware-version bytes: the numeric parts of a dotted version ('0.1.0' -> 00 01 00). */
function firmwareVersionBytes(version: string): Uint8Array {
  const parts = version
    .split(/[.\-+]/)
    .filter((p) => /^\d+$/.test(p))
    .map((p) => Math.min(255, Number(p)));
  return Uint8Array.from(parts.length > 0 ? parts : [0]);
}

/** Protocol, job-handling and document-format attributes (§3.1, §3.2, §4 PDF rule, §5 JPEG/URF). */
export function protocolAttributes(caps: DriverCapabilities, cfg: PrinterConfig): IppAttribute[] {
  const r = resolveCapabilities(caps);
  const formats = cfg.documentFormats;
  const preferred = ['application/pdf', 'image/urf', 'image/pwg-raster'].find((f) => formats.includes(f));
  const out: IppAttribute[] = [
    attr('charset-configured', charset('utf-8')),
    attr('charset-supported', charset('us-ascii'), charset('utf-8')),
    attr('natural-language-configured', naturalLanguage('en')),
    attr('generated-natural-language-supported', naturalLanguage('en')),
    attr('ipp-versions-supported', keyword('1.1'), keyword('2.0')),
    attr('ipp-features-supported', keyword('ipp-everywhere')),
    integers('operations-supported', 'enum', cfg.operationsSupported),
    attr('pdl-override-supported', keyword('attempted')),
    attr('preferred-attributes-supported', boolean(false)),
    attr('printer-get-attributes-supported', keyword('document-format')),
    attr('job-ids-supported', boolean(true)),
    strings('job-creation-attributes-supported', 'keyword', cfg.jobCreationAttributes),
    attr('which-jobs-supported', keyword('completed'), keyword('not-completed')),
    attr('multiple-document-jobs-supported', boolean(false)),
    attr('multiple-operation-time-out', integer(Math.max(1, cfg.multipleOperationTimeOut))),
    attr('multiple-operation-time-out-action', keyword('abort-job')),
    strings('compression-supported', 'keyword', cfg.compression),
    attr('document-format-default', mimeMediaType(cfg.documentFormatDefault)),
    strings('document-format-supported', 'mimeMediaType', formats),
    { name: 'pwg-raster-document-resolution-supported', values: r.resolutions.map((res) => resolution(res.x, res.y)) },
    strings('pwg-raster-document-type-supported', 'keyword', r.rasterTypes),
    // Always present: CUPS ipp-everywhere.test expects it even on simplex printers.
    attr('pwg-raster-document-sheet-back', keyword(caps.sheetBack ?? 'normal')),
  ];
  if (preferred !== undefined) out.push(attr('document-format-preferred', mimeMediaType(preferred)));
  if (formats.includes('image/urf')) out.push(strings('urf-supported', 'keyword', urfSupported(caps)));
  if (formats.includes('image/jpeg')) {
    out.push(
      attr('jpeg-features-supported', keyword('none')),
      attr('jpeg-k-octets-supported', rangeOfInteger(0, JPEG_MAX_K_OCTETS)),
      attr('jpeg-x-dimension-supported', rangeOfInteger(0, JPEG_MAX_DIMENSION)),
      attr('jpeg-y-dimension-supported', rangeOfInteger(1, JPEG_MAX_DIMENSION)),
    );
  }
  // PWG 5100.14 §4: listing PDF requires document-password-supported (0: passwords not supported).
  if (formats.includes('application/pdf')) out.push(attr('document-password-supported', integer(0)));
  if (caps.identifyActions.length > 0) out.push(strings('identify-actions-supported', 'keyword', caps.identifyActions));
  return out;
}

/**
 * The parallel printer-uri-supported / uri-security-supported / uri-authentication-supported arrays (RFC 8011
 * §5.4.1-5.4.3): ipps (tls) first when TLS is offered, ipp (none) unless the mode is tls-only.
 */
function uriAttributes(uris: UriContext, mode: SecurityMode | undefined, advert: AuthAdvertisement | undefined): IppAttribute[] {
  const authority = uriAuthority(uris);
  const fallback = uris.authentication ?? 'none';
  const offersTls = mode !== undefined || uris.tlsAvailable;
  const offersPlain = mode === undefined || offersPlaintext(mode);
  const entries: { scheme: string; security: string; auth: string }[] = [];
  if (offersTls) entries.push({ scheme: 'ipps', security: 'tls', auth: advert?.secure ?? fallback });
  if (offersPlain) entries.push({ scheme: 'ipp', security: 'none', auth: advert?.plain ?? fallback });
  return [
    { name: 'printer-uri-supported', values: entries.map((e) => uri(`${e.scheme}://${authority}${PRINTER_RESOURCE}`)) },
    { name: 'uri-security-supported', values: entries.map((e) => keyword(e.security)) },
    { name: 'uri-authentication-supported', values: entries.map((e) => keyword(e.auth)) },
  ];
}

/** oauth-authorization-server-uri and -scope (PWG 5100.23), job-privacy-attributes and -scope (PWG 5100.7). */
function authAttributes(advert: AuthAdvertisement | undefined): IppAttribute[] {
  if (advert === undefined) return [];
  const out: IppAttribute[] = [
    advert.jobPrivacy
      ? strings('job-privacy-attributes', 'keyword', JOB_PRIVACY_ATTRIBUTES)
      : attr('job-privacy-attributes', keyword('none')),
    attr('job-privacy-scope', keyword(advert.jobPrivacy ? 'owner' : 'all')),
  ];
  if (advert.oauth) {
    out.push(attr('oauth-authorization-server-uri', uri(advert.oauth.serverUri)), attr('oauth-authorization-scope', name(advert.oauth.scope)));
  }
  return out;
}

/** Identity, description, URIs and speed (§3.3) plus the client-expected extras (§5). */
export function identityAttributes(caps: DriverCapabilities, cfg: PrinterConfig, uris: UriContext): IppAttribute[] {
  const r = resolveCapabilities(caps);
  const base = httpBase(uris);
  const out: IppAttribute[] = [
    attr('printer-name', name(truncateUtf8(cfg.name, TEXT_127))),
    attr('printer-info', text(truncateUtf8(cfg.info, TEXT_127))),
    attr('printer-location', text(truncateUtf8(cfg.location, TEXT_127))),
    attr('printer-make-and-model', text(truncateUtf8(caps.makeAndModel, TEXT_127))),
    attr('printer-more-info', uri(`${base}/`)),
    attr(
      'printer-icons',
      uri(`${base}/icons/printer-48.png`),
      uri(`${base}/icons/printer-128.png`),
      uri(`${base}/icons/printer-512.png`),
    ),
    attr('printer-geo-location', cfg.geoLocation === undefined ? outOfBand('unknown') : uri(cfg.geoLocation)),
    attr('printer-organization', text(cfg.organization)),
    attr('printer-organizational-unit', text(cfg.organizationalUnit)),
    attr('printer-uuid', uri(cfg.uuid)),
    ...uriAttributes(uris, cfg.securityMode, cfg.authentication),
    ...authAttributes(cfg.authentication),
    attr('color-supported', boolean(r.isColor)),
    attr('pages-per-minute', integer(Math.max(1, Math.round(caps.ppm)))),
    attr('printer-device-id', text(cfg.printerDeviceId)),
    attr('mopria-certified', text('1.3')),
    attr('printer-dns-sd-name', name(cfg.dnsSdName)),
    attr('printer-supply-info-uri', uri(`${base}/supplies`)),
    attr('printer-firmware-name', name('ippbridge')),
    attr('printer-firmware-string-version', text(cfg.firmwareVersion)),
    attr('printer-firmware-version', octetString(firmwareVersionBytes(cfg.firmwareVersion))),
  ];
  // PWG 5100.14 §4: only colour printers report pages-per-minute-color.
  if (r.isColor) {
    out.push(attr('pages-per-minute-color', integer(Math.max(1, Math.round(caps.ppmColor ?? caps.ppm)))));
  }
  if (caps.kind.length > 0) out.push(strings('printer-kind', 'keyword', caps.kind));
  return out;
}
