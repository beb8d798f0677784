// One printer: capabilities, configuration, identity, the state model, the job queue and the attribute views.
// SPDX-License-Identifier: Apache-2.0
import type { Logger } from 'pino';
import type { DriverCapabilities, RasterDriver } from '../../drivers/driver.js';
import type { TransportPort } from '../../drivers/transports/transport.js';
import { LINK_DOWN_REASONS } from '../../drivers/transports/link.js';
import type { IppAttribute, IppGroup } from '../ipp/types.js';
import { selectAttributes } from './select-attributes.js';
import type { BoardConfig } from '../config.js';
import { JobQueue } from '../job/queue.js';
import type { Recovery } from '../job/pipeline.js';
import { join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { JobStore } from '../job/store.js';
import { PrinterState } from './state.js';
import { buildDynamicPrinterAttributes, buildStaticPrinterAttributes, type PrinterConfig, type PrinterStatusView } from './description.js';
import { enumValue, keyword } from '../ipp/build.js';

/** Largest streamed document kept for reprinting after an engine is unplugged mid-job. */
export const REPLAY_MAX_BYTES = 512 * 1024 * 1024;

/** How often the engine's status is read. */
export const STATUS_POLL_MS = 500;

/** Everything a printer is built from (system.ts wires concrete drivers in). */
export interface PrinterDeps {
  readonly capabilities: DriverCapabilities;
  readonly driver: RasterDriver;
  readonly openPort: (log: Logger, signal: AbortSignal) => Promise<TransportPort>;
  /** the engine link, when the port is kept open between jobs or can go down (status polls, offline reasons) */
  readonly link?: EngineLinkView;
  /** what a job does when the engine link drops mid-job */
  readonly recovery?: Recovery;
  readonly board: BoardConfig;
  readonly config: PrinterConfig;
  readonly stateDir: string;
  readonly port: number;
  readonly log: Logger;
}

/** What the printer reads from the engine link (drivers/transports/link.ts). */
export interface EngineLinkView {
  readonly persistent: boolean;
  readonly reasons: readonly string[];
  readonly idlePort: TransportPort | undefined;
  on(event: 'change', listener: () => void): unknown;
}

/** Create the replay directory empty: copies left by a crash belong to jobs recovered from the spool or lost. */
async function prepareReplayDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Operator-chosen job defaults (web Media page); an absent field keeps the engine's own default. */
export interface JobDefaults {
  readonly media?: string;
  readonly sides?: string;
  readonly printColorMode?: string;
  readonly printQuality?: number;
}

/** The *-default attributes `defaults` replaces (media-default goes through the capabilities). */
function applyJobDefaults(attrs: IppAttribute[], defaults: JobDefaults): IppAttribute[] {
  const values: Record<string, IppAttribute['values'] | undefined> = {
    'sides-default': defaults.sides === undefined ? undefined : [keyword(defaults.sides)],
    'print-color-mode-default': defaults.printColorMode === undefined ? undefined : [keyword(defaults.printColorMode)],
    'print-quality-default': defaults.printQuality === undefined ? undefined : [enumValue(defaults.printQuality)],
  };
  return attrs.map((a) => {
    const v = values[a.name];
    return v === undefined ? a : { name: a.name, values: v };
  });
}

/** The printer object the operations and pages work on. */
export class Printer {
  readonly #engineCapabilities: DriverCapabilities;
  #capabilities: DriverCapabilities;
  #defaults: JobDefaults = {};
  readonly #configListeners: (() => void)[] = [];
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
  /** a change arrived while a poll ran: poll once more when it ends */
  #pollAgain = false;
  readonly #link: EngineLinkView | undefined;
  readonly #stateDir: string;

  constructor(deps: PrinterDeps) {
    this.#engineCapabilities = deps.capabilities;
    this.#capabilities = deps.capabilities;
    this.driver = deps.driver;
    this.board = deps.board;
    this.#config = deps.config;
    this.port = deps.port;
    this.log = deps.log;
    this.#link = deps.link;
    this.#stateDir = deps.stateDir;
    this.state = new PrinterState(new Date(), deps.capabilities.media.ready);
    this.jobs = new JobQueue({
      store: new JobStore(deps.stateDir, deps.log.child({ mod: 'spool' })),
      pipeline: {
        driver: deps.driver,
        openPort: deps.openPort,
        state: this.state,
        ...(deps.recovery === undefined ? {} : { recovery: deps.recovery }),
        // Kept-open links (USB, serial) can be unplugged and come back: keep streamed documents to print again.
        ...(deps.link?.persistent ? { replay: { dir: join(deps.stateDir, 'replay'), maxBytes: REPLAY_MAX_BYTES } } : {}),
      },
      state: this.state,
      log: deps.log.child({ mod: 'job' }),
      multipleOperationTimeOut: deps.config.multipleOperationTimeOut,
      spoolMaxBytes: deps.board.spool?.maxBytes,
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
  /** The engine's capabilities, media-default replaced by the operator's default media. */
  get capabilities(): DriverCapabilities {
    return this.#capabilities;
  }
  /** Operator-chosen job defaults (empty: the engine's). */
  get jobDefaults(): JobDefaults {
    return this.#defaults;
  }

  /** Call `listener` after each configuration or default change (DNS-SD re-announcement, persistence). */
  onConfigChange(listener: () => void): void {
    this.#configListeners.push(listener);
  }

  /** Set the job defaults (values already checked against the capabilities); attributes change at once. */
  setJobDefaults(defaults: JobDefaults): void {
    this.#defaults = { ...defaults };
    const media = defaults.media ?? this.#engineCapabilities.media.default;
    this.#capabilities = { ...this.#engineCapabilities, media: { ...this.#engineCapabilities.media, default: media } };
    this.updateConfig({});
  }

  /** Set the media loaded per source (entry i in media-source i; '' for none). */
  setMediaReady(ready: readonly string[]): void {
    this.state.setMediaReady(ready, new Date());
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
    this.#version++;
    for (const listener of this.#configListeners) listener();
  }

  /** Load jobs and start watching the engine. */
  async start(): Promise<void> {
    if (this.#link?.persistent) await prepareReplayDir(join(this.#stateDir, 'replay'));
    await this.jobs.load();
    await this.pollStatus();
    this.#link?.on('change', () => void this.pollStatus());
    this.#poll = setInterval(() => void this.pollStatus(), STATUS_POLL_MS);
    this.#poll.unref();
  }

  /** Read the engine's status once into the state model (the link's reasons while it is down). */
  async pollStatus(): Promise<void> {
    const link = this.#link;
    if (!this.driver.status && !link) return;
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
    const port = link?.idlePort;
    // A job holds a kept-open port: keep the last status rather than talk across the job's data, except what the
    // link said while it was down (it came back up and the job took the port before a poll could read it).
    if (link?.persistent && port === undefined && link.reasons.length === 0) {
      if (LINK_DOWN_REASONS.every((r) => this.state.engineReasons.includes(r))) {
        this.state.setEngineStatus({ reasons: [], supplies: this.state.supplies }, new Date());
      }
      return;
    }
    this.#polling = true;
    try {
      const linkReasons = link?.reasons ?? [];
      const status =
        linkReasons.length > 0 || !this.driver.status
          ? { reasons: [], supplies: this.state.supplies }
          : await this.driver.status(port, this.log);
      this.state.setEngineStatus({ ...status, reasons: [...status.reasons, ...linkReasons] }, new Date());
    } catch (err) {
      this.log.warn({ err }, 'cannot read engine status');
    } finally {
      this.#polling = false;
      if (this.#pollAgain) {
        this.#pollAgain = false;
        void this.pollStatus();
      }
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
      fixed = applyJobDefaults(
        buildStaticPrinterAttributes(this.capabilities, this.#config, { host, secure, port: this.port, tlsAvailable: false }),
        this.#defaults,
      );
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
