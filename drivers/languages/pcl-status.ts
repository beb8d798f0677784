// PCL engine status: the USB printer-class port status (GET_PORT_STATUS) mapped to printer-state-reasons. Plain PCL
// has no status read-back, so without port status nothing is reported (never invented).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { EngineStatus } from '../driver.js';
import type { PortStatus, TransportPort } from '../transports/transport.js';

/** How long a status poll may take. */
export const STATUS_TIMEOUT_MS = 2000;

const UNKNOWN: EngineStatus = { reasons: [], supplies: [] };

/** printer-state-reasons for a port status: paper empty, not selected (offline), error. */
export function reasonsFromPortStatus(s: PortStatus): string[] {
  const reasons: string[] = [];
  if (s.paperEmpty) reasons.push('media-empty-error');
  if (!s.selected) reasons.push('offline-report');
  if (s.error && !s.paperEmpty) reasons.push('other-error');
  return reasons;
}

/** Ask the port for its status with a short timeout; unknown (no reasons) when it cannot say. */
export async function pclStatus(port: TransportPort | undefined, log: Logger): Promise<EngineStatus> {
  if (port?.portStatus === undefined) return UNKNOWN;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), STATUS_TIMEOUT_MS);
  });
  try {
    const s = await Promise.race([port.portStatus(), timeout]);
    if (s === undefined) {
      log.debug('pcl port status timed out');
      return UNKNOWN;
    }
    return { reasons: reasonsFromPortStatus(s), supplies: [] };
  } catch (err) {
    log.debug({ err }, 'pcl port status failed');
    return UNKNOWN;
  } finally {
    clearTimeout(timer);
  }
}
