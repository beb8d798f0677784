// SNMP message model (RFC 3416 PDUs, RFC 1157 / RFC 1901 messages): what the BER codec reads and writes.
// SPDX-License-Identifier: Apache-2.0

/** An object identifier as its arcs. */
export type Oid = readonly number[];

/** One SNMP value (SMIv2 types, RFC 2578; exceptions RFC 3416 §3). Binary and text values are bytes, never JS strings. */
export type SnmpValue =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'octets'; readonly value: Uint8Array }
  | { readonly type: 'null' }
  | { readonly type: 'oid'; readonly value: Oid }
  | { readonly type: 'ipAddress'; readonly value: Uint8Array }
  /** unsigned 32-bit; values are wrapped with >>> 0 before they get here */
  | { readonly type: 'counter32' | 'gauge32' | 'timeticks'; readonly value: number }
  | { readonly type: 'opaque'; readonly value: Uint8Array }
  | { readonly type: 'counter64'; readonly value: bigint }
  | { readonly type: 'noSuchObject' | 'noSuchInstance' | 'endOfMibView' };

export interface VarBind {
  readonly oid: Oid;
  readonly value: SnmpValue;
}

/** PDU kinds by their RFC 3416 names. */
export type PduType = 'get' | 'getNext' | 'response' | 'set' | 'trap' | 'getBulk' | 'inform' | 'trapV2' | 'report';

/**
 * A PDU. For 'getBulk', `errorStatus` carries non-repeaters and `errorIndex` max-repetitions (same wire positions).
 * SNMPv1 'trap' PDUs have another layout and are not modelled: the codec rejects them.
 */
export interface Pdu {
  readonly type: PduType;
  readonly requestId: number;
  readonly errorStatus: number;
  readonly errorIndex: number;
  readonly varbinds: readonly VarBind[];
}

/** Community-based message: version 0 = SNMPv1, 1 = SNMPv2c. */
export interface CommunityMessage {
  readonly version: 0 | 1;
  readonly community: Uint8Array;
  readonly pdu: Pdu;
}

/** error-status values (RFC 3416 §3). */
export const ErrorStatus = {
  noError: 0,
  tooBig: 1,
  noSuchName: 2,
  badValue: 3,
  readOnly: 4,
  genErr: 5,
  noAccess: 6,
  wrongType: 7,
  notWritable: 17,
} as const;
