// The board config's `snmp` section: communities, sysObjectID, SNMPv3 users and notification destinations.
// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import { checkKeys, isRecord, oneOf, str } from './config-values.js';

/** SNMP agent settings. */
export interface SnmpConfig {
  /** read-only SNMPv1/v2c communities; empty disables v1/v2c */
  readonly communities: readonly string[];
  /** sysObjectID */
  readonly sysObjectId: readonly number[];
  /** sysContact */
  readonly contact: string;
  /** SNMPv3 USM users (RFC 3414); empty disables SNMPv3 */
  readonly users: readonly SnmpUser[];
  /** SNMPv2c trap destinations (printerV2Alert); empty sends no traps */
  readonly trapTargets: readonly SnmpTrapTarget[];
}

/** One notification destination: an SNMPv2c trap (community) or an SNMPv3 inform (user). */
export interface SnmpTrapTarget {
  /** IPv4/IPv6 literal (without brackets) or host name */
  readonly host: string;
  readonly port: number;
  /** SNMPv2c trap community; undefined for an inform */
  readonly community: string | undefined;
  /** SNMPv3 inform user (one of snmp.users); undefined for a trap */
  readonly user: SnmpUser | undefined;
}

/** UDP port of SNMP notification receivers (RFC 3417 §3: snmptrap). */
export const SNMP_TRAP_PORT = 162;

/** One SNMPv3 user: authNoPriv without privProtocol, authPriv with it (noAuthNoPriv is not served). */
export interface SnmpUser {
  readonly name: string;
  readonly authProtocol: 'SHA' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** at least 8 characters (RFC 3414 §11.2) */
  readonly authPassword: string;
  /** AES is usmAesCfb128Protocol (RFC 3826); AES-192/AES-256 are Net-SNMP's Blumenthal variants */
  readonly privProtocol: 'AES' | 'AES-192' | 'AES-256' | undefined;
  /** at least 8 characters; set exactly when privProtocol is */
  readonly privPassword: string | undefined;
}

/**
 * sysObjectID until ippbridge has an IANA Private Enterprise Number: 99999 is not assigned to us, so boards should set
 * their own (see board-configs/README.md).
 */
export const DEFAULT_SYS_OBJECT_ID: readonly number[] = [1, 3, 6, 1, 4, 1, 99999, 1];

const SNMP_KEYS = new Set(['communities', 'sys-object-id', 'contact', 'users', 'traps']);
const TRAP_KEYS = new Set(['address', 'community', 'user']);
const USER_KEYS = new Set(['name', 'auth-protocol', 'auth-password', 'priv-protocol', 'priv-password']);
const AUTH_PROTOCOLS: readonly SnmpUser['authProtocol'][] = ['SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'];
const PRIV_PROTOCOLS: readonly NonNullable<SnmpUser['privProtocol']>[] = ['AES', 'AES-192', 'AES-256'];

/** Validate the `snmp` section (absent: community public, no users, no traps). */
export function parseSnmp(v: unknown, file: string): SnmpConfig {
  if (v === undefined) return { communities: ['public'], sysObjectId: DEFAULT_SYS_OBJECT_ID, contact: '', users: [], trapTargets: [] };
  if (!isRecord(v)) throw new ConfigError('/snmp must be an object', { file, pointer: '/snmp' });
  checkKeys(v, SNMP_KEYS, file, '/snmp');
  const communities = v['communities'] ?? ['public'];
  if (!Array.isArray(communities) || !communities.every((c) => typeof c === 'string' && c.length > 0 && c.length <= 64)) {
    throw new ConfigError('/snmp/communities must be an array of 1-64 character strings', { file, pointer: '/snmp/communities' });
  }
  const oidText = v['sys-object-id'] ?? DEFAULT_SYS_OBJECT_ID.join('.');
  if (typeof oidText !== 'string' || !/^1\.3\.6\.1(\.\d+)+$/.test(oidText)) {
    throw new ConfigError('/snmp/sys-object-id must be a dotted OID under 1.3.6.1', { file, pointer: '/snmp/sys-object-id' });
  }
  const users = parseUsers(v['users'], file);
  return {
    communities,
    sysObjectId: oidText.split('.').map(Number),
    contact: str(v, 'contact', file, '/snmp', ''),
    users,
    trapTargets: parseTraps(v['traps'], users, file),
  };
}

