// Composition root: the only place that wires concrete drivers and transports to the stack.
// SPDX-License-Identifier: Apache-2.0
import type { Server } from 'node:http';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ServeOptions } from './cli.js';
import { loadBoardConfig, type BoardConfig } from './config.js';
import { ConfigError } from './errors.js';
import { prepareDir } from './state-dir.js';
import { Printer } from './printer/printer.js';
import { loadIdentity, saveIdentity, type PrinterIdentity } from './printer/identity.js';
import { createHttpServer } from './server/http.js';
import { OPERATIONS_SUPPORTED } from './operations/index.js';
import { COMPRESSION_SUPPORTED } from './operations/job-request.js';
import { JOB_CREATION_ATTRIBUTES } from './job/options.js';
import { Advertiser } from './dnssd/advertise.js';
import { buildServices } from './dnssd/txt.js';
import { urfSupported } from './printer/urf.js';
import { createVirtualEngine } from '../drivers/virtual/engine.js';
import type { RasterDriver } from '../drivers/driver.js';
import type { Transport } from '../drivers/transports/transport.js';

/** The board config used when --board is not given: the virtual engine. */
export const DEFAULT_BOARD = fileURLToPath(new URL('../../board-configs/virtual.json', import.meta.url));

/** Seconds a Create-Job waits for its document. */
export const MULTIPLE_OPERATION_TIME_OUT = 60;

/** Raster formats the stack decodes itself; drivers may add pass-through formats. */
const RASTER_FORMATS = ['image/jpeg', 'image/pwg-raster', 'image/urf'] as const;

interface Engine {
  readonly driver: RasterDriver;
  readonly transport: Transport;
  close(): Promise<void>;
}

function createEngine(board: BoardConfig, stateDir: string, log: Logger): Engine {
  switch (board.engine.driver) {
    case 'virtual':
      return createVirtualEngine({ stateDir, log: log.child({ mod: 'driver' }), options: board.engine.options });
    default:
      throw new ConfigError(`unknown engine driver "${board.engine.driver}" (available: virtual)`, { pointer: '/engine/driver' });
  }
}

/** A running printer: HTTP server, printer, DNS-SD. */
export class System {
  readonly printer: Printer;
  readonly server: Server;
  readonly port: number;
  readonly #engine: Engine;
  readonly #advertiser: Advertiser | undefined;
  readonly #log: Logger;

  private constructor(printer: Printer, server: Server, port: number, engine: Engine, advertiser: Advertiser | undefined, log: Logger) {
    this.printer = printer;
    this.server = server;
    this.port = port;
    this.#engine = engine;
    this.#advertiser = advertiser;
    this.#log = log;
  }

  /** Load the board, open the state dir, start serving. Throws ConfigError for bad input. */
  static async start(opts: ServeOptions, version: string, log: Logger): Promise<System> {
    const board = await loadBoardConfig(resolve(opts.board ?? DEFAULT_BOARD));
    const stateDir = resolve(opts.stateDir);
    await prepareDir(stateDir);
    let identity = await loadIdentity(stateDir, log);
    const name = opts.name ?? board.name;
    const engine = createEngine(board, stateDir, log);
    const caps = engine.driver.capabilities;
    const formats = [...new Set(['application/octet-stream', ...RASTER_FORMATS, ...caps.passthroughFormats])].sort();
    const dnsSdName = identity.configuredName === name && identity.dnsSdName ? identity.dnsSdName : name;
    const printer = new Printer({
      capabilities: caps,
      driver: engine.driver,
      openPort: (l, signal) => engine.transport.open(new URL(board.engine.uri), board.engine.options, l, signal),
      board,
      config: {
        name,
        info: board.info,
        location: board.location,
        geoLocation: board.geoLocation,
        organization: board.organization,
        organizationalUnit: board.organizationalUnit,
        uuid: identity.uuid,
        dnsSdName,
        multipleOperationTimeOut: MULTIPLE_OPERATION_TIME_OUT,
        documentFormats: formats,
        documentFormatDefault: 'application/octet-stream',
        compression: COMPRESSION_SUPPORTED,
        operationsSupported: OPERATIONS_SUPPORTED,
        jobCreationAttributes: JOB_CREATION_ATTRIBUTES,
        printerDeviceId: caps.deviceId,
        firmwareVersion: version,
      },
      stateDir,
      port: opts.port,
      log: log.child({ mod: 'printer' }),
    });
    await printer.start();
    const server = createHttpServer(printer, log.child({ mod: 'http' }));
    server.listen(opts.port, opts.listen);
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    let advertiser: Advertiser | undefined;
    if (opts.dnssd) {
      advertiser = new Advertiser({ log: log.child({ mod: 'dnssd' }) });
      advertiser.onRenamed((newName) => {
        printer.updateConfig({ dnsSdName: newName });
        identity = { ...identity, dnsSdName: newName, configuredName: name };
        saveIdentity(stateDir, identity).catch((err: unknown) => log.warn({ err }, 'cannot save DNS-SD name'));
      });
      const host = `${hostname().split('.')[0] ?? 'ippbridge'}.local:${port}`;
      const services = buildServices(
        {
          makeAndModel: caps.makeAndModel,
          location: board.location,
          uuid: identity.uuid,
          adminUrl: `http://${host}/`,
          documentFormats: formats,
          color: caps.colorModes.includes('color'),
          duplex: caps.sides.some((s) => s !== 'one-sided'),
          urfSupported: urfSupported(caps),
          kind: caps.kind,
          mediaSupported: caps.media.supported,
        },
        port,
      );
      await advertiser.publish(dnsSdName, services);
    }
    return new System(printer, server, port, engine, advertiser, log);
  }

  /** Stop advertising, stop taking requests, end the active job, close the engine. */
  async stop(): Promise<void> {
    await this.#advertiser?.stop().catch((err: unknown) => this.#log.warn({ err }, 'DNS-SD stop failed'));
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
    await this.printer.stop();
    await this.#engine.close();
  }
}

export type { PrinterIdentity };
