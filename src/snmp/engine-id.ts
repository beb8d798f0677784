// The local SNMP engine (RFC 3411 §5 SNMP-FRAMEWORK-MIB snmpEngine group): an engineID generated once and
// persisted, snmpEngineBoots incremented and persisted on every start, snmpEngineTime counted from the start.
// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { readJsonTolerant, writeJsonAtomic } from '../state-dir.js';
import type { ScalarProvider } from './mib.js';

/** IANA Private Enterprise Number in the engineID: 99999 is a placeholder, as in the default sysObjectID. */
export const ENGINE_ENTERPRISE_NUMBER = 99999;
/** engineID format 5: administratively assigned octets (RFC 3411 §5 SnmpEngineID). */
const FORMAT_OCTETS = 5;
/** Random octets in our engineID. */
const RANDOM_OCTETS = 8;
/** snmpEngineBoots stops here; RFC 3414 §2.2.2 then needs reconfiguration. */
export const MAX_ENGINE_BOOTS = 0x7fffffff;
/** Largest message the engine takes: a UDP/IPv4 payload (snmpEngineMaxMessageSize). */
export const ENGINE_MAX_MESSAGE_SIZE = 65507;
/** The state file, in the state directory. */
export const ENGINE_STATE_FILE = 'snmp.json';

/** engineID = 0x80000000 | PEN (4 octets), format 5, then `octets` (RFC 3411 §5). */
export function makeEngineId(octets: Uint8Array, enterprise = ENGINE_ENTERPRISE_NUMBER): Buffer {
  const id = Buffer.alloc(5 + octets.length);
  id.writeUInt32BE((0x80000000 | enterprise) >>> 0, 0);
  id[4] = FORMAT_OCTETS;
  id.set(octets, 5);
  return id;
}

/** The local engine: identity and boot count fixed at load, time counted from then (RFC 3414 §2.2). */
export class SnmpEngine {
  readonly engineId: Buffer;
  readonly boots: number;
  readonly #now: () => number;
  readonly #start: number;

  /** `now` is a monotonic clock in milliseconds (performance.now by default; tests inject one). */
  constructor(engineId: Uint8Array, boots: number, now: () => number = () => performance.now()) {
    this.engineId = Buffer.from(engineId);
    this.boots = boots;
    this.#now = now;
    this.#start = now();
  }

  /** snmpEngineTime: whole seconds since this start (RFC 3414 §2.2.1). */
  time(): number {
    return Math.min(Math.floor((this.#now() - this.#start) / 1000), MAX_ENGINE_BOOTS);
  }
}

interface PersistedEngine {
  readonly engineIdOctets: string;
  readonly boots: number;
}

function parsePersisted(doc: unknown): PersistedEngine | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const octets: unknown = Reflect.get(doc, 'engineIdOctets');
  const boots: unknown = Reflect.get(doc, 'boots');
  if (typeof octets !== 'string' || !/^([0-9a-f]{2}){1,27}$/.test(octets)) return undefined;
  if (typeof boots !== 'number' || !Number.isInteger(boots) || boots < 0 || boots > MAX_ENGINE_BOOTS) return undefined;
  return { engineIdOctets: octets, boots };
}

/**
 * Load <stateDir>/snmp.json, increment snmpEngineBoots and write it back before the agent answers (RFC 3414 §2.2.2).
 * A missing or invalid file starts a new engine (new engineID, boots 1). Throws StateError if the file cannot be
 * written: serving SNMPv3 with a boot count that was not persisted would allow replays after a restart.
 */
export async function loadSnmpEngine(stateDir: string, log: Logger, now?: () => number): Promise<SnmpEngine> {
  const file = join(stateDir, ENGINE_STATE_FILE);
  const doc = await readJsonTolerant(file, log);
  const previous = parsePersisted(doc);
  if (previous === undefined && doc !== undefined) log.warn({ file }, 'invalid SNMP engine state; a new engineID is generated');
  const engineIdOctets = previous?.engineIdOctets ?? randomBytes(RANDOM_OCTETS).toString('hex');
  const boots = Math.min((previous?.boots ?? 0) + 1, MAX_ENGINE_BOOTS);
  if (boots === MAX_ENGINE_BOOTS) log.warn({ file }, 'snmpEngineBoots reached its maximum; SNMPv3 requests will be refused');
  const state: PersistedEngine = { engineIdOctets, boots };
  await writeJsonAtomic(file, state);
  return new SnmpEngine(makeEngineId(Buffer.from(engineIdOctets, 'hex')), boots, now);
}

/**
 * First boot: create <stateDir>/snmp.json with a new engineID and snmpEngineBoots 0 when it is missing or invalid, so
 * the engineID exists before any SNMPv3 user is configured (the first loadSnmpEngine then counts boot 1). Returns the
 * engineID.
 */
export async function ensureSnmpEngineId(stateDir: string, log: Logger): Promise<Buffer> {
  const file = join(stateDir, ENGINE_STATE_FILE);
  const previous = parsePersisted(await readJsonTolerant(file, log));
  if (previous !== undefined) return makeEngineId(Buffer.from(previous.engineIdOctets, 'hex'));
  const state: PersistedEngine = { engineIdOctets: randomBytes(RANDOM_OCTETS).toString('hex'), boots: 0 };
  await writeJsonAtomic(file, state);
  return makeEngineId(Buffer.from(state.engineIdOctets, 'hex'));
}

const SNMP_ENGINE = [1, 3, 6, 1, 6, 3, 10, 2, 1];

/** Scalars of the snmpEngine group (1.3.6.1.6.3.10.2.1.1-4) reading `engine` live. */
export function snmpEngineProviders(engine: SnmpEngine): ScalarProvider<object>[] {
  return [
    { kind: 'scalar', oid: [...SNMP_ENGINE, 1], read: () => ({ type: 'octets', value: engine.engineId }) },
    { kind: 'scalar', oid: [...SNMP_ENGINE, 2], read: () => ({ type: 'integer', value: engine.boots }) },
    { kind: 'scalar', oid: [...SNMP_ENGINE, 3], read: () => ({ type: 'integer', value: engine.time() }) },
    { kind: 'scalar', oid: [...SNMP_ENGINE, 4], read: () => ({ type: 'integer', value: ENGINE_MAX_MESSAGE_SIZE }) },
  ];
}
