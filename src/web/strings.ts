// Every user-visible text of the web pages, in one table per language (English only so far) and a lookup that
// falls back to English; reasons in plain words for the common printer-state-reasons keywords.
// SPDX-License-Identifier: Apache-2.0
import { describeReason } from '../printer/alert.js';
import { reasonBase } from '../printer/stopping-reasons.js';

/** The English strings; other languages provide the same keys. `{n}`-style placeholders are filled by `t`. */
export const EN = {
  'nav.status': 'Status',
  'nav.jobs': 'Jobs',
  'nav.media': 'Media',
  'nav.settings': 'Settings',
  'nav.security': 'Security',
  'nav.network': 'Network',
  'nav.logs': 'Logs',
  'nav.login': 'Log in',
  'nav.user': 'Logged in as {user}',
  'state.idle': 'Ready',
  'state.processing': 'Printing',
  'state.stopped': 'Stopped',
  'status.title': 'Status',
  'status.state': 'State',
  'status.reasons': 'Conditions',
  'status.none': 'No problems.',
  'status.alerts': 'Alerts',
  'status.noAlerts': 'No alerts.',
  'status.supplies': 'Supplies',
  'status.noSupplies': 'The engine reports no supplies.',
  'status.unknownLevel': 'unknown',
  'status.someLeft': 'some left',
  'status.engine': 'Engine',
  'status.makeModel': 'Make and model',
  'status.deviceId': 'IEEE 1284 device ID',
  'status.uri': 'Printer URI',
  'status.engineUri': 'Engine link',
  'status.uptime': 'Up time',
  'status.queued': 'Jobs waiting',
  'status.identify': 'Identify',
  'status.testPage': 'Print test page',
  'status.identified': 'The printer was asked to identify itself.',
  'status.testQueued': 'Test page sent as job #{id}.',
  'status.live': 'Updates live.',
  'severity.critical': 'Error',
  'severity.warning': 'Warning',
  'jobs.title': 'Jobs',
  'jobs.id': 'Job',
  'jobs.name': 'Name',
  'jobs.owner': 'Owner',
  'jobs.state': 'State',
  'jobs.pages': 'Pages',
  'jobs.created': 'Submitted',
  'jobs.action': 'Action',
  'jobs.cancel': 'Cancel',
  'jobs.hidden': '(private)',
  'jobs.none': 'No jobs.',
  'jobs.canceled': 'Job #{id} is being canceled.',
  'jobs.current': 'Current jobs',
  'jobs.recent': 'Recent jobs',
  'jobstate.pending': 'Waiting',
  'jobstate.pending-held': 'Held',
  'jobstate.processing': 'Printing',
  'jobstate.processing-stopped': 'Stopped',
  'jobstate.canceled': 'Canceled',
  'jobstate.aborted': 'Aborted',
  'jobstate.completed': 'Completed',
  'media.title': 'Media and defaults',
  'media.ready': 'Loaded media',
  'media.source': 'Source',
  'media.nothing': '(nothing loaded)',
  'media.defaults': 'Job defaults',
  'media.default': 'Default media',
  'media.sides': 'Sides',
  'media.color': 'Color mode',
  'media.quality': 'Print quality',
  'quality.3': 'Draft',
  'quality.4': 'Normal',
  'quality.5': 'High',
  'form.save': 'Save',
  'form.saved': 'Saved.',
  'settings.title': 'Printer settings',
  'settings.name': 'Name',
  'settings.location': 'Location',
  'settings.geo': 'Geo-location (geo: URI, e.g. geo:52.52,13.40)',
  'settings.organization': 'Organization',
  'settings.unit': 'Organizational unit',
  'settings.contact': 'Contact',
  'security.title': 'Security',
  'security.mode': 'Security policy',
  'security.cert': 'TLS certificate',
  'security.noTls': 'TLS is not enabled on this server.',
  'security.source': 'Source',
  'security.subject': 'Subject',
  'security.issuer': 'Issuer',
  'security.names': 'Names',
  'security.validFrom': 'Valid from',
  'security.validTo': 'Valid to',
  'security.fingerprint': 'SHA-256 fingerprint',
  'security.csr': 'Certificate signing request',
  'security.csrCn': 'Common name (optional)',
  'security.csrMake': 'Create CSR',
  'security.install': 'Install a CA-signed certificate (PEM, leaf first)',
  'security.installDo': 'Install certificate',
  'security.installed': 'Certificate installed.',
  'security.users': 'Users',
  'security.noStore': 'No user store is configured.',
  'security.userName': 'User name',
  'security.admin': 'Administrator',
  'security.password': 'Password',
  'security.addUser': 'Add user',
  'security.setPassword': 'Set password',
  'security.delete': 'Delete',
  'security.userAdded': 'User {user} added.',
  'security.userDeleted': 'User {user} deleted.',
  'security.passwordSet': 'Password of {user} changed.',
  'network.title': 'Network and SNMP',
  'network.dnssd': 'DNS-SD name',
  'network.port': 'IPP port',
  'network.snmpPort': 'SNMP port',
  'network.snmpOff': 'off',
  'network.communities': 'SNMPv1/v2c communities',
  'network.v3users': 'SNMPv3 users',
  'network.none': 'none',
  'logs.title': 'Logs',
  'logs.level': 'Lowest level',
  'logs.filter': 'Filter',
  'logs.none': 'No log lines at this level.',
  'logs.time': 'Time',
  'logs.message': 'Message',
  'yes': 'yes',
  'no': 'no',
  'error.title': 'Error',
  'error.csrf': 'The form has expired or did not come from this printer. Load the page again.',
  'error.forbidden': 'This page needs an administrator.',
  'error.notFound': 'Not found.',
  'error.bad': 'The request could not be understood: {why}',
} as const;

