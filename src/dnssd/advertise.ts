// DNS-SD advertisement over mDNS (RFC 6762/6763): probing with "Name (2)" renames, TXT re-announcement, goodbyes.
// The only importer of bonjour-service; see the notes on its 1.4.4 behaviour below.
// SPDX-License-Identifier: Apache-2.0

import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import Bonjour from 'bonjour-service';
import type { Service, ServiceConfig } from 'bonjour-service';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import { candidateNames, normalizeInstanceName, probe } from './probe.js';
import type { MdnsSocket } from './probe.js';
import type { ServiceSpec } from './txt.js';

export type { ServiceSpec } from './txt.js';

/** Options for an {@link Advertiser}. */
export interface AdvertiseOptions {
  readonly log: Logger;
  /** IPv4 address of the one interface to use for mDNS (memberships and sending), e.g. '127.0.0.1' in tests */
  readonly interfaceAddress?: string;
}

/** Bound on waiting for the library's send/close callbacks in stop(). */
const STOP_TIMEOUT_MS = 2000;
/** Placeholder given to bonjour-service for port 0, which it rejects; replaced before the records are built. */
const PLACEHOLDER_PORT = 9;

/** Advertises one printer's DNS-SD services under one instance name, renaming on conflicts. */
export class Advertiser {
  readonly #log: Logger;
  readonly #interfaceAddress: string | undefined;
  /** SRV target; bonjour-service would use the bare host name, which is not a .local name */
  readonly #host = `${hostname().split('.')[0] || 'ippbridge'}.local`;
  readonly #renameListeners: ((name: string) => void)[] = [];
  #bonjour: Bonjour | undefined;
  #mdns: MdnsSocket | undefined;
  #name = '';
  #specs: readonly ServiceSpec[] = [];
  /** aborted by stop() so a probe in progress ends at once */
  #stopping = new AbortController();
  /** public operations run one after another */
  #queue: Promise<void> = Promise.resolve();

  constructor(opts: AdvertiseOptions) {
    this.#log = opts.log;
    this.#interfaceAddress = opts.interfaceAddress;
  }

  /** The instance name in use, after any conflict rename; '' before publish(). */
  get instanceName(): string {
    return this.#name;
  }

  /** Call `listener` with the new name whenever the instance name changes, so it can be persisted. */
  onRenamed(listener: (name: string) => void): void {
    this.#renameListeners.push(listener);
  }

