// SNMPv3 informs: the printerV2Alert notification as an acknowledged InformRequest-PDU (RFC 3416 §4.2.7) under USM.
// The receiver is the authoritative engine (RFC 3414 §1.5.1): discover its engineID, boots and time, localize the
// user's keys to it, send, retry until the Response arrives, and re-synchronise on usmStats reports.
// SPDX-License-Identifier: Apache-2.0
import type { SnmpUser } from '../config.js';
import { SnmpDecodeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { AlertRow } from './alert-table.js';
import { printerV2AlertPdu } from './traps.js';
import type { Pdu } from './types.js';
import { AUTH_PROTOCOLS, SALT_LENGTH, SaltSource, decryptScopedPdu, encryptScopedPdu, localizeUser, signMessage, verifyMessage, type LocalizedUser } from './usm.js';
import { MsgFlags, USM_SECURITY_MODEL, decodeScopedPdu, decodeUsmParameters, encodeScopedPdu, encodeV3Message, type ScopedPdu, type V3Message } from './v3-message.js';
import { InformExchange } from './inform-exchange.js';

/** Seconds to wait for each answer, and how many times a notification is sent before giving up (RFC 3413 §3.2). */
export const INFORM_TIMEOUT_MS = 1500;
export const INFORM_RETRIES = 3;

/** usmStats report OIDs (RFC 3414 §5) the sender reacts to. */
const USM_STATS = [1, 3, 6, 1, 6, 3, 15, 1, 1] as const;
const NOT_IN_TIME_WINDOWS = 2;
const UNKNOWN_ENGINE_IDS = 4;

/** Our msgMaxSize: a UDP datagram. */
const MSG_MAX_SIZE = 65507;

/** One inform destination: where, and as which user. */
export interface InformTarget {
  readonly host: string;
  readonly port: number;
  readonly user: SnmpUser;
}

/** What we know of a receiver's engine. */
interface RemoteEngine {
  readonly engineId: Uint8Array;
  readonly user: LocalizedUser;
  boots: number;
  time: number;
  /** Date.now() when boots/time were learnt */
  at: number;
}

/** The reportable discovery probe (RFC 3414 §4): noAuthNoPriv, empty engineID and user, an empty Get. */
function discoveryProbe(msgId: number, requestId: number): Buffer {
  const pdu: Pdu = { type: 'get', requestId, errorStatus: 0, errorIndex: 0, varbinds: [] };
  const scoped = encodeScopedPdu({ contextEngineId: new Uint8Array(0), contextName: new Uint8Array(0), pdu });
  const empty = new Uint8Array(0);
  return encodeV3Message({
    header: { msgId, msgMaxSize: MSG_MAX_SIZE, msgFlags: MsgFlags.reportable, securityModel: USM_SECURITY_MODEL },
    security: { engineId: empty, engineBoots: 0, engineTime: 0, userName: empty, authParams: empty, privParams: empty },
    data: { kind: 'plaintext', bytes: scoped },
  }).bytes;
}

/** The usmStats counter a report carries (its last arc before .0), or undefined. */
function reportKind(pdu: Pdu): number | undefined {
  const oid = pdu.varbinds[0]?.oid;
  if (!oid || oid.length !== USM_STATS.length + 2 || !USM_STATS.every((arc, i) => oid[i] === arc)) return undefined;
  return oid[USM_STATS.length];
}

/** Sends printerV2Alert informs to fixed targets; never throws. */
export class InformSender {
  readonly #targets: readonly InformTarget[];
  readonly #log: Logger;
  readonly #exchange: InformExchange;
  readonly #engines = new Map<InformTarget, RemoteEngine>();
  readonly #salts = new SaltSource();
  readonly #timeoutMs: number;
  readonly #retries: number;
  #id = Math.floor(Math.random() * 0x10000);

  constructor(targets: readonly InformTarget[], log: Logger, opts: { timeoutMs?: number; retries?: number } = {}) {
    this.#targets = targets;
    this.#log = log;
    this.#exchange = new InformExchange(log);
    this.#timeoutMs = opts.timeoutMs ?? INFORM_TIMEOUT_MS;
    this.#retries = opts.retries ?? INFORM_RETRIES;
  }

  /** Inform every target about an added critical alert row; resolves with how many acknowledged it. */
  async alertAdded(row: AlertRow): Promise<number> {
    const results = await Promise.all(this.#targets.map((t) => this.#notify(t, row)));
    return results.filter(Boolean).length;
  }

  /** Close the sockets. */
  close(): Promise<void> {
    return this.#exchange.close();
  }

  #nextId(): number {
    this.#id = this.#id >= 0x7fffffff ? 1 : this.#id + 1;
    return this.#id;
  }

  async #notify(target: InformTarget, row: AlertRow): Promise<boolean> {
    const where = `${target.host}:${target.port}`;
    const requestId = this.#nextId();
    try {
      for (let attempt = 0; attempt <= this.#retries; attempt++) {
        const engine = this.#engines.get(target) ?? (await this.#discover(target));
        if (!engine) continue;
        const answer = await this.#send(target, engine, printerV2AlertPdu(row, requestId));
        if (answer === 'acknowledged') {
          this.#log.debug({ target: where, alertIndex: row.index, requestId }, 'printerV2Alert inform acknowledged');
          return true;
        }
        if (answer === 'rediscover') this.#engines.delete(target);
      }
      this.#log.warn({ target: where, alertIndex: row.index }, 'SNMP inform not acknowledged');
    } catch (err) {
      this.#log.warn({ err, target: where }, 'SNMP inform not sent');
    }
    return false;
  }

  /** RFC 3414 §4: learn the receiver's engineID, boots and time from its report to a probe. */
  async #discover(target: InformTarget): Promise<RemoteEngine | undefined> {
    const msgId = this.#nextId();
    const reply = await this.#exchange.request(target.host, target.port, msgId, discoveryProbe(msgId, this.#nextId()), this.#timeoutMs);
    if (!reply) return undefined;
    const { params } = decodeUsmParameters(reply.msg.securityParameters);
    if (params.engineId.length === 0) return undefined;
    const engine: RemoteEngine = {
      engineId: Buffer.from(params.engineId),
      user: localizeUser(target.user, params.engineId),
      boots: params.engineBoots,
      time: params.engineTime,
      at: Date.now(),
    };
    this.#engines.set(target, engine);
    return engine;
  }

  /** One authenticated InformRequest; how the receiver answered. */
  async #send(target: InformTarget, engine: RemoteEngine, pdu: Pdu): Promise<'acknowledged' | 'retry' | 'rediscover'> {
    const msgId = this.#nextId();
    const user = engine.user;
    const boots = engine.boots;
    const time = engine.time + Math.floor((Date.now() - engine.at) / 1000);
    const scoped = encodeScopedPdu({ contextEngineId: engine.engineId, contextName: new Uint8Array(0), pdu: { ...pdu, type: 'inform' } });
    const salt = user.priv ? this.#salts.next() : new Uint8Array(0);
    const flags = MsgFlags.auth | MsgFlags.reportable | (user.priv ? MsgFlags.priv : 0);
    const { bytes, authParamsOffset } = encodeV3Message({
      header: { msgId, msgMaxSize: MSG_MAX_SIZE, msgFlags: flags, securityModel: USM_SECURITY_MODEL },
      security: {
        engineId: engine.engineId,
        engineBoots: boots,
        engineTime: time,
        userName: user.name,
        authParams: new Uint8Array(AUTH_PROTOCOLS[user.auth].macLength),
        privParams: salt,
      },
      data: user.priv
        ? { kind: 'encrypted', bytes: encryptScopedPdu(user.priv.protocol, user.priv.key, boots, time, salt, scoped) }
        : { kind: 'plaintext', bytes: scoped },
    });
    signMessage(user.auth, user.authKey, bytes, authParamsOffset);
    const reply = await this.#exchange.request(target.host, target.port, msgId, bytes, this.#timeoutMs);
    if (!reply) return 'retry';
    try {
      return this.#judge(reply.packet, reply.msg, engine, pdu.requestId);
    } catch (err) {
      if (!(err instanceof SnmpDecodeError)) throw err;
      return 'retry';
    }
  }

  /** Check an answer: an authentic Response to our request, or a report telling us to re-synchronise. */
  #judge(packet: Uint8Array, msg: V3Message, engine: RemoteEngine, requestId: number): 'acknowledged' | 'retry' | 'rediscover' {
    const { params, authParamsOffset } = decodeUsmParameters(msg.securityParameters);
    const authentic =
      (msg.header.msgFlags & MsgFlags.auth) !== 0 &&
      Buffer.from(params.engineId).equals(engine.engineId) &&
      verifyMessage(engine.user.auth, engine.user.authKey, packet, msg.securityParametersOffset + authParamsOffset, params.authParams);
    let scoped: ScopedPdu;
    if (msg.data.kind === 'plaintext') {
      scoped = decodeScopedPdu(msg.data.bytes, false);
    } else {
      if (!authentic || !engine.user.priv || params.privParams.length !== SALT_LENGTH) return 'retry';
      const plain = decryptScopedPdu(engine.user.priv.protocol, engine.user.priv.key, params.engineBoots, params.engineTime, params.privParams, msg.data.bytes);
      scoped = decodeScopedPdu(plain, true);
    }
    if (scoped.pdu.type === 'report') {
      const kind = reportKind(scoped.pdu);
      if (kind === UNKNOWN_ENGINE_IDS) return 'rediscover';
      if (kind === NOT_IN_TIME_WINDOWS && authentic) {
        // RFC 3414 §3.2 step 7b: an authenticated notInTimeWindow report carries the receiver's clock.
        Object.assign(engine, { boots: params.engineBoots, time: params.engineTime, at: Date.now() });
      }
      return 'retry';
    }
    // Acknowledged only by an authentic Response at our level, to this request.
    const atOurLevel = (msg.data.kind === 'encrypted') === (engine.user.priv !== undefined);
    return authentic && atOurLevel && scoped.pdu.type === 'response' && scoped.pdu.requestId === requestId ? 'acknowledged' : 'retry';
  }
}
