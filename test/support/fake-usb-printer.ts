// An in-memory USB printer behind the WebUSB subset the usb: transport uses, scriptable with the faults usb v3 shows
// (NAK until a timeout with no byte count, stall, short writes, unplug, one transfer per endpoint), and its backend.
// SPDX-License-Identifier: Apache-2.0
import type { UsbBackend, UsbConnectionListener, USBDeviceLike } from '../../drivers/transports/usb-types.js';

/** How the fake describes itself. */
export interface FakePrinterOptions {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly serialNumber?: string | null;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
  readonly deviceId?: string;
  /** send the GET_DEVICE_ID length little-endian (a known engine bug) */
  readonly deviceIdLittleEndian?: boolean;
  /** printer-class protocol 1 or 2 (default 2), or a vendor-class (0xFF) interface */
  readonly protocol?: 1 | 2;
  readonly vendorClass?: boolean;
  /** bulk OUT packet size: 512 high speed (default), 64 full speed */
  readonly packetSize?: number;
  readonly interfaceNumber?: number;
  /** put IPP-over-USB (7/1/4) and 1284.4 (7/1/3) interfaces before the printer interface */
  readonly withIppUsb?: boolean;
  readonly bus?: string;
  readonly address?: number;
}

/** One control request the fake saw. */
export interface ControlRecord {
  readonly direction: 'in' | 'out';
  readonly setup: USBControlTransferParameters;
  readonly length?: number;
  readonly data?: Uint8Array;
}

