// One printer: capabilities, configuration, identity, the state model, the job queue and the attribute views.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { DriverCapabilities, RasterDriver } from '../../drivers/driver.js';
import type { TransportPort } from '../../drivers/transports/transport.js';
import type { IppAttribute, IppGroup } from '../ipp/types.js';
import { selectAttributes } from './select-attributes.js';
import type { BoardConfig } from '../config.js';
import { JobQueue } from '../job/queue.js';
import { JobStore } from '../job/store.js';
import { PrinterState } from './state.js';
import { buildDynamicPrinterAttributes, buildStaticPrinterAttributes, type PrinterConfig, type PrinterStatusView } from './description.js';

/** How often the engine's status is read. */
export const STATUS_POLL_MS = 500;

/** Everything a printer is built from (system.ts wires concrete drivers in). */
export interface PrinterDeps {
  readonly capabilities: DriverCapabilities;
  readonly driver: RasterDriver;
  readonly openPort: (log: Logger, signal: AbortSignal) => Promise<TransportPort>;
  readonly board: BoardConfig;
  readonly config: PrinterConfig;
  readonly stateDir: string;
  readonly port: number;
  readonly log: Logger;
}

/** The printer object the operations and pages work on. */
export class Printer {
  readonly capabilities: DriverCapabilities;
  readonly driver: RasterDriver;
  readonly board: BoardConfig;
  readonly state: PrinterState;
  readonly jobs: JobQueue;
  readonly log: Logger;
  readonly port: number;
  #config: PrinterConfig;
  #staticCache = new Map<string, IppAttribute[]>();
  /** Get-Printer-Attributes answers by client view; valid for one state version within one second. */
  #groupCache = new Map<string, { version: number; second: number; group: IppGroup }>();
  #version = 0;
  #poll: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(deps: PrinterDeps) {
    this.capabilities = deps.capabilities;
    this.driver = deps.driver;
    this.board = deps.board;
    this.#config = deps.config;
    this.port = deps.port;
    this.log = deps.log;
    this.state = new PrinterState(new Date(), deps.capabilities.media.ready);
    this.jobs = new JobQueue({
      store: new JobStore(deps.stateDir, deps.log.child({ mod: 'spool' })),
      pipeline: { driver: deps.driver, openPort: deps.openPort, state: this.state },
      state: this.state,
      log: deps.log.child({ mod: 'job' }),
      multipleOperationTimeOut: deps.config.multipleOperationTimeOut,
    });
    const syncMediaNeeded = (): void => {
      const needed = this.state.isMediaMissing && this.jobs.hasWork;
      this.state.setReasons(needed ? { add: ['media-needed'] } : { remove: ['media-needed'] }, new Date());
    };
    this.state.on('change', syncMediaNeeded);
    this.jobs.on('change', syncMediaNeeded);
    const bump = (): void => {
      this.#version++;
    };
    this.state.on('change', bump);
    this.jobs.on('change', bump);
  }

  get config(): PrinterConfig {
    return this.#config;
  }
  get name(): string {
    return this.#config.name;
  }
  get isAcceptingJobs(): boolean {
    return true;
  }

  /** Change configuration (e.g. the DNS-SD name after a conflict); invalidates cached attributes. */
  updateConfig(change: Partial<PrinterConfig>): void {
    this.#config = { ...this.#config, ...change };
    this.#staticCache.clear();
    this.#groupCache.clear();
  }

  /** Load jobs and start watching the engine. */
  async start(): Promise<void> {
    await this.jobs.load();
    await this.pollStatus();
    this.#poll = setInterval(() => void this.pollStatus(), STATUS_POLL_MS);
    this.#poll.unref();
  }

  /** Read the engine's status once into the state model. */
  async pollStatus(): Promise<void> {
    if (!this.driver.status || this.#polling) return;
    this.#polling = true;
    try {
      this.state.setEngineStatus(await this.driver.status(undefined, this.log), new Date());
    } catch (err) {
      this.log.warn({ err }, 'cannot read engine status');
    } finally {
      this.#polling = false;
    }
  }

  async stop(): Promise<void> {
    if (this.#poll) clearInterval(this.#poll);
    await this.jobs.stop();
  }

  /** The status view the attribute builders read. Times are Unix seconds (CUPS convention). */
  statusView(now = new Date()): PrinterStatusView {
    const s = this.state;
    const secs = (d: Date): number => Math.floor(d.getTime() / 1000);
    return {
      state: s.state,
      reasons: s.reasons,
      message: s.message,
      stateChangeTime: secs(s.stateChangeDate),
      stateChangeDate: s.stateChangeDate,
      configChangeTime: secs(s.configChangeDate),
      configChangeDate: s.configChangeDate,
      upTime: secs(now),
      currentTime: now,
      isAcceptingJobs: this.isAcceptingJobs,
      queuedJobCount: this.jobs.queuedCount,
      supplies: s.supplies,
      mediaReady: s.mediaReady,
      impressionsCompleted: s.impressionsCompleted,
    };
  }

  /** Every printer attribute as seen by a client that used `host` (media-col-database included). */
  attributes(host: string, secure: boolean): IppAttribute[] {
    const key = `${secure ? 's' : ''}${host}`;
    let fixed = this.#staticCache.get(key);
    if (!fixed) {
      fixed = buildStaticPrinterAttributes(this.capabilities, this.#config, { host, secure, port: this.port, tlsAvailable: false });
      if (this.#staticCache.size > 64) this.#staticCache.clear();
      this.#staticCache.set(key, fixed);
    }
    return fixed.concat(buildDynamicPrinterAttributes(this.capabilities, this.statusView()));
  }

  /**
   * The printer attributes group answering Get-Printer-Attributes with `requested`. The same object is returned
   * while nothing changed within the same second, so the encoder can reuse its bytes.
   */
  printerGroup(host: string, secure: boolean, requested: readonly string[] | undefined): IppGroup {
    const key = `${secure ? 's' : ''}${host}|${requested?.join(',') ?? ''}`;
    const now = new Date();
    const second = Math.floor(now.getTime() / 1000);
    const hit = this.#groupCache.get(key);
    if (hit && hit.version === this.#version && hit.second === second) return hit.group;
    const group: IppGroup = { tag: 'printer', attributes: selectAttributes(this.attributes(host, secure), requested) };
    if (this.#groupCache.size >= 64) this.#groupCache.clear();
    this.#groupCache.set(key, { version: this.#version, second, group });
    return group;
  }

  /** ipp://host/ipp/print for a client that used `host`. */
  printerUri(host: string, secure: boolean): string {
    return `${secure ? 'ipps' : 'ipp'}://${host}/ipp/print`;
  }
}