  /** Probe for a free name ("Name", "Name (2)", ...), then announce every service under it. */
  async publish(instanceName: string, services: readonly ServiceSpec[]): Promise<void> {
    const requested = normalizeInstanceName(instanceName);
    for (const spec of services) parseServiceType(spec.type);
    return await this.#serialize(async () => {
      await this.#unpublishAll();
      const bonjour = this.#open();
      const name = await this.#claimName(requested, services, this.#stopping.signal);
      if (name === undefined) return;
      this.#name = name;
      this.#specs = services;
      this.#announce(bonjour, services);
      if (name !== instanceName) {
        this.#log.warn({ requested: instanceName, instance: name }, 'DNS-SD instance renamed');
        this.#emitRenamed(name);
      }
      this.#log.info({ instance: name, types: services.map((s) => s.type) }, 'DNS-SD services published');
    });
  }

  /** Re-announce when the records changed (goodbyes for the old ones first); a no-op when they are equal. */
  async update(services: readonly ServiceSpec[]): Promise<void> {
    for (const spec of services) parseServiceType(spec.type);
    return await this.#serialize(async () => {
      if (isDeepStrictEqual(normalizeSpecs(services), normalizeSpecs(this.#specs))) {
        this.#log.debug({ instance: this.#name }, 'DNS-SD records unchanged');
        return;
      }
      this.#specs = services;
      const bonjour = this.#bonjour;
      if (bonjour === undefined || this.#name === '') return;
      // bonjour-service 1.4.4 has no TXT update and sets no cache-flush bit, so changed records are withdrawn
      // (TTL 0) and announced again; all services go together to keep the library's shared records consistent.
      await this.#unpublishAll();
      this.#announce(bonjour, services);
      this.#log.info({ instance: this.#name }, 'DNS-SD records re-announced');
    });
  }

  /** Send goodbyes (TTL 0) for every record, then close the mDNS socket. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    return await this.#serialize(async () => {
      const bonjour = this.#bonjour;
      if (bonjour === undefined) return;
      await this.#unpublishAll();
      this.#bonjour = undefined;
      this.#mdns = undefined;
      await callbackWithTimeout((done) => bonjour.destroy(done), this.#log);
      this.#log.info({ instance: this.#name }, 'DNS-SD services withdrawn');
    });
  }

  #serialize(operation: () => Promise<void>): Promise<void> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Create the responder once, with every error routed to the log instead of thrown. */
  #open(): Bonjour {
    if (this.#bonjour !== undefined) return this.#bonjour;
    // multicast-dns options pass through bonjour-service; bind to all addresses so multicast is received,
    // and keep memberships and sending on the one interface when asked.
    const mdnsOptions: Partial<ServiceConfig> & { interface?: string; bind?: string } = {};
    if (this.#interfaceAddress !== undefined) {
      mdnsOptions.interface = this.#interfaceAddress;
      mdnsOptions.bind = '0.0.0.0';
    }
    const bonjour = new Bonjour(mdnsOptions, (err: unknown) => this.#log.warn({ err }, 'mDNS responder error'));
    const mdns = mdnsSocketOf(bonjour);
    if (mdns === undefined) {
      this.#log.warn('mDNS socket not reachable; no conflict probing');
    } else {
      mdns.on('error', (err) => this.#log.warn({ err }, 'mDNS socket error'));
      mdns.on('warning', (err) => this.#log.debug({ err }, 'mDNS socket warning'));
    }
    this.#bonjour = bonjour;
    this.#mdns = mdns;
    this.#stopping = new AbortController();
    return bonjour;
  }

  /** First candidate name that no other responder answers for, or undefined when all are taken or stopped. */
  async #claimName(
    requested: string,
    services: readonly ServiceSpec[],
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const mdns = this.#mdns;
    if (mdns === undefined || services.length === 0) return requested;
    const onSendError = (err: unknown): void => this.#log.warn({ err }, 'mDNS probe not sent');
    for (const candidate of candidateNames(requested)) {
      const fqdns = services.map((s) => `${candidate}.${s.type}.local`);
      let isTaken: boolean;
      try {
        isTaken = await probe(mdns, fqdns, { signal, onSendError });
      } catch (err) {
        if (!signal.aborted) this.#log.warn({ err }, 'mDNS probe failed; not advertised');
        return undefined;
      }
      if (!isTaken) return candidate;
      this.#log.warn({ instance: candidate }, 'DNS-SD name in use');
    }
    this.#log.warn({ instance: requested }, 'DNS-SD gave up renaming; not advertised');
    return undefined;
  }

  /** Hand every service to bonjour-service; our own probe already ran. bonjour-service's probe is not used:
   * on a conflict it only logs to the console, emits nothing, and sends goodbyes for the name, which
   * withdraws the other printer's records from caches. */
  #announce(bonjour: Bonjour, services: readonly ServiceSpec[]): void {
    for (const spec of services) {
      const { type, protocol } = parseServiceType(spec.type);
      const isPortZero = spec.port === 0;
      try {
        const service: Service = bonjour.publish({
          name: this.#name,
          type,
          protocol,
          port: isPortZero ? PLACEHOLDER_PORT : spec.port,
          host: this.#host,
          subtypes: spec.subtypes.map((subtype) => subtype.replace(/^_/, '')),
          txt: { ...spec.txt },
          // bonjour-service 1.4.4 throws on port 0. With probe on, it builds the records only after its own
          // (redundant) probe, so the port can be set to 0 first; without it, the records go out at once.
          probe: isPortZero,
        });
        if (isPortZero) service.port = 0;
        service.on('error', (err: unknown) => this.#log.warn({ err, type: spec.type }, 'DNS-SD service error'));
      } catch (err) {
        this.#log.warn({ err, type: spec.type }, 'DNS-SD service not published');
      }
    }
  }

  async #unpublishAll(): Promise<void> {
    const bonjour = this.#bonjour;
    if (bonjour !== undefined) await callbackWithTimeout((done) => bonjour.unpublishAll(done), this.#log);
  }

  #emitRenamed(name: string): void {
    for (const listener of this.#renameListeners) {
      try {
        listener(name);
      } catch (err) {
        this.#log.warn({ err }, 'DNS-SD rename listener failed');
      }
    }
  }
}

/** bonjour-service keeps its multicast-dns socket private, but its 'error' event must be handled or it
 * crashes the process, and our probe needs it; reach it once here, checked at run time. */
function mdnsSocketOf(bonjour: Bonjour): MdnsSocket | undefined {
  const server: unknown = Reflect.get(bonjour, 'server');
  if (typeof server !== 'object' || server === null) return undefined;
  const mdns: unknown = Reflect.get(server, 'mdns');
  if (typeof mdns !== 'object' || mdns === null) return undefined;
  const hasMethods = ['on', 'removeListener', 'query'].every((key) => typeof Reflect.get(mdns, key) === 'function');
  return hasMethods ? (mdns as MdnsSocket) : undefined;
}

/** '_ipp._tcp' -> { type: 'ipp', protocol: 'tcp' } as bonjour-service wants it. */
function parseServiceType(type: string): { type: string; protocol: 'tcp' | 'udp' } {
  const match = /^_([A-Za-z0-9-]{1,15})\._(tcp|udp)$/.exec(type);
  if (match?.[1] === undefined || (match[2] !== 'tcp' && match[2] !== 'udp')) {
    throw new ConfigError(`DNS-SD service type ${JSON.stringify(type)} is not _name._tcp or _name._udp`);
  }
  return { type: match[1], protocol: match[2] };
}

function normalizeSpecs(services: readonly ServiceSpec[]): unknown {
  return services.map((s) => ({ type: s.type, subtypes: [...s.subtypes], port: s.port, txt: Object.entries(s.txt) }));
}

/** Run a callback-style library call; resolve when it calls back, throws, or after STOP_TIMEOUT_MS. */
async function callbackWithTimeout(start: (done: () => void) => void, log: Logger): Promise<void> {
  const timer = new AbortController();
  const finished = new Promise<void>((resolve) => {
    try {
      start(() => resolve());
    } catch (err) {
      log.warn({ err }, 'mDNS responder call failed');
      resolve();
    }
  });
  await Promise.race([finished, delay(STOP_TIMEOUT_MS, undefined, { signal: timer.signal }).catch(() => undefined)]);
  timer.abort();
}
