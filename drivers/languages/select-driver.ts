// Driver auto-selection: the first DEVICE_ID_TABLE row that matches an engine's IEEE 1284 device ID.
// SPDX-License-Identifier: Apache-2.0
import { parseDeviceId } from '../transports/ieee1284.js';
import { DEVICE_ID_TABLE, type DeviceIdMatch } from './device-id-table.js';

/** A suggestion: driver name, its default options and the table row's note. */
export interface DriverChoice {
  readonly driver: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly note: string;
}

function matches(row: DeviceIdMatch, mfg: string, mdl: string, cmd: readonly string[]): boolean {
  if (row.mfg && !row.mfg.test(mfg)) return false;
  if (row.mdl && !row.mdl.test(mdl)) return false;
  if (row.cmd && !row.cmd.some((token) => cmd.includes(token.toUpperCase()))) return false;
  return true;
}

/** The driver for a device ID, or undefined when no row matches (the user must name one). */
export function selectDriver(deviceId: string, table: readonly DeviceIdMatch[] = DEVICE_ID_TABLE): DriverChoice | undefined {
  const fields = parseDeviceId(deviceId);
  const mfg = (fields.get('MFG') ?? '').trim();
  const mdl = (fields.get('MDL') ?? '').trim();
  const cmd = (fields.get('CMD') ?? '')
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t !== '');
  const row = table.find((r) => matches(r, mfg, mdl, cmd));
  return row && { driver: row.driver, options: row.options ?? {}, note: row.note };
}
