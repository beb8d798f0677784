// Kernel usblp printers (/dev/usb/lpN): listing, and the IEEE 1284 device ID the driver exposes in sysfs.
// SPDX-License-Identifier: Apache-2.0
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceInfo } from './transport.js';

const LP_NAME = /^lp\d+$/;

/** The device ID usblp read at probe time (sysfs `ieee1284_id`), or undefined when there is none. */
export async function usblpDeviceId(devicePath: string, sysDir = '/sys/class/usbmisc'): Promise<string | undefined> {
  const name = path.basename(devicePath);
  if (!LP_NAME.test(name)) return undefined;
  try {
    const id = (await readFile(path.join(sysDir, name, 'device', 'ieee1284_id'), 'utf8')).trim();
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/** `file:` URIs of the usblp devices present; never throws. */
export async function listUsblp(devUsbDir = '/dev/usb', sysDir = '/sys/class/usbmisc'): Promise<DeviceInfo[]> {
  let names: string[];
  try {
    names = (await readdir(devUsbDir)).filter((n) => LP_NAME.test(n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
  const found: DeviceInfo[] = [];
  for (const name of names) {
    const devicePath = path.join(devUsbDir, name);
    const deviceId = await usblpDeviceId(devicePath, sysDir);
    const model = deviceId?.match(/(?:^|;)\s*(?:MDL|MODEL):([^;]*)/)?.[1]?.trim();
    const description = model ? `USB printer ${model} (usblp ${name})` : `USB printer (usblp ${name})`;
    found.push(deviceId === undefined ? { uri: `file://${devicePath}`, description } : { uri: `file://${devicePath}`, description, deviceId });
  }
  return found;
}
