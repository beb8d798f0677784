// Request/answer over UDP for the inform sender: one socket per address family, answers matched by msgID, a timeout
// per request. Packets that are not SNMPv3 or match no pending request are ignored.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { Logger } from '../log.js';
import { SnmpDecodeError } from '../errors.js';
import { decodeV3Message, isV3Packet, type V3Message } from './v3-message.js';

/** An answer: the raw packet (for authentication) and its decoded message. */
export interface InformReply {
  readonly packet: Uint8Array;
  readonly msg: V3Message;
}

/** Sends SNMPv3 requests and waits for the answer with the same msgID. */
export class InformExchange {
  readonly #log: Logger;
  readonly #sockets = new Map<4 | 6, Socket>();
  readonly #pending = new Map<number, (reply: InformReply) => void>();
  #closed = false;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Send `bytes` and resolve with the answer carrying `msgId`, or undefined after `timeoutMs`. Rejects on send errors. */
  async request(host: string, port: number, msgId: number, bytes: Uint8Array, timeoutMs: number): Promise<InformReply | undefined> {
    const { address, family } = await lookup(host);
    if (this.#closed) return undefined;
    const socket = this.#socket(family === 6 ? 6 : 4);
    const answer = new Promise<InformReply | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(msgId);
        resolve(undefined);
      }, timeoutMs);
      this.#pending.set(msgId, (reply) => {
        clearTimeout(timer);
        this.#pending.delete(msgId);
        resolve(reply);
      });
    });
    await new Promise<void>((resolve, reject) => socket.send(bytes, port, address, (err) => (err ? reject(err) : resolve())));
    return answer;
  }

  /** Close the sockets; pending requests time out. */
  async close(): Promise<void> {
    this.#closed = true;
    const sockets = [...this.#sockets.values()];
    this.#sockets.clear();
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  #onMessage(packet: Buffer): void {
    if (!isV3Packet(packet)) return;
    try {
      const msg = decodeV3Message(packet);
      this.#pending.get(msg.header.msgId)?.({ packet, msg });
    } catch (err) {
      if (!(err instanceof SnmpDecodeError)) throw err;
      this.#log.debug({ err }, 'malformed answer to an inform ignored');
    }
  }

  #socket(family: 4 | 6): Socket {
    let socket = this.#sockets.get(family);
    if (socket === undefined) {
      socket = createSocket(family === 6 ? 'udp6' : 'udp4');
      socket.on('message', (packet) => this.#onMessage(packet));
      socket.on('error', (err) => this.#log.debug({ err }, 'SNMP inform socket error'));
      socket.unref();
      this.#sockets.set(family, socket);
    }
    return socket;
  }
}
