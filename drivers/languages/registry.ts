// Command-language drivers by name: what `engine.driver` in a board config and `--driver` choose from.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import { ConfigError } from '../../src/errors.js';
import type { RasterDriver } from '../driver.js';
import { createEscposDriver } from './escpos.js';
import { createPclDriver } from './pcl.js';
import { createZplDriver } from './zpl.js';

/** Builds a driver from the board config's `engine.options`; throws ConfigError for bad options. */
export type DriverFactory = (options: Readonly<Record<string, unknown>>, log: Logger) => RasterDriver;

/** Every raster language driver. `virtual` (the built-in engine) and `auto` are handled by the system. */
export const LANGUAGE_DRIVERS: Readonly<Record<string, DriverFactory>> = {
  escpos: createEscposDriver,
  pcl: createPclDriver,
  zpl: createZplDriver,
};

/** Names accepted for `engine.driver`. */
export const DRIVER_NAMES: readonly string[] = ['auto', ...Object.keys(LANGUAGE_DRIVERS), 'virtual'];

/** The factory for a driver name; a ConfigError naming the choices otherwise. */
export function driverFactory(name: string): DriverFactory {
  const factory = Object.hasOwn(LANGUAGE_DRIVERS, name) ? LANGUAGE_DRIVERS[name] : undefined;
  if (!factory) throw new ConfigError(`unknown engine driver "${name}" (available: ${DRIVER_NAMES.join(', ')})`, { pointer: '/engine/driver' });
  return factory;
}