interface PendingOut {
  readonly bytes: Uint8Array;
  readonly limit: number;
  consumed: number;
  readonly resolve: (r: USBOutTransferResult) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface PendingIn {
  readonly length: number;
  readonly resolve: (r: USBInTransferResult) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** usb v3's transfer timeout when none is given. */
const USB3_DEFAULT_TIMEOUT = 1000;
const OUT_EP = 1;
const IN_EP = 2;

function alt(cls: number, sub: number, proto: number, packetSize: number, withIn: boolean): USBAlternateInterface {
  const endpoints: USBEndpoint[] = [{ endpointNumber: OUT_EP, direction: 'out', type: 'bulk', packetSize }];
  if (withIn) endpoints.push({ endpointNumber: IN_EP, direction: 'in', type: 'bulk', packetSize });
  return { alternateSetting: 0, interfaceClass: cls, interfaceSubclass: sub, interfaceProtocol: proto, interfaceName: null, endpoints };
}

function iface(interfaceNumber: number, alternate: USBAlternateInterface): USBInterface {
  return { interfaceNumber, alternate, alternates: [alternate], claimed: false };
}

/** A scriptable in-memory USB printer. */
export class FakeUsbPrinter implements USBDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string | null;
  readonly productName: string | null;
  readonly serialNumber: string | null;
  readonly configurations: readonly USBConfiguration[];
  readonly bus: string;
  address: number;
  readonly printerInterface: number;
  /** every byte the engine accepted, in order, and the sizes/timeouts of each bulk OUT transfer */
  readonly chunks: Uint8Array[] = [];
  readonly transferSizes: number[] = [];
  readonly transferTimeouts: number[] = [];
  readonly controlRequests: ControlRecord[] = [];
  /** second concurrent transferOut calls rejected (usb v3: "endpoint not found") */
  concurrentRejections = 0;
  clearHaltCount = 0;
  /** GET_PORT_STATUS byte: 0x18 = selected, no error */
  portStatusByte = 0x18;
  /** at most this many bytes accepted per transfer (short writes) */
  maxPerTransfer: number | undefined;
  /** the next n transfers halt the endpoint; `stallAlways` halts it again after every clear */
  stallNext = 0;
  stallAlways = false;
  kernelDriverAttached = true;
  /** SOFT_RESET clears a halt and ends a NAK (false: the engine acknowledges it and does nothing) */
  softResetFlushes = true;
  deviceIdText: string;
  readonly #littleEndian: boolean;
  #opened = false;
  #halted = false;
  #paused = false;
  /** bytes still accepted before the engine starts to NAK */
  #budget = Infinity;
  #unplugged = false;
  #pendingOut: PendingOut | undefined;
  #pendingIn: PendingIn | undefined;
  readonly #backChannel: Uint8Array[] = [];
  readonly #claimed = new Set<number>();

  constructor(o: FakePrinterOptions = {}) {
    this.vendorId = o.vendorId ?? 0x03f0;
    this.productId = o.productId ?? 0x2b17;
    this.manufacturerName = o.manufacturerName === undefined ? 'Hewlett-Packard' : o.manufacturerName;
    this.productName = o.productName === undefined ? 'HP LaserJet 1020' : o.productName;
    this.serialNumber = o.serialNumber === undefined ? 'FAKE0001' : o.serialNumber;
    this.deviceIdText = o.deviceId ?? 'MFG:Hewlett-Packard;MDL:HP LaserJet 1020;CMD:PCL,PJL;CLS:PRINTER;DES:fake;';
    this.#littleEndian = o.deviceIdLittleEndian ?? false;
    this.bus = o.bus ?? '1-1';
    this.address = o.address ?? 2;
    this.printerInterface = o.interfaceNumber ?? 0;
    const packetSize = o.packetSize ?? 512;
    const interfaces: USBInterface[] = [];
    if (o.withIppUsb === true) {
      interfaces.push(iface(this.printerInterface + 1, alt(7, 1, 4, packetSize, true)));
      interfaces.push(iface(this.printerInterface + 2, alt(7, 1, 3, packetSize, true)));
    }
    const protocol = o.protocol ?? 2;
    const main = o.vendorClass === true ? alt(0xff, 0, 0, packetSize, true) : alt(7, 1, protocol, packetSize, protocol === 2);
    interfaces.push(iface(this.printerInterface, main));
    this.configurations = [{ configurationValue: 1, configurationName: null, interfaces }];
  }

  get opened(): boolean {
    return this.#opened;
  }
  get configuration(): USBConfiguration | null {
    return this.configurations[0] ?? null;
  }
  /** all accepted bytes concatenated */
  get received(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
  set paperEmpty(isEmpty: boolean) {
    this.portStatusByte = isEmpty ? (this.portStatusByte | 0x20) & ~0x08 : (this.portStatusByte & ~0x20) | 0x08;
  }

  /** NAK: accept `afterBytes` more bytes, then nothing until resume(); a pending transfer times out meanwhile. */
  pause(afterBytes = 0): void {
    this.#budget = afterBytes;
    this.#paused = afterBytes === 0;
  }
  /** Accept data again (completes a pending transfer). */
  resume(): void {
    this.#paused = false;
    this.#budget = Infinity;
    this.#pump();
  }
  /** Queue back-channel bytes for bulk IN. */
  reply(bytes: Uint8Array): void {
    this.#backChannel.push(bytes);
    this.#feedIn();
  }
  /** Called by the backend: transfers in flight fail as usb v3 reports an unplugged device. */
  unplug(): void {
    this.#unplugged = true;
    this.#opened = false;
    this.#claimed.clear();
    this.#failPending(new Error('Disconnected'));
  }
  /** Called by the backend: the device enumerates again at a new address with fresh state. */
  replug(): void {
    this.#unplugged = false;
    this.#halted = false;
    this.#paused = false;
    this.#budget = Infinity;
    this.kernelDriverAttached = true;
    this.address += 1;
  }

  #failPending(err: Error): void {
    const out = this.#pendingOut;
    this.#pendingOut = undefined;
    if (out !== undefined) {
      clearTimeout(out.timer);
      out.reject(err);
    }
    const pin = this.#pendingIn;
    this.#pendingIn = undefined;
    if (pin !== undefined) {
      clearTimeout(pin.timer);
      pin.reject(err);
    }
  }

  #assertUsable(interfaceNumber?: number): void {
    if (this.#unplugged) throw new Error('Disconnected');
    if (!this.#opened) throw new Error('device not opened');
    if (interfaceNumber !== undefined && !this.#claimed.has(interfaceNumber)) throw new Error('interface not claimed');
  }

  async open(): Promise<void> {
    if (this.#unplugged) throw new Error('Disconnected');
    this.#opened = true;
  }
  async close(): Promise<void> {
    this.#failPending(new Error('Cancelled'));
    this.#claimed.clear();
    this.#opened = false;
  }
  async reset(): Promise<void> {
    this.#assertUsable();
    this.#failPending(new Error('Cancelled'));
    this.#halted = false;
  }
  async selectConfiguration(value: number): Promise<void> {
    this.#assertUsable();
    if (value !== 1) throw new Error('no such configuration');
  }
  async claimInterface(n: number): Promise<void> {
    this.#assertUsable();
    if (n === this.printerInterface && this.kernelDriverAttached) throw new Error('Device or resource busy');
    this.#claimed.add(n);
  }
  async releaseInterface(n: number): Promise<void> {
    this.#assertUsable();
    this.#failPending(new Error('Cancelled'));
    this.#claimed.delete(n);
  }
  async selectAlternateInterface(n: number): Promise<void> {
    this.#assertUsable(n);
  }
  async detachKernelDriver(n: number): Promise<void> {
    if (n !== this.printerInterface || !this.kernelDriverAttached) throw new Error('no kernel driver attached');
    this.kernelDriverAttached = false;
  }
  async attachKernelDriver(n: number): Promise<void> {
    if (n === this.printerInterface) this.kernelDriverAttached = true;
  }
  async clearHalt(_direction: USBDirection, _ep: number): Promise<void> {
    this.#assertUsable();
    this.clearHaltCount += 1;
    this.#halted = false;
  }

  async controlTransferIn(setup: USBControlTransferParameters, length: number, _timeout?: number): Promise<USBInTransferResult> {
    this.#assertUsable();
    this.controlRequests.push({ direction: 'in', setup, length });
    if (setup.requestType !== 'class' || setup.recipient !== 'interface') return { status: 'stall' };
    let reply: Uint8Array;
    if (setup.request === 0) {
      const text = Buffer.from(this.deviceIdText, 'latin1');
      const n = text.length + 2;
      const head = this.#littleEndian ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff];
      reply = Buffer.concat([Buffer.from(head), text]);
    } else if (setup.request === 1) {
      reply = Uint8Array.of(this.portStatusByte);
    } else {
      return { status: 'stall' };
    }
    const out = reply.slice(0, length);
    return { status: 'ok', data: new DataView(out.buffer, out.byteOffset, out.byteLength) };
  }

  async controlTransferOut(setup: USBControlTransferParameters, data?: Uint8Array, _timeout?: number): Promise<USBOutTransferResult> {
    // usb v3 reads data.buffer unconditionally: no data argument is a TypeError.
    if (data === undefined) throw new TypeError("Cannot read properties of undefined (reading 'buffer')");
    this.#assertUsable();
    this.controlRequests.push({ direction: 'out', setup, data: data.slice() });
    if (setup.requestType === 'class' && setup.request === 2 && (setup.recipient === 'other' || setup.recipient === 'interface')) {
      if (this.softResetFlushes) {
        this.#halted = false;
        this.resume();
      }
      return { status: 'ok', bytesWritten: 0 };
    }
    return { status: 'stall', bytesWritten: 0 };
  }

  async transferOut(ep: number, data: Uint8Array, timeout = USB3_DEFAULT_TIMEOUT): Promise<USBOutTransferResult> {
    this.#assertUsable(this.printerInterface);
    if (ep !== OUT_EP || this.#pendingOut !== undefined) {
      this.concurrentRejections += ep === OUT_EP ? 1 : 0;
      throw new Error('endpoint not found');
    }
    this.transferSizes.push(data.length);
    this.transferTimeouts.push(timeout);
    if (this.stallNext > 0 || this.stallAlways) {
      this.stallNext = Math.max(0, this.stallNext - 1);
      this.#halted = true;
    }
    if (this.#halted) return { status: 'stall', bytesWritten: 0 };
    return new Promise<USBOutTransferResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        // usb v3: the transfer is unlinked and rejects without a byte count; bytes already taken stay taken.
        this.#pendingOut = undefined;
        reject(new Error('Cancelled'));
      }, timeout);
      this.#pendingOut = { bytes: data.slice(), limit: Math.min(data.length, this.maxPerTransfer ?? Infinity), consumed: 0, resolve, reject, timer };
      setImmediate(() => this.#pump());
    });
  }

  /** Move bytes from the pending transfer into the engine as far as the NAK budget allows. */
  #pump(): void {
    const p = this.#pendingOut;
    if (p === undefined || this.#paused) return;
    const take = Math.min(p.limit - p.consumed, this.#budget);
    if (take > 0) this.chunks.push(p.bytes.slice(p.consumed, p.consumed + take));
    p.consumed += take;
    this.#budget -= take;
    if (p.consumed < p.limit) {
      this.#paused = true;
      return;
    }
    this.#pendingOut = undefined;
    clearTimeout(p.timer);
    p.resolve({ status: 'ok', bytesWritten: p.consumed });
  }

  async transferIn(ep: number, length: number, timeout = USB3_DEFAULT_TIMEOUT): Promise<USBInTransferResult> {
    this.#assertUsable(this.printerInterface);
    if (ep !== IN_EP || this.#pendingIn !== undefined) throw new Error('endpoint not found');
    return new Promise<USBInTransferResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingIn = undefined;
        reject(new Error('Cancelled'));
      }, timeout);
      this.#pendingIn = { length, resolve, reject, timer };
      setImmediate(() => this.#feedIn());
    });
  }

  #feedIn(): void {
    const p = this.#pendingIn;
    const next = this.#backChannel.shift();
    if (p === undefined || next === undefined) {
      if (next !== undefined) this.#backChannel.unshift(next);
      return;
    }
    this.#pendingIn = undefined;
    clearTimeout(p.timer);
    const out = next.slice(0, p.length);
    if (out.length < next.length) this.#backChannel.unshift(next.slice(out.length));
    p.resolve({ status: 'ok', data: new DataView(out.buffer, out.byteOffset, out.byteLength) });
  }
}

