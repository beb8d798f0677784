// SNMPv3 request processing for a read-only agent: RFC 3412 §7.2 message checks, RFC 3414 §3.2 USM incoming
// steps (engineID, user, security level, digest, time window, decryption) with their reports, and the response
// built by respond() on the scopedPDU under SNMPv2 rules, encrypted and signed per RFC 3414 §3.1.
// SPDX-License-Identifier: Apache-2.0
import { SnmpDecodeError } from '../errors.js';
import type { SnmpUser } from '../config.js';
import type { SnmpCounters } from './counters.js';
import { ENGINE_MAX_MESSAGE_SIZE, MAX_ENGINE_BOOTS, type SnmpEngine } from './engine-id.js';
import { respond, type DropReason, type MibReader } from './respond.js';
import type { Pdu } from './types.js';
import { AUTH_PROTOCOLS, SALT_LENGTH, SaltSource, decryptScopedPdu, encryptScopedPdu, localizeUser, signMessage, verifyMessage, type LocalizedUser } from './usm.js';
import { V3_COUNTER_OIDS, type V3CounterName, type V3Counters } from './usm-stats.js';
import {
  MIN_MSG_MAX_SIZE,
  MsgFlags,
  USM_SECURITY_MODEL,
  decodeScopedPdu,
  decodeUsmParameters,
  decodeV3Message,
  encodeScopedPdu,
  encodeV3Message,
  type ScopedPdu,
  type UsmSecurityParameters,
  type V3Message,
} from './v3-message.js';

/** Seconds a message's engineTime may differ from ours (RFC 3414 §3.2 step 7a). */
export const TIME_WINDOW_SECONDS = 150;

/** Security levels (RFC 3411 §3.4.3). */
export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

/** What the processor needs: the engine, the users, the counters and what respond() answers from. */
export interface V3ProcessorOptions<V> {
  readonly engine: SnmpEngine;
  readonly users: readonly SnmpUser[];
  readonly counters: SnmpCounters;
  readonly v3Counters: V3Counters;
  readonly tree: MibReader<V>;
  readonly capture: () => V;
  readonly maxResponseBytes: number;
  readonly maxBulkVarbinds: number;
}

/** The outcome of one v3 packet: bytes to send or a drop, plus a provider or encoder exception to log. */
export type V3Outcome =
  | { readonly action: 'send'; readonly bytes: Uint8Array; readonly report?: V3CounterName; readonly failure?: unknown }
  | { readonly action: 'drop'; readonly reason: V3DropReason; readonly failure?: unknown };

/** Why a v3 packet got no answer. */
export type V3DropReason = DropReason | 'parse' | 'invalid' | 'unknown-security-model' | 'not-reportable';

/** Where a report or response goes: the request's header, user name and PDU (when readable). */
interface Reply {
  readonly msg: V3Message;
  readonly userName: Uint8Array;
  readonly requestId: number;
  readonly contextName: Uint8Array;
}

/** The USM side of the agent: one instance per engine, keys localized once at construction. */
export class V3Processor<V> {
  readonly #opts: V3ProcessorOptions<V>;
  /** localized users, by name (a later entry with the same name replaces an earlier one) */
  readonly #users: readonly LocalizedUser[];
  readonly #salts = new SaltSource();

  constructor(opts: V3ProcessorOptions<V>) {
    this.#opts = opts;
    const byName = new Map<string, LocalizedUser>();
    for (const user of opts.users) byName.set(user.name, localizeUser(user, opts.engine.engineId));
    this.#users = [...byName.values()];
  }

