// Builds the engine a printer drives: the driver named by the board config (or --driver, or chosen from the device's
// IEEE 1284 ID with 'auto') and the link to it through the transport its URI names (or --engine).
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { RasterDriver } from '../drivers/driver.js';
import { createVirtualEngine } from '../drivers/virtual/engine.js';
import { driverFactory } from '../drivers/languages/registry.js';
import { selectDriver } from '../drivers/languages/select-driver.js';
import { EngineLink } from '../drivers/transports/link.js';
import { transportFor } from '../drivers/transports/registry.js';
import type { Transport } from '../drivers/transports/transport.js';
import type { EngineConfig } from './config.js';
import { ConfigError } from './errors.js';

/** How long `auto` waits for the device to answer with its IEEE 1284 ID. */
export const AUTO_SELECT_TIMEOUT_MS = 15_000;

/** A driver and the link to its engine. */
export interface Engine {
  readonly driver: RasterDriver;
  readonly link: EngineLink;
  /** the engine section in force after CLI overrides and auto-selection */
  readonly config: EngineConfig;
  close(): Promise<void>;
}

/** The engine section after `--engine` / `--driver`: a new driver starts from empty options. */
export function effectiveEngine(board: EngineConfig, engineUri: string | undefined, driver: string | undefined): EngineConfig {
  const name = driver ?? board.driver;
  const uri = engineUri ?? (name === board.driver ? board.uri : undefined);
  if (uri === undefined) throw new ConfigError(`--driver ${name} needs --engine URI (the board config's engine is ${board.driver} on ${board.uri})`, { code: 'ERR_USAGE' });
  if (name === 'virtual' && !uri.startsWith('virtual:')) throw new ConfigError(`the virtual driver only drives virtual:, not ${uri}; name a driver with --driver`, { code: 'ERR_USAGE' });
  return { ...board, driver: name, uri, options: name === board.driver ? board.options : {} };
}

/** Ask the device for its IEEE 1284 ID and pick the driver from the table. */
async function autoSelect(transport: Transport, cfg: EngineConfig, log: Logger): Promise<EngineConfig> {
  const signal = AbortSignal.timeout(AUTO_SELECT_TIMEOUT_MS);
  let deviceId: string | undefined;
  try {
    const port = await transport.open(new URL(cfg.uri), {}, log, signal);
    try {
      deviceId = await port.deviceId?.();
    } finally {
      await port.close().catch(() => undefined);
    }
  } catch (err) {
    throw new ConfigError(`driver auto: cannot reach ${cfg.uri} to read its IEEE 1284 ID (${(err as Error).message}); name the driver`, { pointer: '/engine/driver', cause: err });
  }
  if (!deviceId) throw new ConfigError(`driver auto: ${cfg.uri} reports no IEEE 1284 ID; name the driver`, { pointer: '/engine/driver' });
  const choice = selectDriver(deviceId);
  if (!choice) throw new ConfigError(`driver auto: no driver known for "${deviceId}"; name one`, { pointer: '/engine/driver' });
  log.info({ deviceId, driver: choice.driver, why: choice.note }, 'driver chosen from the device ID');
  return { ...cfg, driver: choice.driver, options: { ...choice.options, ...cfg.options } };
}

/** Build the engine; ConfigError for an unknown driver, bad options or an unreachable `auto` device. */
export async function createEngine(cfg: EngineConfig, stateDir: string, log: Logger): Promise<Engine> {
  const driverLog = log.child({ mod: 'driver' });
  if (cfg.driver === 'virtual') {
    const v = createVirtualEngine({ stateDir, log: driverLog, options: cfg.options });
    const link = new EngineLink({ transport: v.transport, uri: new URL(cfg.uri), options: cfg.options, log: log.child({ mod: 'link' }) });
    return { driver: v.driver, link, config: cfg, close: async () => (await link.close(), await v.close()) };
  }
  const uri = new URL(cfg.uri);
  const transport = transportFor(uri);
  const chosen = cfg.driver === 'auto' ? await autoSelect(transport, cfg, log) : cfg;
  const driver = driverFactory(chosen.driver)(chosen.options, driverLog);
  // Link settings travel in the URI (serial:…?baud=…); engine.options belong to the driver.
  const link = new EngineLink({ transport, uri, options: {}, log: log.child({ mod: 'link' }) });
  return { driver, link, config: chosen, close: () => link.close() };
}
