// Printer Status attributes from the state view (ipp-everywhere.md §3.4, RFC 8011 §5.4.11-§5.4.30, PWG 5100.9):
// state, reasons, times, queue, ready media, supplies, alerts, identify default.
// SPDX-License-Identifier: Apache-2.0
import type { DriverCapabilities } from '../../drivers/driver.js';
import { attr, boolean, dateTime, enumValue, integer, keyword, strings, text } from '../ipp/build.js';
import type { IppAttribute } from '../ipp/types.js';
import { alertAttributes } from './alert.js';
import type { PrinterStatusView } from './description.js';
import { readyMediaAttributes } from './description-media.js';
import { supplyAttributes } from './supply.js';

/** printer-state enum values (RFC 8011 §5.4.11). */
export const PRINTER_STATE = { idle: 3, processing: 4, stopped: 5 } as const;

/** Every attribute that changes with the printer's condition. */
export function statusAttributes(caps: DriverCapabilities, status: PrinterStatusView): IppAttribute[] {
  const reasons = status.reasons.filter((r) => r !== '' && r !== 'none');
  const out: IppAttribute[] = [
    attr('printer-state', enumValue(PRINTER_STATE[status.state])),
    reasons.length > 0 ? strings('printer-state-reasons', 'keyword', reasons) : attr('printer-state-reasons', keyword('none')),
    attr('printer-state-message', text(status.message)),
    attr('printer-state-change-time', integer(Math.max(0, Math.floor(status.stateChangeTime)))),
    attr('printer-state-change-date-time', dateTime(status.stateChangeDate)),
    attr('printer-config-change-time', integer(Math.max(0, Math.floor(status.configChangeTime)))),
    attr('printer-config-change-date-time', dateTime(status.configChangeDate)),
    attr('printer-up-time', integer(Math.max(1, Math.floor(status.upTime)))),
    attr('printer-current-time', dateTime(status.currentTime)),
    attr('printer-is-accepting-jobs', boolean(status.isAcceptingJobs)),
    attr('queued-job-count', integer(Math.max(0, status.queuedJobCount))),
    attr('printer-impressions-completed', integer(Math.max(0, status.impressionsCompleted))),
    ...readyMediaAttributes(caps, status.mediaReady),
    ...supplyAttributes(status.supplies),
    ...alertAttributes(reasons),
  ];
  if (caps.identifyActions.length > 0) {
    const wanted = (status.identifyActionsDefault ?? []).filter((a) => (caps.identifyActions as readonly string[]).includes(a));
    const defaults = wanted.length > 0 ? wanted : caps.identifyActions.slice(0, 1);
    out.push(strings('identify-actions-default', 'keyword', defaults));
  }
  return out;
}
