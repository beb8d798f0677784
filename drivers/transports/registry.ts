// The engine-link URI scheme registry (PAPPL device.c style): usb:, serial:, socket:, file: to their transports,
// and the listing of every attached device. `virtual:` belongs to the virtual engine, not to this table.
// SPDX-License-Identifier: Apache-2.0
import { pino, type Logger } from 'pino';
import { ConfigError } from '../../src/errors.js';
import { createFileTransport } from './file.js';
import { createSerialTransport } from './serial.js';
import { createSocketTransport } from './socket.js';
import type { DeviceInfo, Transport } from './transport.js';
import { createUsbTransport } from './usb.js';

/** URI schemes of real engine links, in listing order. */
export const SCHEMES = ['usb', 'serial', 'socket', 'file'] as const;
export type LinkScheme = (typeof SCHEMES)[number];

/** Longest a single transport may take to list its devices. */
export const LIST_TIMEOUT_MS = 10_000;

const FACTORIES: Readonly<Record<LinkScheme, () => Transport>> = {
  usb: () => createUsbTransport(),
  serial: createSerialTransport,
  socket: () => createSocketTransport(),
  file: createFileTransport,
};

// One transport per scheme for the process: the USB one holds hotplug listeners.
const made = new Map<LinkScheme, Transport>();

function isLinkScheme(name: string): name is LinkScheme {
  return (SCHEMES as readonly string[]).includes(name);
}

/** The transport for `uri`'s scheme; an unknown scheme is a ConfigError naming it and the supported ones. */
export function transportFor(uri: URL): Transport {
  const scheme = uri.protocol.replace(/:$/, '');
  if (!isLinkScheme(scheme)) {
    const hint = scheme === 'virtual' ? ' (virtual: works only with the virtual driver)' : '';
    throw new ConfigError(`unsupported engine URI scheme "${scheme}:" in ${uri.href}; supported: ${SCHEMES.map((s) => `${s}:`).join(', ')}${hint}`, {
      pointer: '/engine/uri',
    });
  }
  let transport = made.get(scheme);
  if (transport === undefined) {
    transport = FACTORIES[scheme]();
    made.set(scheme, transport);
  }
  return transport;
}

/** Devices of the given transports, in order; one that fails, hangs or is aborted is skipped (debug log). */
export async function listFrom(transports: readonly Transport[], signal?: AbortSignal, log?: Logger): Promise<DeviceInfo[]> {
  const quiet = log ?? pino({ level: 'silent' });
  const lists = await Promise.all(
    transports.map(async (transport) => {
      const bound = AbortSignal.timeout(LIST_TIMEOUT_MS);
      const stop = signal === undefined ? bound : AbortSignal.any([signal, bound]);
      let onStop: (() => void) | undefined;
      const stopped = new Promise<never>((_resolve, reject) => {
        onStop = () => reject(stop.reason);
        if (stop.aborted) onStop();
        else stop.addEventListener('abort', onStop, { once: true });
      });
      try {
        return await Promise.race([transport.list(stop), stopped]);
      } catch (err) {
        quiet.debug({ err, scheme: transport.scheme }, 'device listing skipped');
        return [];
      } finally {
        if (onStop !== undefined) stop.removeEventListener('abort', onStop);
        stopped.catch(() => undefined);
      }
    }),
  );
  return lists.flat();
}

/** Every attached device (USB printers with their 1284 IDs, serial ports, usblp files); never throws. */
export async function listDevices(signal?: AbortSignal, log?: Logger): Promise<DeviceInfo[]> {
  const transports: Transport[] = [];
  for (const scheme of SCHEMES) {
    try {
      transports.push(transportFor(new URL(`${scheme}:`)));
    } catch (err) {
      log?.debug({ err, scheme }, 'transport unavailable');
    }
  }
  return listFrom(transports, signal, log);
}
