// Board config loading and validation (board-configs/*.json, see board-configs/README.md).
// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { ConfigError } from './errors.js';
import { checkKeys, isRecord, oneOf, str } from './config-values.js';
import { parseSnmp, type SnmpConfig } from './config-snmp.js';
import { SECURITY_MODES, type SecurityMode } from './security/policy.js';
import { parseAuthConfig, type AuthConfig } from './security/auth-config.js';
import { parseBoardHardware, type BoardHardware } from './firmware/board-hardware.js';

export { DEFAULT_SYS_OBJECT_ID, SNMP_TRAP_PORT, type SnmpConfig, type SnmpTrapTarget, type SnmpUser } from './config-snmp.js';

/** The engine section: which driver speaks to which device. */
export interface EngineConfig {
  readonly driver: string;
  readonly uri: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** what a job does when the engine link drops mid-job; default 'reprint-page' */
  readonly recovery?: EngineRecovery;
}

/** Engine-link recovery rules (see board-configs/README.md). */
export const ENGINE_RECOVERY = ['reprint-page', 'restart-job', 'abort'] as const;
export type EngineRecovery = (typeof ENGINE_RECOVERY)[number];

function isRecovery(value: unknown): value is EngineRecovery {
  return typeof value === 'string' && (ENGINE_RECOVERY as readonly string[]).includes(value);
}

/** Spool settings (board config `spool`). */
export interface SpoolConfig {
  /** cap on the bytes of spooled documents; 0 = no cap of our own (the file system's free space still applies) */
  readonly maxBytes: number;
}

/** Default `spool.max-bytes`: 256 MiB. */
export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;

/** A parsed, validated board config. */
export interface BoardConfig {
  readonly name: string;
  readonly info: string;
  readonly location: string;
  readonly geoLocation: string | undefined;
  readonly organization: string;
  readonly organizationalUnit: string;
  readonly engine: EngineConfig;
  readonly snmp: SnmpConfig;
  /** TLS policy; absent in hand-built configs means mode 'open' */
  readonly security?: SecurityConfig;
  /** authentication and access control; absent means DEFAULT_AUTH (security/auth-config.ts) */
  readonly auth?: AuthConfig;
  /** absent in hand-built configs means the defaults */
  readonly spool?: SpoolConfig;
  /** the controller board (arch, memory, ports, GPIO lines); absent for a development config */
  readonly board?: BoardHardware;
}

const TOP_KEYS = new Set(['$schema', '$comment', 'name', 'info', 'location', 'geo-location', 'organization', 'organizational-unit', 'engine', 'snmp', 'spool', 'security', 'auth', 'board']);
const ENGINE_KEYS = new Set(['driver', 'uri', 'options', 'recovery']);
const SPOOL_KEYS = new Set(['max-bytes']);

function parseSpool(v: unknown, file: string): SpoolConfig {
  if (v === undefined) return { maxBytes: DEFAULT_SPOOL_MAX_BYTES };
  if (!isRecord(v)) throw new ConfigError('/spool must be an object', { file, pointer: '/spool' });
  checkKeys(v, SPOOL_KEYS, file, '/spool');
  const max = v['max-bytes'] ?? DEFAULT_SPOOL_MAX_BYTES;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) {
    throw new ConfigError('/spool/max-bytes must be a whole number of bytes, 0 or more', { file, pointer: '/spool/max-bytes' });
  }
  return { maxBytes: max };
}

/** Security settings (board config `security`, security.md §6). */
export interface SecurityConfig {
  readonly mode: SecurityMode;
}

function parseSecurity(v: unknown, file: string): SecurityConfig {
  if (v === undefined) return { mode: 'open' };
  if (!isRecord(v)) throw new ConfigError('/security must be an object', { file, pointer: '/security' });
  checkKeys(v, new Set(['mode']), file, '/security');
  return { mode: oneOf(v['mode'] ?? 'open', SECURITY_MODES, file, '/security/mode') };
}

/** Validate an already parsed board config document. */
export function parseBoardConfig(doc: unknown, file: string): BoardConfig {
  if (!isRecord(doc)) throw new ConfigError('the board config must be a JSON object', { file, pointer: '' });
  checkKeys(doc, TOP_KEYS, file, '');
  const engine = doc['engine'];
  if (!isRecord(engine)) throw new ConfigError('/engine must be an object', { file, pointer: '/engine' });
  checkKeys(engine, ENGINE_KEYS, file, '/engine');
  const options = engine['options'] ?? {};
  if (!isRecord(options)) throw new ConfigError('/engine/options must be an object', { file, pointer: '/engine/options' });
  const uri = str(engine, 'uri', file, '/engine');
  if (!URL.canParse(uri)) throw new ConfigError(`/engine/uri is not a URI: ${uri}`, { file, pointer: '/engine/uri' });
  const recovery = engine['recovery'] ?? 'reprint-page';
  if (!isRecovery(recovery)) {
    throw new ConfigError(`/engine/recovery must be one of ${ENGINE_RECOVERY.join(', ')}`, { file, pointer: '/engine/recovery' });
  }
  const geo = doc['geo-location'];
  if (geo !== undefined && geo !== null && (typeof geo !== 'string' || !geo.startsWith('geo:'))) {
    throw new ConfigError('/geo-location must be a geo: URI or null', { file, pointer: '/geo-location' });
  }
  const name = str(doc, 'name', file, '');
  if (name.trim() === '') throw new ConfigError('/name must not be empty', { file, pointer: '/name' });
  return {
    name,
    info: str(doc, 'info', file, '', name),
    location: str(doc, 'location', file, '', ''),
    geoLocation: typeof geo === 'string' ? geo : undefined,
    organization: str(doc, 'organization', file, '', ''),
    organizationalUnit: str(doc, 'organizational-unit', file, '', ''),
    engine: { driver: str(engine, 'driver', file, '/engine'), uri, options, ...(engine['recovery'] === undefined ? {} : { recovery }) },
    snmp: parseSnmp(doc['snmp'], file),
    security: parseSecurity(doc['security'], file),
    spool: parseSpool(doc['spool'], file),
    auth: parseAuthConfig(doc['auth'], file),
    ...(doc['board'] === undefined ? {} : { board: parseBoardHardware(doc['board'], file) }),
  };
}

/** Read and validate a board config file; every problem is a ConfigError naming the file and field. */
export async function loadBoardConfig(file: string): Promise<BoardConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read board config ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`board config ${file} is not valid JSON: ${(err as Error).message}`, { file, cause: err });
  }
  return parseBoardConfig(doc, file);
}
