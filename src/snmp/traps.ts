// Notifications: a printerV2Alert SNMPv2-Trap-PDU (RFC 3805 §2.2.13, RFC 3416 §4.2.6) to every community target,
// and an SNMPv3 inform (inform.ts) to every user target, whenever a critical row is added to the alert table.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { SnmpTrapTarget } from '../config.js';
import { InformSender, type InformTarget } from './inform.js';
import type { Logger } from '../log.js';
import type { AlertRow } from './alert-table.js';
import { HR_DEVICE_INDEX } from './host-resources.js';
import { encodeMessage } from './message.js';
import { int, oidValue, timeticks } from './mib-values.js';
import { ALERT_GROUP_INDEX_NONE, ALERT_LOCATION_UNKNOWN, PRT_ALERT_ENTRY } from './printer-mib-alert.js';
import { SEVERITY_LEVEL } from './printer-mib-codes.js';
import type { Pdu, VarBind } from './types.js';

/** sysUpTime.0 (RFC 3418). */
export const SYS_UP_TIME_0 = [1, 3, 6, 1, 2, 1, 1, 3, 0] as const;
/** snmpTrapOID.0 (RFC 3418). */
export const SNMP_TRAP_OID_0 = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0] as const;
/** printerV2Alert (RFC 3805): sent whenever a critical event is added to prtAlertTable. */
export const PRINTER_V2_ALERT = [1, 3, 6, 1, 2, 1, 43, 18, 2, 0, 1] as const;

/** request-id is Integer32; wrap back to 1 after the largest. */
const MAX_REQUEST_ID = 0x7fffffff;

/** The printerV2Alert OBJECTS of one row: prtAlertIndex, SeverityLevel, Group, GroupIndex, Location, Code. */
function alertVarbinds(row: AlertRow): VarBind[] {
  const instance = (column: number): number[] => [...PRT_ALERT_ENTRY, column, HR_DEVICE_INDEX, row.index];
  return [
    { oid: instance(1), value: int(row.index) },
    { oid: instance(2), value: int(row.severity) },
    { oid: instance(4), value: int(row.group) },
    { oid: instance(5), value: int(ALERT_GROUP_INDEX_NONE) },
    { oid: instance(6), value: int(ALERT_LOCATION_UNKNOWN) },
    { oid: instance(7), value: int(row.code) },
  ];
}

/** The SNMPv2-Trap-PDU for an added alert row: sysUpTime.0 (the row's time), snmpTrapOID.0, then the row's objects. */
export function printerV2AlertPdu(row: AlertRow, requestId: number): Pdu {
  return {
    type: 'trapV2',
    requestId,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [
      { oid: SYS_UP_TIME_0, value: timeticks(row.time) },
      { oid: SNMP_TRAP_OID_0, value: oidValue(PRINTER_V2_ALERT) },
      ...alertVarbinds(row),
    ],
  };
}

/** Whether a row is a critical event, the only kind RFC 3805 sends printerV2Alert for. */
export function isTrapWorthy(row: AlertRow): boolean {
  return row.severity === SEVERITY_LEVEL.critical;
}

/** An SNMPv2c trap destination. */
export interface CommunityTarget {
  readonly host: string;
  readonly port: number;
  readonly community: string;
}

/** Sends printerV2Alert traps to fixed targets from its own UDP sockets (one per address family, opened on demand). */
export class TrapSender {
  readonly #targets: readonly CommunityTarget[];
  readonly #log: Logger;
  readonly #sockets = new Map<4 | 6, Socket>();
  /** targets whose last send failed: warned once until a send succeeds again */
  readonly #failing = new Set<CommunityTarget>();
  #requestId = 0;
  #closed = false;

  constructor(targets: readonly CommunityTarget[], log: Logger) {
    this.#targets = targets;
    this.#log = log;
  }

  /** Send the trap for `row` to every target if it is a critical event; resolves when every send is done. Never rejects. */
  async alertAdded(row: AlertRow): Promise<void> {
    if (this.#closed || !isTrapWorthy(row)) return;
    await Promise.all(this.#targets.map((target) => this.#send(target, row)));
  }

  /** Close the sockets; later alerts are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
    const sockets = [...this.#sockets.values()];
    this.#sockets.clear();
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  async #send(target: CommunityTarget, row: AlertRow): Promise<void> {
    this.#requestId = this.#requestId >= MAX_REQUEST_ID ? 1 : this.#requestId + 1;
    const requestId = this.#requestId;
    try {
      const bytes = encodeMessage({ version: 1, community: Buffer.from(target.community, 'utf8'), pdu: printerV2AlertPdu(row, requestId) });
      const { address, family } = await lookup(target.host);
      if (this.#closed) return;
      const socket = this.#socket(family === 6 ? 6 : 4);
      await new Promise<void>((resolve, reject) => socket.send(bytes, target.port, address, (err) => (err ? reject(err) : resolve())));
      this.#failing.delete(target);
      this.#log.debug({ target: `${target.host}:${target.port}`, alertIndex: row.index, requestId }, 'printerV2Alert trap sent');
    } catch (err) {
      const where = { err, target: `${target.host}:${target.port}`, alertIndex: row.index };
      if (this.#failing.has(target)) {
        this.#log.debug(where, 'SNMP trap not sent');
      } else {
        this.#failing.add(target);
        this.#log.warn(where, 'SNMP trap not sent');
      }
    }
  }

  #socket(family: 4 | 6): Socket {
    let socket = this.#sockets.get(family);
    if (socket === undefined) {
      socket = createSocket(family === 6 ? 'udp6' : 'udp4');
      socket.on('error', (err) => this.#log.debug({ err }, 'SNMP trap socket error'));
      socket.unref();
      this.#sockets.set(family, socket);
    }
    return socket;
  }
}

/** Send printerV2Alert traps (community targets) and informs (user targets) for every alert `state` adds until close(). */
export function startTraps(
  state: { onAlertAdded(listener: (row: AlertRow) => void): () => void },
  targets: readonly (CommunityTarget | SnmpTrapTarget)[],
  log: Logger,
): { close(): Promise<void> } {
  if (targets.length === 0) return { close: () => Promise.resolve() };
  const traps: CommunityTarget[] = [];
  const informs: InformTarget[] = [];
  for (const t of targets) {
    if ('user' in t && t.user !== undefined) informs.push({ host: t.host, port: t.port, user: t.user });
    else if (t.community !== undefined) traps.push({ host: t.host, port: t.port, community: t.community });
  }
  const trapSender = new TrapSender(traps, log);
  const informSender = new InformSender(informs, log);
  const unsubscribe = state.onAlertAdded((row) => {
    void trapSender.alertAdded(row);
    if (informs.length > 0 && isTrapWorthy(row)) void informSender.alertAdded(row);
  });
  return {
    close: async () => {
      unsubscribe();
      await Promise.all([trapSender.close(), informSender.close()]);
    },
  };
}
