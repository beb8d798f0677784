// Printer Description and Status attributes for Get-Printer-Attributes (RFC 8011 §5.4, PWG 5100.14 §6): a
// static part (capabilities, config, URIs: cacheable per host) and a dynamic part (the state view).
// SPDX-License-Identifier: Apache-2.0
import type { DriverCapabilities, SupplyStatus } from '../../drivers/driver.js';
import type { IppAttribute } from '../ipp/types.js';
import { identityAttributes, protocolAttributes } from './description-identity.js';
import { jobTemplateAttributes } from './description-job-template.js';
import { mediaAttributes } from './description-media.js';
import { statusAttributes } from './description-status.js';
import type { SecurityMode } from '../security/policy.js';

/** Board configuration and stack decisions that shape the attributes. */
export interface PrinterConfig {
  readonly name: string;
  readonly info: string;
  readonly location: string;
  /** a `geo:` URI, or undefined for 'unknown' */
  readonly geoLocation: string | undefined;
  readonly organization: string;
  readonly organizationalUnit: string;
  /** `urn:uuid:…` */
  readonly uuid: string;
  readonly dnsSdName: string;
  /** seconds, > 0 */
  readonly multipleOperationTimeOut: number;
  /** document-format-supported, decided by the stack */
  readonly documentFormats: readonly string[];
  readonly documentFormatDefault: string;
  /** compression-supported: 'none' plus 'deflate'/'gzip' */
  readonly compression: readonly string[];
  readonly operationsSupported: readonly number[];
  readonly jobCreationAttributes: readonly string[];
  /** IEEE 1284 device id `MFG:…;MDL:…;CMD:…;` */
  readonly printerDeviceId: string;
  /** printer-firmware-string-version, e.g. the package version '0.1.0' */
  readonly firmwareVersion: string;
  /** security policy: which of ipps/ipp printer-uri-supported lists; absent means UriContext.tlsAvailable decides */
  readonly securityMode?: SecurityMode;
  /** authentication per URI, OAuth and job privacy attributes; absent: UriContext.authentication for every URI */
  readonly authentication?: AuthAdvertisement;
}

/** Job attributes hidden from other users when job privacy is on (job-privacy-attributes, PWG 5100.7). */
export const JOB_PRIVACY_ATTRIBUTES: readonly string[] = ['job-name', 'job-originating-user-name'];

/** What uri-authentication-supported, the OAuth attributes (PWG 5100.23) and job-privacy-* say. */
export interface AuthAdvertisement {
  /** uri-authentication-supported of the ipps URI */
  readonly secure: string;
  /** uri-authentication-supported of the ipp URI */
  readonly plain: string;
  /** oauth-authorization-server-uri and oauth-authorization-scope */
  readonly oauth?: { readonly serverUri: string; readonly scope: string };
  /** job-privacy-attributes/-scope: other users' job names and owners hidden */
  readonly jobPrivacy: boolean;
}

/** What the state model says right now. Times in seconds of up-time. */
export interface PrinterStatusView {
  readonly state: 'idle' | 'processing' | 'stopped';
  /** printer-state-reasons; empty (or only '') means 'none' */
  readonly reasons: readonly string[];
  readonly message: string;
  readonly stateChangeTime: number;
  readonly stateChangeDate: Date;
  readonly configChangeTime: number;
  readonly configChangeDate: Date;
  /** >= 1 */
  readonly upTime: number;
  readonly currentTime: Date;
  readonly isAcceptingJobs: boolean;
  readonly queuedJobCount: number;
  readonly supplies: readonly SupplyStatus[];
  /** media-ready; entry i is loaded in media-source-supported value i */
  readonly mediaReady: readonly string[];
  readonly impressionsCompleted: number;
  /** identify-actions-default; the first supported action when absent */
  readonly identifyActionsDefault?: readonly string[];
}

/** How the client reached us: the URIs we report use the same host. */
export interface UriContext {
  /** host[:port] as the client used it (Host header) or the .local name; never a link-local literal */
  readonly host: string;
  /** the request came over TLS (printer-more-info etc. use https) */
  readonly secure: boolean;
  readonly port: number;
  /** when true printer-uri-supported lists ipps (tls) before ipp (none) */
  readonly tlsAvailable: boolean;
  /** uri-authentication-supported value for every URI; 'none' when absent */
  readonly authentication?: 'none' | 'requesting-user-name' | 'basic';
}

/** The resource path of the one printer. */
export const PRINTER_RESOURCE = '/ipp/print';

/** Every attribute that depends only on capabilities, config and URIs (media-col-database included). */
export function buildStaticPrinterAttributes(
  caps: DriverCapabilities,
  cfg: PrinterConfig,
  uris: UriContext,
): IppAttribute[] {
  return [
    ...protocolAttributes(caps, cfg),
    ...identityAttributes(caps, cfg, uris),
    ...jobTemplateAttributes(caps, cfg),
    ...mediaAttributes(caps),
  ];
}

/** Every attribute that depends on the state view (state, times, supplies, alerts, ready media). */
export function buildDynamicPrinterAttributes(caps: DriverCapabilities, status: PrinterStatusView): IppAttribute[] {
  return statusAttributes(caps, status);
}

/** EVERY printer attribute (media-col-database included; filter with selectAttributes). */
export function buildPrinterAttributes(
  caps: DriverCapabilities,
  cfg: PrinterConfig,
  status: PrinterStatusView,
  uris: UriContext,
): IppAttribute[] {
  return buildStaticPrinterAttributes(caps, cfg, uris).concat(buildDynamicPrinterAttributes(caps, status));
}
