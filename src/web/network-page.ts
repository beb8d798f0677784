// The Network and SNMP page (read-only): DNS-SD name, ports, SNMP communities and SNMPv3 users (names only).
// SPDX-License-Identifier: Apache-2.0
import type { Printer } from '../printer/printer.js';
import { facts } from './html.js';
import { page, type PageFrame } from './layout.js';
import { t } from './strings.js';

/** Network facts the page shows that the printer does not hold. */
export interface NetworkInfo {
  readonly ippPort: number;
  readonly snmpPort: number | undefined;
}

/** The Network and SNMP page. Community strings are secrets of a kind: shown masked except their length. */
export function networkPage(printer: Printer, info: NetworkInfo, frame: PageFrame): string {
  const lang = frame.lang;
  const snmp = printer.board.snmp;
  const none = t('network.none', {}, lang);
  const communities = snmp.communities.map((c) => `${c.slice(0, 1)}${'•'.repeat(Math.max(0, c.length - 1))}`);
  const v3 = snmp.users.map((u) => `${u.name} (${u.authProtocol}${u.privProtocol ? `/${u.privProtocol}` : ''})`);
  const body = `<section>${facts([
    [t('network.dnssd', {}, lang), printer.config.dnsSdName],
    [t('network.port', {}, lang), String(info.ippPort)],
    [t('network.snmpPort', {}, lang), info.snmpPort === undefined ? t('network.snmpOff', {}, lang) : String(info.snmpPort)],
    [t('network.communities', {}, lang), communities.length > 0 ? communities.join(', ') : none],
    [t('network.v3users', {}, lang), v3.length > 0 ? v3.join(', ') : none],
  ])}</section>`;
  return page(frame, t('network.title', {}, lang), body);
}