function parseTraps(v: unknown, users: readonly SnmpUser[], file: string): SnmpTrapTarget[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConfigError('/snmp/traps must be an array', { file, pointer: '/snmp/traps' });
  return v.map((item: unknown, i) => {
    const pointer = `/snmp/traps/${i}`;
    if (!isRecord(item)) throw new ConfigError(`${pointer} must be an object`, { file, pointer });
    checkKeys(item, TRAP_KEYS, file, pointer);
    const { community, user } = trapIdentity(item, users, file, pointer);
    const address = item['address'];
    const parsed = typeof address === 'string' ? parseHostPort(address) : undefined;
    if (parsed === undefined) {
      throw new ConfigError(`${pointer}/address must be "host:port", "[ipv6]:port" or a host (port ${SNMP_TRAP_PORT})`, {
        file,
        pointer: `${pointer}/address`,
      });
    }
    return { ...parsed, community, user };
  });
}

/** A trap's community, or an inform's user named from snmp.users: exactly one of them. */
function trapIdentity(
  item: Record<string, unknown>,
  users: readonly SnmpUser[],
  file: string,
  pointer: string,
): { community: string | undefined; user: SnmpUser | undefined } {
  const community = item['community'];
  const userName = item['user'];
  if ((community === undefined) === (userName === undefined)) {
    throw new ConfigError(`${pointer} needs either "community" (SNMPv2c trap) or "user" (SNMPv3 inform)`, { file, pointer });
  }
  if (userName !== undefined) {
    const user = users.find((u) => u.name === userName);
    if (!user) throw new ConfigError(`${pointer}/user must name one of /snmp/users`, { file, pointer: `${pointer}/user` });
    return { community: undefined, user };
  }
  if (typeof community !== 'string' || community.length === 0 || community.length > 64) {
    throw new ConfigError(`${pointer}/community must be a 1-64 character string`, { file, pointer: `${pointer}/community` });
  }
  return { community, user: undefined };
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal; undefined when malformed. */
function parseHostPort(text: string): { host: string; port: number } | undefined {
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (isIP(host) !== 6) return undefined;
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    // A name whose last label is numeric would be a malformed IPv4 address (RFC 1123 §2.1).
    if (isIP(host) !== 4 && (!HOST_NAME.test(host) || /(^|\.)\d+\.?$/.test(host))) return undefined;
  }
  if (portText === undefined) return { host, port: SNMP_TRAP_PORT };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

function parseUsers(v: unknown, file: string): SnmpUser[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConfigError('/snmp/users must be an array', { file, pointer: '/snmp/users' });
  const users = v.map((u: unknown, i) => parseUser(u, file, `/snmp/users/${i}`));
  const names = new Set<string>();
  for (const [i, user] of users.entries()) {
    if (names.has(user.name)) throw new ConfigError(`duplicate SNMPv3 user "${user.name}"`, { file, pointer: `/snmp/users/${i}/name` });
    names.add(user.name);
  }
  return users;
}

function password(obj: Record<string, unknown>, key: string, file: string, pointer: string): string {
  const value = str(obj, key, file, pointer);
  if ([...value].length < 8) throw new ConfigError(`${pointer}/${key} must have at least 8 characters`, { file, pointer: `${pointer}/${key}` });
  return value;
}

function parseUser(v: unknown, file: string, pointer: string): SnmpUser {
  if (!isRecord(v)) throw new ConfigError(`${pointer} must be an object`, { file, pointer });
  checkKeys(v, USER_KEYS, file, pointer);
  const name = str(v, 'name', file, pointer);
  if (name.length === 0 || Buffer.byteLength(name, 'utf8') > 32) {
    throw new ConfigError(`${pointer}/name must have 1-32 octets`, { file, pointer: `${pointer}/name` });
  }
  const authProtocol = oneOf(v['auth-protocol'], AUTH_PROTOCOLS, file, `${pointer}/auth-protocol`);
  const authPassword = password(v, 'auth-password', file, pointer);
  if (v['priv-protocol'] === undefined) {
    if (v['priv-password'] !== undefined) {
      throw new ConfigError(`${pointer}/priv-password needs priv-protocol`, { file, pointer: `${pointer}/priv-password` });
    }
    return { name, authProtocol, authPassword, privProtocol: undefined, privPassword: undefined };
  }
  const privProtocol = oneOf(v['priv-protocol'], PRIV_PROTOCOLS, file, `${pointer}/priv-protocol`);
  return { name, authProtocol, authPassword, privProtocol, privPassword: password(v, 'priv-password', file, pointer) };
}
