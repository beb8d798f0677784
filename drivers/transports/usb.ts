// The `usb:` transport (USB Printer Class 1.1): lists printers with their IEEE 1284 IDs, waits for the named printer
// to be plugged in (hotplug events, polling as a fallback), claims its interface and hands out a UsbPort.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import type { DeviceInfo, Transport, TransportPort } from './transport.js';
import { UriOptions } from './uri-options.js';
import { DEFAULT_SYSFS_PATH, loadDefaultBackend, type BackendLoad } from './usb-backend.js';
import { abortable } from './usb-errors.js';
import { describe, namesOf, probeDeviceId, serialOf, uriFor } from './usb-identify.js';
import { UsbPort } from './usb-port.js';
import { chunkForPacketSize, findPrinterInterfaces } from './usb-select.js';
import { deviceKey, type PrinterInterface, type UsbBackend, type USBDeviceLike } from './usb-types.js';
import { namesMatch, parseUsbUri, type UsbSelector } from './usb-uri.js';

export type { UsbBackend, USBDeviceLike } from './usb-types.js';

/** Options of {@link createUsbTransport}. */
export interface UsbTransportOptions {
  /** WebUSB stand-in; default: the `usb` package, only when `sysfsPath` exists */
  readonly backend?: UsbBackend;
  /** directory whose presence means the machine has USB (default /sys/bus/usb/devices) */
  readonly sysfsPath?: string;
  /** how often open() looks again for an absent printer when no hotplug event comes (default 2000 ms) */
  readonly pollIntervalMs?: number;
}

/** Query keys a usb: URI may carry. */
const URI_KEYS = ['serial', 'interface', 'vid', 'pid', 'timeout', 'read-timeout'] as const;
/** Default bulk OUT timeout per transfer; never usb v3's 1 s default (an engine may NAK for a long time). */
const WRITE_TIMEOUT_MS = 120_000;
/** Default bulk IN timeout (PAPPL uses 10 s). */
const READ_TIMEOUT_MS = 10_000;
/** What "timeout=0" (no limit) becomes: the largest timer Node allows. */
const NO_LIMIT_MS = 2 ** 31 - 1;

/** A printer found for a selector. */
interface Match {
  readonly device: USBDeviceLike;
  readonly iface: PrinterInterface;
}

class UsbTransport implements Transport {
  readonly scheme = 'usb' as const;
  readonly #opts: UsbTransportOptions;
  #load: Promise<BackendLoad> | undefined;
  /** devices held open by our ports (never probed by list() or matched twice) */
  readonly #inUse = new Set<string>();
  /** device IDs read so far, by device key */
  readonly #ids = new Map<string, string | undefined>();

  constructor(opts: UsbTransportOptions) {
    this.#opts = opts;
  }

