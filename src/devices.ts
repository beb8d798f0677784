// `ippbridge devices`: the engines attached to this machine, with the driver the IEEE 1284 table suggests.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { listDevices } from '../drivers/transports/registry.js';
import { selectDriver } from '../drivers/languages/select-driver.js';

/** One attached device as `ippbridge devices` shows it. */
export interface DeviceListing {
  readonly uri: string;
  readonly description: string;
  readonly deviceId: string | undefined;
  /** suggested driver, undefined when the device ID matches no table row (or there is none) */
  readonly driver: string | undefined;
  readonly why: string | undefined;
}

/** List devices with their suggested drivers. Never throws for a missing subsystem (no USB, no serial ports). */
export async function listAttached(log: Logger, signal?: AbortSignal): Promise<DeviceListing[]> {
  const devices = await listDevices(signal);
  log.debug({ count: devices.length }, 'devices listed');
  return devices.map((d) => {
    const choice = d.deviceId ? selectDriver(d.deviceId) : undefined;
    return { uri: d.uri, description: d.description, deviceId: d.deviceId, driver: choice?.driver, why: choice?.note };
  });
}

/** The listing as text: one block per device, or a line saying there is none. */
export function formatListing(devices: readonly DeviceListing[]): string {
  if (devices.length === 0) return 'No engines found (no USB printers, serial ports or /dev/usb/lp* devices).\n';
  return devices
    .map((d) => {
      const lines = [`${d.uri}`, `  ${d.description}`];
      if (d.deviceId) lines.push(`  IEEE 1284 ID: ${d.deviceId}`);
      lines.push(d.driver ? `  driver: ${d.driver} (${d.why ?? ''})` : '  driver: none suggested (name one with --driver)');
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
