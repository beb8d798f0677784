// The built-in virtual print engine: the virtual driver plus the `virtual:` transport that writes every printed
// page as a PNG file to <stateDir>/output, with faults and pacing from <stateDir>/virtual-engine.json.
// SPDX-License-Identifier: Apache-2.0
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../../src/errors.js';
import type { RasterDriver } from '../driver.js';
import type { DeviceInfo, Transport, TransportPort } from '../transports/transport.js';
import { virtualCapabilities } from './capabilities.js';
import { FaultWatcher } from './faults.js';
import { VirtualPort } from './port.js';
import { VirtualDriver } from './virtual-driver.js';

/** Name of the faults file in the state directory. */
export const FAULTS_FILE = 'virtual-engine.json';
/** Default write size of the virtual transport. */
export const VIRTUAL_CHUNK = 64 * 1024;

/** What createVirtualEngine returns: the contracts plus hooks tests and benches observe. */
export interface VirtualEngine {
  readonly driver: RasterDriver;
  readonly transport: Transport;
  /** the concrete driver (identify records) */
  readonly virtualDriver: VirtualDriver;
  /** ports opened so far */
  readonly ports: readonly VirtualPort[];
  readonly outputDir: string;
  close(): Promise<void>;
}

/** A non-negative number option, or `fallback` when absent; anything else is a ConfigError. */
function numberOption(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`/engine/options/${name} must be a number >= 0`, { pointer: `/engine/options/${name}` });
  }
  return value;
}

/**
 * Build the virtual engine. Options: capability overrides, `paceBytesPerSecond` (simulate a slow engine),
 * `preferredChunk` (bytes per write), `faultPollMs` (faults file check interval, default 1000).
 * `transport.open()` also accepts `paceBytesPerSecond`; the faults file's "pace-bytes-per-second" wins over both.
 */
export function createVirtualEngine(opts: {
  stateDir: string;
  log: Logger;
  options?: Readonly<Record<string, unknown>>;
}): VirtualEngine {
  const options = opts.options ?? {};
  const log = opts.log.child({ mod: 'virtual-engine' });
  const outputDir = path.join(opts.stateDir, 'output');
  const engineCapabilities = virtualCapabilities(options);
  const enginePace = numberOption(options, 'paceBytesPerSecond', 0);
  const preferredChunk = Math.max(512, numberOption(options, 'preferredChunk', VIRTUAL_CHUNK));
  const faults = new FaultWatcher({
    file: path.join(opts.stateDir, FAULTS_FILE),
    log,
    pollMs: numberOption(options, 'faultPollMs', 1000),
  });
  const virtualDriver = new VirtualDriver(engineCapabilities, faults, log);
  const ports: VirtualPort[] = [];

  const transport: Transport = {
    scheme: 'virtual',
    async list(): Promise<DeviceInfo[]> {
      return [{ uri: 'virtual:', description: engineCapabilities.makeAndModel, deviceId: engineCapabilities.deviceId }];
    },
    async open(uri: URL, openOptions: Readonly<Record<string, unknown>>, portLog: Logger, signal?: AbortSignal): Promise<TransportPort> {
      if (uri.protocol !== 'virtual:') throw new ConfigError(`virtual transport cannot open ${uri.href}`);
      const portPace = numberOption(openOptions, 'paceBytesPerSecond', enginePace);
      // A vanished engine (faults file "vanished") cannot be opened until it is back.
      await faults.untilPresent(signal);
      await mkdir(outputDir, { recursive: true });
      const port = new VirtualPort({
        outDir: outputDir,
        log: portLog,
        preferredChunk,
        faults,
        pace: async () => (await faults.current()).paceBytesPerSecond ?? portPace,
      });
      ports.push(port);
      return port;
    },
  };

  return {
    driver: virtualDriver,
    transport,
    virtualDriver,
    ports,
    outputDir,
    async close(): Promise<void> {
      await Promise.all(ports.map((p) => p.close()));
    },
  };
}