  /** The user whose name is exactly `name`'s octets. */
  #user(name: Uint8Array): LocalizedUser | undefined {
    return this.#users.find((u) => sameOctets(u.name, name));
  }

  /** Process one datagram that claims msgVersion 3. Never throws on packet content. */
  handle(packet: Uint8Array): V3Outcome {
    const { counters, v3Counters } = this.#opts;
    let msg: V3Message;
    let params: UsmSecurityParameters;
    let authParamsOffset: number;
    try {
      msg = decodeV3Message(packet);
      // RFC 3412 §7.2 steps 3-4: message checks before the security model sees it.
      const { msgFlags, msgMaxSize, securityModel } = msg.header;
      if (msgMaxSize < MIN_MSG_MAX_SIZE || (msgFlags & (MsgFlags.auth | MsgFlags.priv)) === MsgFlags.priv) {
        v3Counters.increment('snmpInvalidMsgs');
        return { action: 'drop', reason: 'invalid' };
      }
      if (securityModel !== USM_SECURITY_MODEL) {
        v3Counters.increment('snmpUnknownSecurityModels');
        return { action: 'drop', reason: 'unknown-security-model' };
      }
      const decoded = decodeUsmParameters(msg.securityParameters);
      params = decoded.params;
      authParamsOffset = msg.securityParametersOffset + decoded.authParamsOffset;
    } catch (err) {
      if (!(err instanceof SnmpDecodeError)) throw err;
      counters.increment('snmpInASNParseErrs');
      return { action: 'drop', reason: 'parse' };
    }
    return this.#authenticate(packet, msg, params, authParamsOffset);
  }

  /** RFC 3414 §3.2 steps 3-8, each failure answered with its report. */
  #authenticate(packet: Uint8Array, msg: V3Message, params: UsmSecurityParameters, authParamsOffset: number): V3Outcome {
    const { engine } = this.#opts;
    const reply: Reply = { msg, userName: params.userName, requestId: plaintextRequestId(msg), contextName: new Uint8Array(0) };
    const flags = msg.header.msgFlags;
    if (!sameOctets(engine.engineId, params.engineId)) return this.#report(reply, 'usmStatsUnknownEngineIDs', undefined);
    const user = this.#user(params.userName);
    if (user === undefined) return this.#report(reply, 'usmStatsUnknownUserNames', undefined);
    // A user is served at exactly its configured level: never noAuthNoPriv, never authNoPriv when it has privacy.
    const wantsPriv = (flags & MsgFlags.priv) !== 0;
    if ((flags & MsgFlags.auth) === 0 || wantsPriv !== (user.priv !== undefined)) {
      return this.#report(reply, 'usmStatsUnsupportedSecLevels', undefined);
    }
    if (!verifyMessage(user.auth, user.authKey, packet, authParamsOffset, params.authParams)) {
      return this.#report(reply, 'usmStatsWrongDigests', undefined);
    }
    const time = engine.time();
    if (engine.boots === MAX_ENGINE_BOOTS || params.engineBoots !== engine.boots || Math.abs(params.engineTime - time) > TIME_WINDOW_SECONDS) {
      return this.#report(reply, 'usmStatsNotInTimeWindows', user);
    }
    let scoped: ScopedPdu;
    try {
      scoped = this.#readScopedPdu(msg, params, user);
    } catch (err) {
      if (!(err instanceof SnmpDecodeError)) throw err;
      if (user.priv !== undefined) return this.#report(reply, 'usmStatsDecryptionErrors', undefined);
      this.#opts.counters.increment('snmpInASNParseErrs');
      return { action: 'drop', reason: 'parse' };
    }
    return this.#answer({ ...reply, requestId: scoped.pdu.requestId, contextName: scoped.contextName }, scoped, user);
  }

  /** The plaintext or decrypted scopedPDU; SnmpDecodeError when it cannot be read. */
  #readScopedPdu(msg: V3Message, params: UsmSecurityParameters, user: LocalizedUser): ScopedPdu {
    const { data } = msg;
    if (user.priv === undefined) {
      if (data.kind !== 'plaintext') throw new SnmpDecodeError('encryptedPDU in a message without privacy');
      return decodeScopedPdu(data.bytes, false);
    }
    if (data.kind !== 'encrypted') throw new SnmpDecodeError('plaintext scopedPDU in a message with privacy');
    if (params.privParams.length !== SALT_LENGTH) throw new SnmpDecodeError(`msgPrivacyParameters of ${params.privParams.length} octets`);
    const plain = decryptScopedPdu(user.priv.protocol, user.priv.key, params.engineBoots, params.engineTime, params.privParams, data.bytes);
    return decodeScopedPdu(plain, true);
  }

  /** Answer an authenticated request through respond() on its scopedPDU, at the request's security level. */
  #answer(reply: Reply, scoped: ScopedPdu, user: LocalizedUser): V3Outcome {
    const { engine } = this.#opts;
    const level: SecurityLevel = user.priv === undefined ? 'authNoPriv' : 'authPriv';
    if (scoped.contextName.length !== 0) return this.#report(reply, 'snmpUnknownContexts', user, level);
    if (scoped.contextEngineId.length !== 0 && !sameOctets(engine.engineId, scoped.contextEngineId)) {
      return this.#report(reply, 'snmpUnknownPDUHandlers', user, level);
    }
    const budget = Math.min(reply.msg.header.msgMaxSize, this.#opts.maxResponseBytes);
    const result = respond(this.#opts.tree, this.#opts.capture, { version: 1, community: new Uint8Array(0), pdu: scoped.pdu }, {
      maxResponseBytes: budget,
      maxBulkVarbinds: this.#opts.maxBulkVarbinds,
      encode: (response) => this.#encode(reply, level, user, response.pdu),
    });
    const failure = result.failure === undefined ? {} : { failure: result.failure };
    if (result.action === 'send') return { action: 'send', bytes: result.bytes, ...failure };
    return { action: 'drop', reason: result.reason, ...failure };
  }

  /**
   * A report carrying the incremented counter (RFC 3412 §7.1 step 3), when the request was reportable. A
   * notInTimeWindow report is authenticated so the manager can trust our boots and time; the others are
   * noAuthNoPriv, as Net-SNMP sends them.
   */
  #report(reply: Reply, name: V3CounterName, user: LocalizedUser | undefined, level?: SecurityLevel): V3Outcome {
    const value = this.#opts.v3Counters.increment(name);
    if ((reply.msg.header.msgFlags & MsgFlags.reportable) === 0) return { action: 'drop', reason: 'not-reportable' };
    const pdu: Pdu = {
      type: 'report',
      requestId: reply.requestId,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: [...V3_COUNTER_OIDS[name], 0], value: { type: 'counter32', value } }],
    };
    const reportLevel = level ?? (user === undefined ? 'noAuthNoPriv' : 'authNoPriv');
    return { action: 'send', bytes: this.#encode(reply, reportLevel, user, pdu), report: name };
  }

  /** Encode an outgoing message from us as the authoritative engine (RFC 3414 §3.1): encrypt, then sign. */
  #encode(reply: Reply, level: SecurityLevel, user: LocalizedUser | undefined, pdu: Pdu): Buffer {
    const { engine } = this.#opts;
    const boots = engine.boots;
    const time = engine.time();
    const scopedBytes = encodeScopedPdu({ contextEngineId: engine.engineId, contextName: reply.contextName, pdu });
    const isAuth = level !== 'noAuthNoPriv' && user !== undefined;
    const priv = level === 'authPriv' ? user?.priv : undefined;
    const salt = priv === undefined ? new Uint8Array(0) : this.#salts.next();
    const data =
      priv === undefined
        ? { kind: 'plaintext' as const, bytes: scopedBytes }
        : { kind: 'encrypted' as const, bytes: encryptScopedPdu(priv.protocol, priv.key, boots, time, salt, scopedBytes) };
    const flags = (isAuth ? MsgFlags.auth : 0) | (priv === undefined ? 0 : MsgFlags.priv);
    const { bytes, authParamsOffset } = encodeV3Message({
      header: { msgId: reply.msg.header.msgId, msgMaxSize: ENGINE_MAX_MESSAGE_SIZE, msgFlags: flags, securityModel: USM_SECURITY_MODEL },
      security: {
        engineId: engine.engineId,
        engineBoots: boots,
        engineTime: time,
        userName: reply.userName,
        authParams: isAuth ? new Uint8Array(AUTH_PROTOCOLS[user.auth].macLength) : new Uint8Array(0),
        privParams: salt,
      },
      data,
    });
    if (isAuth) signMessage(user.auth, user.authKey, bytes, authParamsOffset);
    return bytes;
  }
}

/** Octet-wise equality (names and engine IDs are at most 32 octets: a loop beats a native call). */
function sameOctets(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The request-id of a plaintext scopedPDU, or 0 when it is encrypted or unreadable (reports match on msgID). */
function plaintextRequestId(msg: V3Message): number {
  if (msg.data.kind !== 'plaintext') return 0;
  try {
    return decodeScopedPdu(msg.data.bytes, false).pdu.requestId;
  } catch {
    return 0;
  }
}
