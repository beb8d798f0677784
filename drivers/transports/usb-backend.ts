// The default USB backend: the `usb` package's WebUSB with every device allowed, loaded only on a machine that has a
// USB subsystem. Without /sys/bus/usb/devices usb v3 rejects getDevices() and a hotplug listener would raise an
// unhandled rejection, which ends Node (raster-and-engines.md §5.1), so the package is not even imported then.
// SPDX-License-Identifier: Apache-2.0
import { access } from 'node:fs/promises';
import type { WebUSB } from 'usb';
import type { UsbBackend, UsbConnectionEventLike, UsbConnectionListener } from './usb-types.js';

/** Where Linux lists USB devices; its absence means "no USB here". */
export const DEFAULT_SYSFS_PATH = '/sys/bus/usb/devices';

/** The backend, or why there is none. */
export type BackendLoad = { readonly backend: UsbBackend; readonly reason?: undefined } | { readonly backend?: undefined; readonly reason: string };

/** Adapt a WebUSB object to UsbBackend; listener exceptions never reach the EventTarget. */
function adapt(webusb: WebUSB): UsbBackend {
  const wrapped = new Map<UsbConnectionListener, (event: USBConnectionEvent) => void>();
  return {
    getDevices: () => webusb.getDevices(),
    addEventListener(type, listener) {
      if (wrapped.has(listener)) return;
      const native = (event: USBConnectionEvent): void => {
        try {
          listener(event satisfies UsbConnectionEventLike);
        } catch {
          // A listener failure must not become an uncaught exception inside the usb package.
        }
      };
      wrapped.set(listener, native);
      webusb.addEventListener(type, native);
    },
    removeEventListener(type, listener) {
      const native = wrapped.get(listener);
      if (native === undefined) return;
      wrapped.delete(listener);
      webusb.removeEventListener(type, native);
    },
  };
}

/**
 * Load the `usb` package's WebUSB when `sysfsPath` exists and one device enumeration works; otherwise say why not.
 * Hotplug listeners are attached only after that first successful enumeration.
 */
export async function loadDefaultBackend(sysfsPath: string = DEFAULT_SYSFS_PATH): Promise<BackendLoad> {
  try {
    await access(sysfsPath);
  } catch {
    return { reason: `no USB subsystem (${sysfsPath} does not exist)` };
  }
  try {
    const usb = await import('usb');
    const webusb = new usb.WebUSB({ allowAllDevices: true });
    await webusb.getDevices();
    return { backend: adapt(webusb) };
  } catch (err) {
    return { reason: `usb package unusable: ${err instanceof Error ? err.message : String(err)}` };
  }
}