  #backend(): Promise<BackendLoad> {
    const { backend } = this.#opts;
    this.#load ??= backend !== undefined ? Promise.resolve({ backend }) : loadDefaultBackend(this.#opts.sysfsPath ?? DEFAULT_SYSFS_PATH);
    return this.#load;
  }

  async #devices(backend: UsbBackend): Promise<readonly USBDeviceLike[]> {
    try {
      return await backend.getDevices();
    } catch {
      return [];
    }
  }

  async #deviceId(device: USBDeviceLike, iface: PrinterInterface): Promise<string | undefined> {
    const key = deviceKey(device);
    if (this.#ids.has(key) || this.#inUse.has(key)) return this.#ids.get(key);
    const id = await probeDeviceId(device, iface);
    if (id !== undefined) this.#ids.set(key, id);
    return id;
  }

  /** Printer-class devices attached now, with their URIs and 1284 IDs; [] on a machine without USB. */
  async list(signal?: AbortSignal): Promise<DeviceInfo[]> {
    const { backend } = await this.#backend();
    if (backend === undefined) return [];
    const found: DeviceInfo[] = [];
    for (const device of await this.#devices(backend)) {
      if (signal?.aborted === true) throw new TransportError('canceled', 'device listing canceled');
      const iface = findPrinterInterfaces(device, { allowVendorClass: false })[0];
      if (iface === undefined) continue;
      const deviceId = await this.#deviceId(device, iface);
      const info = { uri: uriFor(device, iface, deviceId), description: describe(device, deviceId) };
      found.push(deviceId === undefined ? info : { ...info, deviceId });
    }
    return found;
  }

  async #match(device: USBDeviceLike, selector: UsbSelector): Promise<Match | undefined> {
    if (this.#inUse.has(deviceKey(device))) return undefined;
    const isIds = selector.kind === 'ids';
    if (isIds && (device.vendorId !== selector.vendorId || device.productId !== selector.productId)) return undefined;
    const iface = findPrinterInterfaces(device, { allowVendorClass: isIds, interfaceNumber: selector.interfaceNumber })[0];
    if (iface === undefined) return undefined;
    // Cheap checks first: the serial and names from the descriptors need no device ID.
    const plainSerial = serialOf(device, undefined);
    if (selector.serial !== undefined && plainSerial !== undefined && plainSerial !== selector.serial) return undefined;
    if (isIds && selector.serial === undefined) return { device, iface };
    if (!isIds && selector.serial !== undefined && plainSerial !== undefined && namesMatch(selector, namesOf(device, undefined))) {
      return { device, iface };
    }
    const deviceId = await this.#deviceId(device, iface);
    if (selector.serial !== undefined && serialOf(device, deviceId) !== selector.serial) return undefined;
    if (!isIds && !namesMatch(selector, namesOf(device, deviceId))) return undefined;
    return { device, iface };
  }

  async #find(backend: UsbBackend, selector: UsbSelector): Promise<Match | undefined> {
    for (const device of await this.#devices(backend)) {
      const match = await this.#match(device, selector);
      if (match !== undefined) return match;
    }
    return undefined;
  }

  /** Wait for the named printer (logging "waiting for printer" once), claim its interface and return the port. */
  async open(uri: URL, options: Readonly<Record<string, unknown>>, log: Logger, signal?: AbortSignal): Promise<TransportPort> {
    const selector = parseUsbUri(uri);
    const settings = new UriOptions(uri, options, URI_KEYS);
    const writeTimeoutMs = settings.seconds('timeout', 86_400, WRITE_TIMEOUT_MS) || NO_LIMIT_MS;
    const readTimeoutMs = settings.seconds('read-timeout', 3_600, READ_TIMEOUT_MS) || NO_LIMIT_MS;
    const devLog = log.child({ uri: uri.href });
    let isAnnounced = false;
    for (;;) {
      if (signal?.aborted === true) throw new TransportError('canceled', 'waiting for the USB printer was canceled');
      const load = await this.#backend();
      const match = load.backend === undefined ? undefined : await this.#find(load.backend, selector);
      if (load.backend !== undefined && match !== undefined) {
        try {
          return await this.#claim(load.backend, match, uri.href, devLog, writeTimeoutMs, readTimeoutMs);
        } catch (err) {
          devLog.warn({ err }, 'USB printer found but could not be opened; retrying');
        }
      }
      if (!isAnnounced) {
        devLog.info(load.reason === undefined ? {} : { reason: load.reason }, 'waiting for printer');
        isAnnounced = true;
      }
      await this.#waitForChange(load.backend, signal);
    }
  }

  /** Resolve on a connect event or after the poll interval; reject 'canceled' on abort. */
  async #waitForChange(backend: UsbBackend | undefined, signal: AbortSignal | undefined): Promise<void> {
    const ms = this.#opts.pollIntervalMs ?? 2000;
    let onConnect = (): void => undefined;
    const wake = new Promise<void>((resolve) => {
      onConnect = () => resolve();
    });
    const timer = setTimeout(onConnect, ms);
    backend?.addEventListener('connect', onConnect);
    try {
      await abortable(wake, signal === undefined ? [] : [signal]);
    } catch {
      throw new TransportError('canceled', 'waiting for the USB printer was canceled');
    } finally {
      clearTimeout(timer);
      backend?.removeEventListener('connect', onConnect);
    }
  }

  /** Open the device, select the configuration, detach usblp, claim the interface and alternate setting. */
  async #claim(backend: UsbBackend, match: Match, uri: string, log: Logger, writeTimeoutMs: number, readTimeoutMs: number): Promise<UsbPort> {
    const { device, iface } = match;
    const key = deviceKey(device);
    this.#inUse.add(key);
    let isDetached = false;
    try {
      if (!device.opened) await device.open();
      if (device.configuration?.configurationValue !== iface.configurationValue) {
        await device.selectConfiguration(iface.configurationValue);
      }
      if (device.detachKernelDriver !== undefined) {
        isDetached = await device.detachKernelDriver(iface.interfaceNumber).then(
          () => true,
          (err: unknown) => {
            log.debug({ err }, 'no kernel driver detached');
            return false;
          },
        );
      }
      await device.claimInterface(iface.interfaceNumber);
      if (iface.alternateSetting !== 0) await device.selectAlternateInterface(iface.interfaceNumber, iface.alternateSetting);
    } catch (err) {
      this.#inUse.delete(key);
      await device.close().catch(() => undefined);
      throw err;
    }
    log.info({ interface: iface.interfaceNumber, protocol: iface.protocol, vendorClass: iface.isVendorClass }, 'USB printer opened');
    return new UsbPort({
      uri,
      device,
      iface,
      backend,
      log,
      preferredChunk: chunkForPacketSize(iface.packetSize),
      writeTimeoutMs,
      readTimeoutMs,
      detachedKernelDriver: isDetached,
      onRelease: () => this.#inUse.delete(key),
    });
  }
}

/** The `usb:` transport; `backend` replaces the `usb` package (tests pass a fake printer). */
export function createUsbTransport(opts: UsbTransportOptions = {}): Transport {
  return new UsbTransport(opts);
}