/** A string key. */
export type StringKey = keyof typeof EN;

/** Tables by language tag; add a language by adding a table with the same keys. */
const TABLES: Readonly<Record<string, Readonly<Record<StringKey, string>>>> = { en: EN };

/** The language served: the first of `accepted` (Accept-Language order) with a table, else English. */
export function pickLanguage(acceptLanguage: string | undefined): string {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0] ?? '';
    if (tag in TABLES) return tag;
  }
  return 'en';
}

/** The string `key` in `lang`, with `{name}` placeholders replaced from `vars`. */
export function t(key: StringKey, vars: Readonly<Record<string, string | number>> = {}, lang = 'en'): string {
  const text = (TABLES[lang] ?? EN)[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Plain words for printer-state-reasons that people meet often; others are spelled out from the keyword. */
const REASON_WORDS: Readonly<Record<string, string>> = {
  'media-empty': 'Out of paper: load paper',
  'media-needed': 'A job is waiting for paper',
  'media-jam': 'Paper jam: open the printer and remove the paper',
  'media-low': 'Paper is running low',
  'door-open': 'A door is open',
  'cover-open': 'The cover is open',
  'input-tray-missing': 'A paper tray is missing',
  'output-area-full': 'The output tray is full: take out the printed pages',
  'toner-low': 'Toner is low',
  'toner-empty': 'Toner is empty: replace the cartridge',
  'marker-supply-low': 'Ink or toner is low',
  'marker-supply-empty': 'Ink or toner is empty',
  'marker-waste-almost-full': 'The waste container is almost full',
  'marker-waste-full': 'The waste container is full',
  offline: 'The print engine is not connected',
  'connecting-to-device': 'Connecting to the print engine',
  paused: 'Paused by an administrator',
  'spool-area-full': 'The job spool is full',
  'moving-to-paused': 'Pausing after the current job',
  'identify-printer-requested': 'Identifying itself',
};

/** A printer-state-reasons keyword (with or without severity suffix) in plain words. */
export function reasonText(reason: string): string {
  return REASON_WORDS[reasonBase(reason)] ?? describeReason(reasonBase(reason));
}
