// SNMPv2c notifications: a printerV2Alert SNMPv2-Trap-PDU (RFC 3805 §2.2.13, RFC 3416 §4.2.6) to every configured
// target whenever a critical row is added to the alert table. Fire and forget over UDP; never throws.
// SPDX-License-Identifier: Apache-2.0
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { SnmpTrapTarget } from '../config.js';
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

/** Sends printerV2Alert traps to fixed targets from its own UDP sockets (one per address family, opened on demand). */
export class TrapSender {
  readonly #targets: readonly SnmpTrapTarget[];
  readonly #log: Logger;
  readonly #sockets = new Map<4 | 6, Socket>();
  /** targets whose last send failed: warned once until a send succeeds again */
  readonly #failing = new Set<SnmpTrapTarget>();
  #requestId = 0;
  #closed = false;

  constructor(targets: readonly SnmpTrapTarget[], log: Logger) {
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

  async #send(target: SnmpTrapTarget, row: AlertRow): Promise<void> {
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

/** Send printerV2Alert traps for every alert `state` adds until the returned close() is called. */
export function startTraps(
  state: { onAlertAdded(listener: (row: AlertRow) => void): () => void },
  targets: readonly SnmpTrapTarget[],
  log: Logger,
): { close(): Promise<void> } {
  if (targets.length === 0) return { close: () => Promise.resolve() };
  const sender = new TrapSender(targets, log);
  const unsubscribe = state.onAlertAdded((row) => void sender.alertAdded(row));
  return {
    close: async () => {
      unsubscribe();
      await sender.close();
    },
  };
}
