// A minimal SNMPv3 manager for the v3 tests: builds USM requests (discovery, authNoPriv, authPriv) and opens the
// agent's responses and reports. Interoperability with a real manager is the e2e test's job (Net-SNMP tools).
// SPDX-License-Identifier: Apache-2.0
import type { SnmpUser } from '../../src/config.js';
import { SnmpEngine, makeEngineId, snmpEngineProviders } from '../../src/snmp/engine-id.js';
import { createMibTree } from '../../src/snmp/mib.js';
import { SnmpCounters, snmpGroupProviders } from '../../src/snmp/counters.js';
import type { Oid, Pdu } from '../../src/snmp/types.js';
import { AUTH_PROTOCOLS, decryptScopedPdu, encryptScopedPdu, localizeUser, signMessage, verifyMessage, type LocalizedUser } from '../../src/snmp/usm.js';
import { V3Counters, v3CounterProviders } from '../../src/snmp/usm-stats.js';
import {
  MsgFlags,
  decodeScopedPdu,
  decodeUsmParameters,
  decodeV3Message,
  encodeScopedPdu,
  encodeV3Message,
  type ScopedPdu,
  type UsmSecurityParameters,
  type V3Header,
} from '../../src/snmp/v3-message.js';
import { V3Processor } from '../../src/snmp/v3-process.js';

/** The engineID the tests' agents use. */
export const TEST_ENGINE_ID = makeEngineId(Buffer.from('0011223344556677', 'hex'));

/** Users of the tests: one per security level. */
export const PRIV_USER: SnmpUser = { name: 'alice', authProtocol: 'SHA-256', authPassword: 'pass12345', privProtocol: 'AES', privPassword: 'pass67890' };
export const AUTH_USER: SnmpUser = { name: 'bob', authProtocol: 'SHA', authPassword: 'bob-password', privProtocol: undefined, privPassword: undefined };

/** A V3Processor on the snmp, snmpEngine and v3 counter groups, with a manual clock (milliseconds). */
export function makeProcessor(boots = 7, maxResponseBytes = 1472): {
  processor: V3Processor<object>;
  engine: SnmpEngine;
  v3Counters: V3Counters;
  counters: SnmpCounters;
  clock: { ms: number };
} {
  const clock = { ms: 1_000_000 };
  const engine = new SnmpEngine(TEST_ENGINE_ID, boots, () => clock.ms);
  const counters = new SnmpCounters();
  const v3Counters = new V3Counters();
  const tree = createMibTree<object>([...snmpGroupProviders(counters), ...snmpEngineProviders(engine), ...v3CounterProviders(v3Counters)]);
  const processor = new V3Processor<object>({
    engine,
    users: [PRIV_USER, AUTH_USER],
    counters,
    v3Counters,
    tree,
    capture: () => ({}),
    maxResponseBytes,
    maxBulkVarbinds: 48,
  });
  return { processor, engine, v3Counters, counters, clock };
}

/** What buildRequest sends. */
export interface RequestSpec {
  /** keys localized to `engineId`; absent for noAuthNoPriv */
  readonly user?: LocalizedUser;
  readonly userName: string;
  readonly level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  readonly engineId: Uint8Array;
  readonly boots: number;
  readonly time: number;
  readonly pdu: Pdu;
  readonly msgId?: number;
  readonly msgMaxSize?: number;
  readonly reportable?: boolean;
  readonly contextName?: string;
  readonly securityModel?: number;
  readonly salt?: Uint8Array;
}

/** Localize a configured user to an engineID (the manager side of RFC 3414 §A.2). */
export function managerKeys(user: SnmpUser, engineId: Uint8Array = TEST_ENGINE_ID): LocalizedUser {
  return localizeUser(user, engineId);
}

/** A GET PDU for `oids`. */
export function getPdu(requestId: number, ...oids: Oid[]): Pdu {
  return { type: 'get', requestId, errorStatus: 0, errorIndex: 0, varbinds: oids.map((oid) => ({ oid, value: { type: 'null' } })) };
}

/** Encode one request as a manager does (RFC 3414 §3.1: encrypt, then sign). */
export function buildRequest(spec: RequestSpec): Buffer {
  const auth = spec.level !== 'noAuthNoPriv' && spec.user !== undefined;
  const priv = spec.level === 'authPriv' ? spec.user?.priv : undefined;
  const scoped = encodeScopedPdu({ contextEngineId: spec.engineId, contextName: Buffer.from(spec.contextName ?? ''), pdu: spec.pdu });
  const salt = priv === undefined ? new Uint8Array(0) : (spec.salt ?? Buffer.from('a1a2a3a4a5a6a7a8', 'hex'));
  const data =
    priv === undefined
      ? { kind: 'plaintext' as const, bytes: scoped }
      : { kind: 'encrypted' as const, bytes: encryptScopedPdu(priv.protocol, priv.key, spec.boots, spec.time, salt, scoped) };
  const flags = (auth ? MsgFlags.auth : 0) | (priv ? MsgFlags.priv : 0) | (spec.reportable === false ? 0 : MsgFlags.reportable);
  const { bytes, authParamsOffset } = encodeV3Message({
    header: { msgId: spec.msgId ?? 4242, msgMaxSize: spec.msgMaxSize ?? 65507, msgFlags: flags, securityModel: spec.securityModel ?? 3 },
    security: {
      engineId: spec.engineId,
      engineBoots: spec.boots,
      engineTime: spec.time,
      userName: Buffer.from(spec.userName),
      authParams: auth ? new Uint8Array(AUTH_PROTOCOLS[spec.user.auth].macLength) : new Uint8Array(0),
      privParams: salt,
    },
    data,
  });
  if (auth) signMessage(spec.user.auth, spec.user.authKey, bytes, authParamsOffset);
  return bytes;
}

/** An opened agent message: header, security parameters, whether its digest verified, and the scopedPDU. */
export interface Opened {
  readonly header: V3Header;
  readonly params: UsmSecurityParameters;
  readonly isAuthentic: boolean | undefined;
  readonly scoped: ScopedPdu;
}

/** Decode (and with `user`, verify and decrypt) a message from the agent. */
export function openResponse(bytes: Uint8Array, user?: LocalizedUser): Opened {
  const msg = decodeV3Message(bytes);
  const { params, authParamsOffset } = decodeUsmParameters(msg.securityParameters);
  const isAuth = (msg.header.msgFlags & MsgFlags.auth) !== 0;
  const isAuthentic = isAuth && user ? verifyMessage(user.auth, user.authKey, bytes, msg.securityParametersOffset + authParamsOffset, params.authParams) : undefined;
  let plain = msg.data.bytes;
  if (msg.data.kind === 'encrypted') {
    if (user?.priv === undefined) throw new Error('encrypted response without a privacy key');
    plain = decryptScopedPdu(user.priv.protocol, user.priv.key, params.engineBoots, params.engineTime, params.privParams, msg.data.bytes);
  }
  return { header: msg.header, params, isAuthentic, scoped: decodeScopedPdu(plain, false) };
}
