// The `serial:` transport: `serial:///dev/ttyUSB0?baud=115200&parity=none&data=8&stop=1&flow=none|rtscts|xonxoff`.
// open() waits for a missing device node to come back (USB serial adapters re-enumerate), polling once a second.
// SPDX-License-Identifier: Apache-2.0
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { TransportError } from '../../src/errors.js';
import { abortKind, pause } from './race-transfer.js';
import { scanSerialDevices } from './serial-list.js';
import { serialSettings, type SerialSettings } from './serial-options.js';
import { listSerialportPorts, openSerialStream, SerialLinkPort, type SerialStream } from './serial-port.js';
import type { DeviceInfo, Transport, TransportPort } from './transport.js';

/** How often open() looks for a missing device node. */
export const SERIAL_POLL_MS = 1000;

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new TransportError(abortKind(signal), 'serial open canceled', { cause: signal.reason });
}

/** Open the device, waiting (abortably) while its node is missing; other open errors reject at once. */
async function openWhenPresent(settings: SerialSettings, log: Logger, signal: AbortSignal | undefined): Promise<SerialStream> {
  let hasLogged = false;
  for (;;) {
    checkAbort(signal);
    if (await exists(settings.path)) {
      try {
        return await openSerialStream(settings);
      } catch (err) {
        // The node can vanish between stat and open; anything else (EACCES, EBUSY, not a tty) is for the caller.
        if (await exists(settings.path)) {
          throw new TransportError('disconnected', `cannot open ${settings.path}: ${(err as Error).message}`, { cause: err });
        }
      }
    }
    if (!hasLogged) {
      log.warn({ path: settings.path }, 'serial device missing; waiting for it');
      hasLogged = true;
    }
    await pause(SERIAL_POLL_MS, signal);
  }
}

/** serialport's udev listing merged into the /dev scan for descriptions; the scan alone where udev is missing. */
async function listSerial(): Promise<DeviceInfo[]> {
  const scanned = await scanSerialDevices();
  const known = await listSerialportPorts().catch(() => []);
  return scanned.map((device) => {
    const name = path.basename(decodeURIComponent(new URL(device.uri).pathname));
    const info = known.find((port) => path.basename(port.path) === name || device.description.includes(`(${path.basename(port.path)})`));
    const extra = [info?.manufacturer, info?.serialNumber && `serial ${info.serialNumber}`].filter((s): s is string => Boolean(s));
    return extra.length > 0 ? { ...device, description: `${device.description}, ${extra.join(', ')}` } : device;
  });
}

/** The serial transport (serialport 13). */
export function createSerialTransport(): Transport {
  return {
    scheme: 'serial',
    list: listSerial,
    async open(uri: URL, options: Readonly<Record<string, unknown>>, log: Logger, signal?: AbortSignal): Promise<TransportPort> {
      const settings = serialSettings(uri, options);
      const portLog = log.child({ uri: uri.href });
      const stream = await openWhenPresent(settings, portLog, signal);
      if (signal?.aborted === true) {
        await new Promise<void>((resolve) => stream.close(() => resolve()));
        checkAbort(signal);
      }
      portLog.info({ baud: settings.baudRate, parity: settings.parity, flow: settings.flow }, 'serial port open');
      return new SerialLinkPort(uri.href, stream, settings, portLog);
    },
  };
}
