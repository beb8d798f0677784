// Serial ports found by scanning /dev (by-id links first, then ttyUSB/ttyACM/ttyAMA/ttyS nodes): works without
// udev, where serialport's own list() fails because udevadm is missing.
// SPDX-License-Identifier: Apache-2.0
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceInfo } from './transport.js';

const TTY_NAME = /^tty(USB|ACM|AMA|S)\d+$/;

/** The `serial:` URI of a device path, each path segment percent-encoded. */
export function serialUri(devicePath: string): string {
  return `serial://${devicePath.split('/').map(encodeURIComponent).join('/')}`;
}

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

/** A ttyS node is a real UART unless sysfs says its port type is 0 (PORT_UNKNOWN: no hardware behind it). */
async function isRealUart(name: string, sysTtyDir: string): Promise<boolean> {
  if (!name.startsWith('ttyS')) return true;
  try {
    return (await readFile(path.join(sysTtyDir, name, 'type'), 'utf8')).trim() !== '0';
  } catch {
    return true;
  }
}

/** Serial devices under `devDir`; never throws (a missing directory is an empty list). */
export async function scanSerialDevices(devDir = '/dev', sysTtyDir = '/sys/class/tty'): Promise<DeviceInfo[]> {
  const found: DeviceInfo[] = [];
  const covered = new Set<string>();
  // Stable names first: /dev/serial/by-id survives re-enumeration, so it is the URI to put in a board config.
  const byIdDir = path.join(devDir, 'serial', 'by-id');
  for (const link of await names(byIdDir)) {
    const linkPath = path.join(byIdDir, link);
    const target = await realpath(linkPath).catch(() => undefined);
    if (target === undefined) continue;
    covered.add(path.basename(target));
    found.push({ uri: serialUri(linkPath), description: `${link} (${path.basename(target)})` });
  }
  for (const name of await names(devDir)) {
    if (!TTY_NAME.test(name) || covered.has(name) || !(await isRealUart(name, sysTtyDir))) continue;
    found.push({ uri: serialUri(path.join(devDir, name)), description: `serial port ${name}` });
  }
  return found;
}
