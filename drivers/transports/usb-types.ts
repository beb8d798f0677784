// The small WebUSB subset the USB transport uses, so an in-memory fake can stand in for the `usb` package.
// SPDX-License-Identifier: Apache-2.0

/** The part of a WebUSB `USBDevice` (as `usb` v3 presents it) that the USB transport calls. */
export interface USBDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string | null;
  readonly productName: string | null;
  readonly serialNumber: string | null;
  readonly configuration: USBConfiguration | null;
  readonly configurations: readonly USBConfiguration[];
  readonly opened: boolean;
  /** `usb` v3 extras: bus name, address and link speed (absent in plain WebUSB) */
  readonly bus?: string;
  readonly address?: number;
  readonly speed?: string;
  open(): Promise<void>;
  close(): Promise<void>;
  reset(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void>;
  controlTransferIn(setup: USBControlTransferParameters, length: number, timeout?: number): Promise<USBInTransferResult>;
  controlTransferOut(setup: USBControlTransferParameters, data?: Uint8Array, timeout?: number): Promise<USBOutTransferResult>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<USBInTransferResult>;
  transferOut(endpointNumber: number, data: Uint8Array, timeout?: number): Promise<USBOutTransferResult>;
  clearHalt(direction: USBDirection, endpointNumber: number): Promise<void>;
  /** Linux only in `usb` v3: unbind the kernel driver (usblp) from an interface */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
  attachKernelDriver?(interfaceNumber: number): Promise<void>;
}

/** What a hotplug event carries. */
export interface UsbConnectionEventLike {
  readonly device: USBDeviceLike;
}

/** Hotplug listener. */
export type UsbConnectionListener = (event: UsbConnectionEventLike) => void;

/** The part of a WebUSB `USB` object (`new WebUSB({ allowAllDevices: true })`) the transport uses. */
export interface UsbBackend {
  getDevices(): Promise<readonly USBDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: UsbConnectionListener): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: UsbConnectionListener): void;
}

/** A printer interface chosen on a device: where the bytes go and come back. */
export interface PrinterInterface {
  /** index into `configurations` (GET_DEVICE_ID wValue) */
  readonly configIndex: number;
  readonly configurationValue: number;
  readonly interfaceNumber: number;
  readonly alternateSetting: number;
  /** 1 unidirectional, 2 bidirectional; vendor-class interfaces report 2 when they have a bulk IN endpoint */
  readonly protocol: 1 | 2;
  readonly isVendorClass: boolean;
  readonly outEndpoint: number;
  readonly inEndpoint: number | undefined;
  /** bulk OUT max packet size: 64 full speed, 512 high speed, 1024 SuperSpeed */
  readonly packetSize: number;
}

/** A stable key for a device across `getDevices()` calls (the `usb` package returns new objects each time). */
export function deviceKey(device: USBDeviceLike): string {
  if (device.bus !== undefined && device.address !== undefined) return `${device.bus}/${device.address}`;
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return `${hex(device.vendorId)}:${hex(device.productId)}:${device.serialNumber ?? ''}`;
}
