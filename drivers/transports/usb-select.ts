// Which interface of a USB device carries the print stream: printer class 7/1 protocol 2 before 1 (3 = IEEE 1284.4
// and 4 = IPP-over-USB are not byte streams), and vendor-class (0xFF) bulk interfaces when asked for by vid/pid.
// SPDX-License-Identifier: Apache-2.0
import type { PrinterInterface, USBDeviceLike } from './usb-types.js';

const CLASS_PRINTER = 7;
const SUBCLASS_PRINTER = 1;
const CLASS_VENDOR = 0xff;

/** Options for {@link findPrinterInterfaces}. */
export interface SelectOptions {
  /** accept vendor-class interfaces with bulk endpoints (only when the URI names the device by vid/pid) */
  readonly allowVendorClass: boolean;
  /** only this bInterfaceNumber */
  readonly interfaceNumber?: number | undefined;
}

function bulkEndpoint(alt: USBAlternateInterface, direction: USBDirection): USBEndpoint | undefined {
  return alt.endpoints.find((ep) => ep.type === 'bulk' && ep.direction === direction);
}

function rank(candidate: PrinterInterface): number {
  if (candidate.isVendorClass) return 2;
  return candidate.protocol === 2 ? 0 : 1;
}

function candidateFrom(
  configIndex: number,
  config: USBConfiguration,
  iface: USBInterface,
  alt: USBAlternateInterface,
  allowVendorClass: boolean,
): PrinterInterface | undefined {
  const isPrinter =
    alt.interfaceClass === CLASS_PRINTER &&
    alt.interfaceSubclass === SUBCLASS_PRINTER &&
    (alt.interfaceProtocol === 1 || alt.interfaceProtocol === 2);
  const isVendorClass = alt.interfaceClass === CLASS_VENDOR && allowVendorClass;
  if (!isPrinter && !isVendorClass) return undefined;
  const out = bulkEndpoint(alt, 'out');
  if (out === undefined) return undefined;
  const inEp = bulkEndpoint(alt, 'in');
  const isBidirectional = inEp !== undefined && (isVendorClass || alt.interfaceProtocol === 2);
  return {
    configIndex,
    configurationValue: config.configurationValue,
    interfaceNumber: iface.interfaceNumber,
    alternateSetting: alt.alternateSetting,
    protocol: isBidirectional ? 2 : 1,
    isVendorClass: !isPrinter,
    outEndpoint: out.endpointNumber,
    inEndpoint: isBidirectional ? inEp.endpointNumber : undefined,
    packetSize: out.packetSize,
  };
}

/** Every usable print interface of a device, best first (protocol 2, then 1, then vendor class). */
export function findPrinterInterfaces(device: USBDeviceLike, options: SelectOptions): PrinterInterface[] {
  const found: PrinterInterface[] = [];
  device.configurations.forEach((config, configIndex) => {
    for (const iface of config.interfaces) {
      if (options.interfaceNumber !== undefined && iface.interfaceNumber !== options.interfaceNumber) continue;
      for (const alt of iface.alternates) {
        const candidate = candidateFrom(configIndex, config, iface, alt, options.allowVendorClass);
        if (candidate !== undefined) found.push(candidate);
      }
    }
  });
  // Stable sort keeps descriptor order within a rank.
  return found.sort((a, b) => rank(a) - rank(b));
}

/** Bytes per bulk transfer that keep the link busy: 256 KiB at high speed and above, 16 KiB at full speed. */
export function chunkForPacketSize(packetSize: number): number {
  return packetSize >= 512 ? 256 * 1024 : 16 * 1024;
}
