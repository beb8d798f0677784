// USB Printer Class 1.1 §4.2 class requests: GET_DEVICE_ID, GET_PORT_STATUS and SOFT_RESET, with explicit timeouts.
// SPDX-License-Identifier: Apache-2.0
import { TransportError } from '../../src/errors.js';
import type { PortStatus } from './transport.js';
import { deviceIdFromReply } from './ieee1284.js';
import type { PrinterInterface, USBDeviceLike } from './usb-types.js';

/** bRequest values of the printer class. */
export const PrinterRequest = { GET_DEVICE_ID: 0, GET_PORT_STATUS: 1, SOFT_RESET: 2 } as const;

/** GET_PORT_STATUS bits (§4.2.2). */
export const PortStatusBit = { PAPER_EMPTY: 0x20, SELECTED: 0x10, NOT_ERROR: 0x08 } as const;

/** Control transfer timeout (PAPPL uses 5 s for configuration and device ID requests). */
export const CONTROL_TIMEOUT_MS = 5000;
/** Largest device ID asked for. */
const DEVICE_ID_MAX = 1024;

function bytesOf(view: DataView | undefined): Uint8Array {
  if (view === undefined) return new Uint8Array(0);
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The IEEE 1284 device ID; undefined when the engine stalls the request or sends nothing. */
export async function getDeviceId(device: USBDeviceLike, iface: PrinterInterface): Promise<string | undefined> {
  const setup: USBControlTransferParameters = {
    requestType: 'class',
    recipient: 'interface',
    request: PrinterRequest.GET_DEVICE_ID,
    value: iface.configIndex,
    index: (iface.interfaceNumber << 8) | iface.alternateSetting,
  };
  const result = await device.controlTransferIn(setup, DEVICE_ID_MAX, CONTROL_TIMEOUT_MS);
  if (result.status !== 'ok') return undefined;
  const text = deviceIdFromReply(bytesOf(result.data));
  return text === '' ? undefined : text;
}

/** Decode the GET_PORT_STATUS byte. */
export function portStatusFromByte(byte: number): PortStatus {
  return {
    paperEmpty: (byte & PortStatusBit.PAPER_EMPTY) !== 0,
    selected: (byte & PortStatusBit.SELECTED) !== 0,
    error: (byte & PortStatusBit.NOT_ERROR) === 0,
  };
}

/** GET_PORT_STATUS (wIndex = interface number, as the class specification says). */
export async function getPortStatus(device: USBDeviceLike, iface: PrinterInterface): Promise<PortStatus> {
  const setup: USBControlTransferParameters = {
    requestType: 'class',
    recipient: 'interface',
    request: PrinterRequest.GET_PORT_STATUS,
    value: 0,
    index: iface.interfaceNumber,
  };
  const result = await device.controlTransferIn(setup, 1, CONTROL_TIMEOUT_MS);
  const bytes = bytesOf(result.data);
  const byte = bytes[0];
  if (result.status !== 'ok' || byte === undefined) {
    throw new TransportError('stalled', `GET_PORT_STATUS answered ${result.status} with ${bytes.length} bytes`);
  }
  return portStatusFromByte(byte);
}

/**
 * SOFT_RESET: recipient "other" (bmRequestType 0x23) as the 1.1 table says, then "interface" (0x21) when the engine
 * refuses. The data stage is an empty buffer: `usb` v3 throws a TypeError when the data argument is missing.
 */
export async function softReset(device: USBDeviceLike, iface: PrinterInterface): Promise<void> {
  let lastError: unknown;
  for (const recipient of ['other', 'interface'] as const) {
    const setup: USBControlTransferParameters = {
      requestType: 'class',
      recipient,
      request: PrinterRequest.SOFT_RESET,
      value: 0,
      index: iface.interfaceNumber,
    };
    try {
      const result = await device.controlTransferOut(setup, new Uint8Array(0), CONTROL_TIMEOUT_MS);
      if (result.status === 'ok') return;
      lastError = new Error(`SOFT_RESET answered ${result.status}`);
    } catch (err) {
      lastError = err;
    }
  }
  throw new TransportError('stalled', 'SOFT_RESET refused', { cause: lastError });
}
