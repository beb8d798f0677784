// What a USB printer calls itself before we claim it: its 1284 device ID (opening the device briefly), the names it
// goes by (1284 MFG/MDL and the string descriptors), its serial number, and the URI `ippbridge devices` shows.
// SPDX-License-Identifier: Apache-2.0
import { makeModelFrom, parseDeviceId, type MakeModel } from './ieee1284.js';
import { getDeviceId } from './usb-control.js';
import type { PrinterInterface, USBDeviceLike } from './usb-types.js';
import { formatIdsUri, formatNameUri } from './usb-uri.js';

/** Read the device ID of a device nobody holds open; undefined when it cannot be read (busy, stall, no answer). */
export async function probeDeviceId(device: USBDeviceLike, iface: PrinterInterface): Promise<string | undefined> {
  if (device.opened) return undefined;
  try {
    await device.open();
  } catch {
    return undefined;
  }
  try {
    return await getDeviceId(device, iface);
  } catch {
    return undefined;
  } finally {
    await device.close().catch(() => undefined);
  }
}

/** Every make/model pair the device answers to: the 1284 ID's, then the string descriptors'. */
export function namesOf(device: USBDeviceLike, deviceId: string | undefined): MakeModel[] {
  const names: MakeModel[] = [];
  const fromId = deviceId === undefined ? undefined : makeModelFrom(deviceId);
  if (fromId !== undefined) names.push(fromId);
  const make = device.manufacturerName?.trim() ?? '';
  const model = device.productName?.trim() ?? '';
  if (model !== '') {
    names.push({ make: make === '' ? 'Unknown' : make, model });
    const stripped = makeModelFrom(`MFG:${make};MDL:${model};`);
    if (stripped !== undefined) names.push(stripped);
  }
  return names;
}

/** The serial number: the USB string descriptor, else the 1284 ID's SN/SERN. */
export function serialOf(device: USBDeviceLike, deviceId: string | undefined): string | undefined {
  const serial = device.serialNumber?.trim() ?? '';
  if (serial !== '') return serial;
  const fromId = deviceId === undefined ? undefined : parseDeviceId(deviceId).get('SN');
  return fromId === undefined || fromId === '' ? undefined : fromId;
}

/** The URI to put in a board config for this printer: CUPS style when it has a name, else by vid/pid. */
export function uriFor(device: USBDeviceLike, iface: PrinterInterface, deviceId: string | undefined): string {
  const serial = serialOf(device, deviceId);
  const name = namesOf(device, deviceId)[0];
  if (name !== undefined && !iface.isVendorClass) return formatNameUri(name, serial, iface.interfaceNumber);
  return formatIdsUri(device.vendorId, device.productId, serial, iface.interfaceNumber);
}

/** A one-line description for device lists. */
export function describe(device: USBDeviceLike, deviceId: string | undefined): string {
  const name = namesOf(device, deviceId)[0];
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const ids = `${hex(device.vendorId)}:${hex(device.productId)}`;
  return name === undefined ? `USB printer ${ids}` : `${name.make} ${name.model} (USB ${ids})`;
}
