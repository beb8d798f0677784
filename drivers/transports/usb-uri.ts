// usb: URIs. CUPS style `usb://MAKE/MODEL?serial=SN[&interface=N]` (percent-encoded) names a printer by its IEEE 1284
// make and model; `usb:///?vid=04b8&pid=0202[&serial=SN][&interface=N]` names it by USB ids (needed for vendor class).
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../../src/errors.js';
import type { MakeModel } from './ieee1284.js';

/** What a usb: URI asks for. */
export type UsbSelector =
  | {
      readonly kind: 'ids';
      readonly vendorId: number;
      readonly productId: number;
      readonly serial: string | undefined;
      readonly interfaceNumber: number | undefined;
    }
  | {
      readonly kind: 'name';
      readonly make: string;
      readonly model: string;
      readonly serial: string | undefined;
      readonly interfaceNumber: number | undefined;
    };

const POINTER = '/engine/uri';

function hexId(uri: URL, name: 'vid' | 'pid'): number {
  const text = uri.searchParams.get(name) ?? '';
  if (!/^(0x)?[0-9a-f]{1,4}$/iu.test(text)) {
    throw new ConfigError(`${uri.href}: ${name} must be 1 to 4 hex digits`, { pointer: POINTER });
  }
  return Number.parseInt(text.replace(/^0x/iu, ''), 16);
}

function decode(uri: URL, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    throw new ConfigError(`${uri.href}: bad percent-encoding`, { pointer: POINTER, cause: err });
  }
}

/** Parse a usb: URI; throws ConfigError when it names no device. */
export function parseUsbUri(uri: URL): UsbSelector {
  if (uri.protocol !== 'usb:') throw new ConfigError(`${uri.href}: not a usb: URI`, { pointer: POINTER });
  const serialText = uri.searchParams.get('serial');
  const serial = serialText === null || serialText === '' ? undefined : serialText;
  const ifaceText = uri.searchParams.get('interface');
  let interfaceNumber: number | undefined;
  if (ifaceText !== null) {
    if (!/^\d{1,3}$/u.test(ifaceText) || Number(ifaceText) > 255) {
      throw new ConfigError(`${uri.href}: interface must be a number 0-255`, { pointer: POINTER });
    }
    interfaceNumber = Number(ifaceText);
  }
  if (uri.searchParams.has('vid') || uri.searchParams.has('pid')) {
    return { kind: 'ids', vendorId: hexId(uri, 'vid'), productId: hexId(uri, 'pid'), serial, interfaceNumber };
  }
  const make = decode(uri, uri.host);
  const model = decode(uri, uri.pathname.replace(/^\//u, ''));
  if (make === '' || model === '') {
    throw new ConfigError(`${uri.href}: expected usb://MAKE/MODEL?serial=SN or usb:///?vid=VID&pid=PID`, {
      pointer: POINTER,
    });
  }
  return { kind: 'name', make, model, serial, interfaceNumber };
}

/** A CUPS-style usb: URI for a printer with a known make and model. */
export function formatNameUri(name: MakeModel, serial: string | undefined, interfaceNumber: number): string {
  const query = new URLSearchParams();
  if (serial !== undefined && serial !== '') query.set('serial', serial);
  if (interfaceNumber !== 0) query.set('interface', String(interfaceNumber));
  const q = query.toString().replace(/\+/gu, '%20');
  return `usb://${encodeURIComponent(name.make)}/${encodeURIComponent(name.model)}${q === '' ? '' : `?${q}`}`;
}

/** A vid/pid usb: URI. */
export function formatIdsUri(vendorId: number, productId: number, serial: string | undefined, interfaceNumber: number): string {
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const query = new URLSearchParams({ vid: hex(vendorId), pid: hex(productId) });
  if (serial !== undefined && serial !== '') query.set('serial', serial);
  if (interfaceNumber !== 0) query.set('interface', String(interfaceNumber));
  return `usb:///?${query.toString().replace(/\+/gu, '%20')}`;
}

function normalise(text: string): string {
  return text.trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** True when a name selector's make and model equal one of the names a device goes by (case and spacing ignored). */
export function namesMatch(selector: { readonly make: string; readonly model: string }, names: readonly MakeModel[]): boolean {
  const make = normalise(selector.make);
  const model = normalise(selector.model);
  return names.some((n) => normalise(n.make) === make && normalise(n.model) === model);
}
