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
import { prepareDir } from './state-dir.js';
import { Printer } from './printer/printer.js';
import { loadIdentity, saveIdentity, type PrinterIdentity } from './printer/identity.js';
import { createHttpServer } from './server/http.js';
import { enableTls, type SecureServing } from './security/secure-server.js';
import { DNSSD_TLS_VERSION, offersPlaintext, requiresTls } from './security/policy.js';
import { OPERATIONS_SUPPORTED } from './operations/index.js';
import { COMPRESSION_SUPPORTED } from './operations/job-request.js';
import { JOB_CREATION_ATTRIBUTES } from './job/options.js';
import { Advertiser } from './dnssd/advertise.js';
import { buildServices } from './dnssd/txt.js';
import { urfSupported } from './printer/urf.js';
import { createEngine, effectiveEngine, type Engine } from './engine.js';
import { SnmpAgent } from './snmp/agent.js';
import { SnmpCounters, snmpGroupProviders } from './snmp/counters.js';
import { createMibTree, printerMibProviders } from './snmp/mib.js';
import { SnmpState } from './snmp/view.js';
import { loadSnmpEngine, snmpEngineProviders } from './snmp/engine-id.js';
import { V3Counters, v3CounterProviders } from './snmp/usm-stats.js';
import { startTraps } from './snmp/traps.js';
import { Authenticator } from './security/authenticate.js';
import { DEFAULT_AUTH } from './security/auth-config.js';
import { UserStore } from './security/users.js';
import type { TlsContext } from './security/tls-context.js';
import { WebSite } from './web/site.js';
import { SettingsStore, applyStateSettings } from './web/settings.js';
import { syncDnsSd } from './web/dnssd-sync.js';

/** The board config used when --board is not given: the virtual engine. */
export const DEFAULT_BOARD = fileURLToPath(new URL('../../board-configs/virtual.json', import.meta.url));

/** Seconds a Create-Job waits for its document. */
export const MULTIPLE_OPERATION_TIME_OUT = 60;

/** Raster formats the stack decodes itself; drivers may add pass-through formats. */
const RASTER_FORMATS = ['image/jpeg', 'image/pwg-raster', 'image/urf'] as const;

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
  /** set right after construction (start) */
  #secure: SecureServing | undefined;

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
    const securityMode = opts.security ?? board.security?.mode ?? 'open';
    const engine = await createEngine(effectiveEngine(board.engine, opts.engine, opts.driver), stateDir, log);
    const caps = engine.driver.capabilities;
    // Settings made on the web pages (settings.json) win over the board config; --name wins over both.
    const settings = await SettingsStore.open(stateDir, caps, log.child({ mod: 'web' }));
    const saved = settings.current;
    const name = opts.name ?? saved.name ?? board.name;
    const formats = [...new Set(['application/octet-stream', ...RASTER_FORMATS, ...caps.passthroughFormats])].sort();
    const dnsSdName = identity.configuredName === name && identity.dnsSdName ? identity.dnsSdName : name;
    const printer = new Printer({
      capabilities: caps,
      driver: engine.driver,
      openPort: (l, signal) => engine.link.acquire(l, signal),
      link: engine.link,
      ...(engine.config.recovery === undefined ? {} : { recovery: engine.config.recovery }),
      board,
      config: {
        name,
        info: board.info,
        location: saved.location ?? board.location,
        geoLocation: 'geoLocation' in saved ? saved.geoLocation : board.geoLocation,
        organization: saved.organization ?? board.organization,
        organizationalUnit: saved.organizationalUnit ?? board.organizationalUnit,
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
        securityMode,
      },
      stateDir,
      port: opts.port,
      log: log.child({ mod: 'printer' }),
    });
    await printer.start();
    applyStateSettings(printer, saved);
    engine.link.start();
    const users = await UserStore.open(stateDir, { log: log.child({ mod: 'auth' }) });
    const auth = await Authenticator.open({ config: board.auth ?? DEFAULT_AUTH, users, log: log.child({ mod: 'auth' }) });
    let tls: TlsContext | undefined;
    let snmpPort: number | undefined;
    const web = new WebSite({
      printer,
      log: log.child({ mod: 'web' }),
      auth,
      mode: securityMode,
      users,
      settings,
      tls: () => tls,
      stateDir,
      engineUri: engine.config.uri,
      network: () => ({ ippPort: port, snmpPort }),
    });
    web.prepareIcons();
    const server = createHttpServer(printer, log.child({ mod: 'http' }), { mode: securityMode, auth, web });
    const secure = await enableTls(server, { stateDir, mode: securityMode, log: log.child({ mod: 'tls' }) });
    tls = secure.tls;
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
      const services = (): ReturnType<typeof buildServices> => buildServices(
        {
          makeAndModel: caps.makeAndModel,
          location: printer.config.location,
          uuid: identity.uuid,
          adminUrl: `${requiresTls(securityMode) ? 'https' : 'http'}://${host}/`,
          documentFormats: formats,
          color: caps.colorModes.includes('color'),
          duplex: caps.sides.some((s) => s !== 'one-sided'),
          urfSupported: urfSupported(caps),
          kind: caps.kind,
          mediaSupported: caps.media.supported,
          tls: DNSSD_TLS_VERSION,
          air: board.auth?.anonymousPrinting === false ? 'username,password' : 'none',
        },
        port,
        { plain: offersPlaintext(securityMode) },
      );
      await advertiser.publish(dnsSdName, services());
      syncDnsSd(printer, advertiser, services, log.child({ mod: 'dnssd' }));
    }
    const snmp = opts.snmpPort === undefined ? undefined : await startSnmp(printer, board, opts, port, version, stateDir, log);
    snmpPort = snmp?.port;
    const system = new System(printer, server, port, engine, advertiser, snmp, log);
    system.#secure = secure;
    return system;
  }

  /** Stop advertising, stop taking requests, end the active job, close the engine. */
  async stop(): Promise<void> {
    if (this.#snmp) {
      await this.#snmp.agent.stop();
      await this.#snmp.traps.close();
      this.#snmp.state.close();
    }
    await this.#advertiser?.stop().catch((err: unknown) => this.#log.warn({ err }, 'DNS-SD stop failed'));
    this.#secure?.close();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
    await this.printer.stop();
    await this.#engine.close();
  }
}

export type { PrinterIdentity };