/** The WebUSB stand-in: a device list with plug/unplug and connect/disconnect events. */
export class FakeUsbBackend implements UsbBackend {
  readonly devices: FakeUsbPrinter[] = [];
  readonly #listeners = { connect: new Set<UsbConnectionListener>(), disconnect: new Set<UsbConnectionListener>() };
  /** make getDevices() reject, as usb v3 does without a USB subsystem */
  failGetDevices = false;
  /** deliver hotplug events (false: polling must find changes) */
  emitEvents = true;

  constructor(...devices: FakeUsbPrinter[]) {
    this.devices.push(...devices);
  }

  /** Number of hotplug listeners attached now. */
  listenerCount(type: 'connect' | 'disconnect'): number {
    return this.#listeners[type].size;
  }

  async getDevices(): Promise<readonly USBDeviceLike[]> {
    if (this.failGetDevices) throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
    return [...this.devices];
  }
  addEventListener(type: 'connect' | 'disconnect', listener: UsbConnectionListener): void {
    this.#listeners[type].add(listener);
  }
  removeEventListener(type: 'connect' | 'disconnect', listener: UsbConnectionListener): void {
    this.#listeners[type].delete(listener);
  }

  /** Plug a printer in (again): it enumerates at a new address and a connect event follows. */
  plug(printer: FakeUsbPrinter): void {
    if (this.devices.includes(printer)) return;
    printer.replug();
    this.devices.push(printer);
    this.#emit('connect', printer);
  }
  /** Pull the plug: transfers fail, the device leaves the list, a disconnect event follows. */
  unplug(printer: FakeUsbPrinter): void {
    const at = this.devices.indexOf(printer);
    if (at >= 0) this.devices.splice(at, 1);
    printer.unplug();
    this.#emit('disconnect', printer);
  }

  #emit(type: 'connect' | 'disconnect', device: FakeUsbPrinter): void {
    if (!this.emitEvents) return;
    for (const listener of [...this.#listeners[type]]) listener({ device });
  }
}
