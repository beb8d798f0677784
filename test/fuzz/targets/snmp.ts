// Fuzz target: the SNMP codec (src/snmp/ber.ts, message.ts, v3-message.ts): v1/v2c messages must decode or raise
// SnmpDecodeError and round-trip through the encoder; v3 wrappers, USM parameters and scoped PDUs likewise.
// SPDX-License-Identifier: Apache-2.0
import { isDeepStrictEqual } from 'node:util';
import { FirmwareError, SnmpDecodeError } from '../../../src/errors.js';
import { decodeMessage, encodeMessage } from '../../../src/snmp/message.js';
import type { CommunityMessage, PduType, SnmpValue } from '../../../src/snmp/types.js';
import { decodeScopedPdu, decodeUsmParameters, decodeV3Message, isV3Packet } from '../../../src/snmp/v3-message.js';
import type { FuzzTarget } from '../engine.js';
import type { Rng } from '../prng.js';

const DICTIONARY: Uint8Array[] = [
  ...[0x02, 0x04, 0x05, 0x06, 0x30, 0x40, 0x41, 0x42, 0x43, 0x44, 0x46, 0x80, 0x81, 0x82, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8].map((b) => Uint8Array.of(b)),
  Uint8Array.of(0x02, 0x01, 0x00), Uint8Array.of(0x02, 0x01, 0x01), Uint8Array.of(0x02, 0x01, 0x03), Uint8Array.of(0x05, 0x00),
  Uint8Array.of(0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00), Uint8Array.of(0x84, 0x7f, 0xff, 0xff, 0xff), Uint8Array.of(0x83, 0x01, 0x00, 0x00),
  Buffer.from('public', 'latin1'), Uint8Array.of(0x04, 0x01, 0x04), Uint8Array.of(0x04, 0x00),
];

function randomValue(rng: Rng): SnmpValue {
  switch (rng.int(8)) {
    case 0: return { type: 'integer', value: rng.int(2) === 0 ? rng.int(300) : -rng.int(0x7fffffff) };
    case 1: return { type: 'octets', value: Uint8Array.from({ length: rng.size(200) }, () => rng.int(256)) };
    case 2: return { type: 'oid', value: [1, 3, ...Array.from({ length: rng.int(12) }, () => rng.chance(0.2) ? rng.int(0x100000000) : rng.int(200))] };
    case 3: return { type: 'ipAddress', value: Uint8Array.of(127, 0, 0, 1) };
    case 4: return { type: rng.pick(['counter32', 'gauge32', 'timeticks'] as const), value: rng.int(0x100000000) };
    case 5: return { type: 'counter64', value: BigInt(rng.int(0x100000000)) * BigInt(rng.int(0x100000000)) };
    case 6: return { type: rng.pick(['noSuchObject', 'noSuchInstance', 'endOfMibView'] as const) };
    default: return { type: 'null' };
  }
}

/** A random well-formed v1/v2c message, for structure-aware inputs. */
export function randomSnmpMessage(rng: Rng): Uint8Array {
  const version = rng.chance(0.3) ? 0 : 1;
  const type: PduType = rng.pick(['get', 'getNext', 'getBulk', 'set', 'response', 'trapV2', 'report', 'inform'] as const);
  const message: CommunityMessage = {
    version,
    community: Buffer.from(rng.pick(['public', 'private', '']), 'latin1'),
    pdu: {
      type: version === 0 && type === 'getBulk' ? 'get' : type,
      requestId: rng.int(0x7fffffff),
      errorStatus: rng.int(20),
      errorIndex: rng.int(5),
      varbinds: Array.from({ length: rng.int(6) }, () => ({ oid: [1, 3, 6, 1, 2, 1, rng.int(50), rng.int(10), 0], value: randomValue(rng) })),
    },
  };
  try {
    return encodeMessage(message);
  } catch (err) {
    if (err instanceof FirmwareError && err.code === 'ERR_SNMP_ENCODE') return new Uint8Array(0);
    throw err;
  }
}

function decodeV3(input: Uint8Array): void {
  const message = decodeV3Message(input);
  try {
    decodeUsmParameters(message.securityParameters);
  } catch (err) {
    if (!(err instanceof SnmpDecodeError)) throw err;
  }
  // Encrypted octets stand in for decrypted garbage (padding allowed, as after AES/DES).
  decodeScopedPdu(message.data.bytes, message.data.kind === 'encrypted');
}

function decodeCommunity(input: Uint8Array): void {
  const message = decodeMessage(input);
  let again: Uint8Array;
  try {
    again = encodeMessage(message);
  } catch (err) {
    if (err instanceof FirmwareError && err.code === 'ERR_SNMP_ENCODE') return;
    throw err;
  }
  if (!isDeepStrictEqual(decodeMessage(again), message)) throw new Error('decode(encode(m)) differs from m');
}

/** The SNMP codec target. */
export const snmpTarget: FuzzTarget = {
  name: 'snmp',
  dictionary: DICTIONARY,
  maxLength: 4096,
  generate: (rng) => randomSnmpMessage(rng),
  run(input) {
    if (isV3Packet(input)) decodeV3(input);
    else decodeCommunity(input);
  },
  isExpected: (err) => err instanceof SnmpDecodeError,
};
