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
import { SnmpAgent } from './snmp/agent.js';
import { SnmpCounters, snmpGroupProviders } from './snmp/counters.js';
import { createMibTree, printerMibProviders } from './snmp/mib.js';
import { SnmpState } from './snmp/view.js';
import { loadSnmpEngine, snmpEngineProviders } from './snmp/engine-id.js';
import { V3Counters, v3CounterProviders } from './snmp/usm-stats.js';
import { startTraps } from './snmp/traps.js';
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

interface Snmp {
  readonly agent: { stop(): Promise<void> };
  readonly state: SnmpState;
  readonly traps: { close(): Promise<void> };
  readonly port: number;
}

/** Start the Printer MIB agent; a port that cannot be bound is an error line and exit code 2, like the IPP port. */
async function startSnmp(
  printer: Printer,
  board: BoardConfig,
  opts: ServeOptions,
  ippPort: number,
  version: string,
  stateDir: string,
  log: Logger,
): Promise<Snmp> {
  // SNMPv3: engineID and snmpEngineBoots persisted in the state dir, loaded only when users are configured.
  const snmpLog = log.child({ mod: 'snmp' });
  const engine = board.snmp.users.length > 0 ? await loadSnmpEngine(stateDir, snmpLog) : undefined;
  const v3Counters = new V3Counters();
  const host = opts.listen && opts.listen !== '::' && opts.listen !== '0.0.0.0' ? opts.listen : hostname();
  const shown = host.includes(':') ? `[${host}]` : host;
  const state = new SnmpState(printer, {
    sysObjectId: board.snmp.sysObjectId,
    firmwareVersion: version,
    boardName: board.name,
    sysContact: board.snmp.contact,
    printerUri: () => `ipp://${shown}:${ippPort}/ipp/print`,
  });
  const counters = new SnmpCounters();
  const tree = createMibTree([
    ...printerMibProviders(),
    ...snmpGroupProviders(counters),
    ...(engine === undefined ? [] : [...snmpEngineProviders(engine), ...v3CounterProviders(v3Counters)]),
  ]);
  const agent = new SnmpAgent(tree, () => state.capture(), {
    port: opts.snmpPort ?? 0,
    ...(opts.listen !== undefined ? { address: opts.listen } : {}),
    communities: board.snmp.communities,
    log,
    counters,
    ...(engine === undefined ? {} : { v3: { engine, users: board.snmp.users, counters: v3Counters } }),
  });
  try {
    const port = await agent.start();
    const traps = startTraps(state, board.snmp.trapTargets, snmpLog);
    return { agent, state, traps, port };
  } catch (err) {
    state.close();
    throw err;
  }
}

/** A running printer: HTTP server, printer, DNS-SD, SNMP agent. */
export class System {
  readonly printer: Printer;
  readonly server: Server;
  readonly port: number;
  readonly #engine: Engine;
  readonly #advertiser: Advertiser | undefined;
  readonly #snmp: Snmp | undefined;
  readonly #log: Logger;

  private constructor(
    printer: Printer,
    server: Server,
    port: number,
    engine: Engine,
    advertiser: Advertiser | undefined,
    snmp: Snmp | undefined,
    log: Logger,
  ) {
    this.printer = printer;
    this.server = server;
    this.port = port;
    this.#engine = engine;
    this.#advertiser = advertiser;
    this.#snmp = snmp;
    this.#log = log;
  }

  /** The SNMP agent's UDP port, when it runs. */
  get snmpPort(): number | undefined {
    return this.#snmp?.port;
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
    const snmp = opts.snmpPort === undefined ? undefined : await startSnmp(printer, board, opts, port, version, stateDir, log);
    return new System(printer, server, port, engine, advertiser, snmp, log);
  }

  /** Stop advertising, stop taking requests, end the active job, close the engine. */
  async stop(): Promise<void> {
    if (this.#snmp) {
      await this.#snmp.agent.stop();
      await this.#snmp.traps.close();
      this.#snmp.state.close();
    }
    await this.#advertiser?.stop().catch((err: unknown) => this.#log.warn({ err }, 'DNS-SD stop failed'));
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
    await this.printer.stop();
    await this.#engine.close();
  }
}

export type { PrinterIdentity };
