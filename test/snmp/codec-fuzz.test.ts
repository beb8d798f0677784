// Seeded fuzzing of the SNMP decoder: truncated, mutated and spliced packets built from the fixtures must only ever
// raise SnmpDecodeError, and whatever decodes must survive an encode/decode round trip.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { SnmpDecodeError } from '../../src/errors.js';
import { decodeMessage, encodeMessage, encodedLength } from '../../src/snmp/message.js';
import type { CommunityMessage } from '../../src/snmp/types.js';
import { FIXTURES } from '../fixtures/snmp/packets.js';

const ITERATIONS = 5000;
const SEEDS = FIXTURES.map((f) => f.bytes);
/** Tag and length octets that steer the mutator into the decoder's branches. */
const INTERESTING = [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x30, 0x40, 0x41, 0x44, 0x46, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xa0, 0xa4, 0xa5, 0xff];

/** mulberry32: a tiny seeded PRNG so every run sees the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(rand: () => number): Uint8Array {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  let buf = [...pick(SEEDS)];
  const at = (): number => Math.floor(rand() * Math.max(1, buf.length));
  const rounds = 1 + Math.floor(rand() * 4);
  for (let r = 0; r < rounds; r++) {
    switch (Math.floor(rand() * 7)) {
      case 0: // flip a byte
        buf[at()] = Math.floor(rand() * 256);
        break;
      case 1: // an interesting byte
        buf[at()] = pick(INTERESTING);
        break;
      case 2: // truncate
        buf = buf.slice(0, at());
        break;
      case 3: // delete a run
        buf.splice(at(), 1 + Math.floor(rand() * 8));
        break;
      case 4: // insert a run of random bytes
        buf.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)));
        break;
      case 5: // splice in a slice of another fixture
        {
          const other = pick(SEEDS);
          const from = Math.floor(rand() * other.length);
          buf.splice(at(), Math.floor(rand() * 16), ...other.subarray(from, from + 1 + Math.floor(rand() * 32)));
        }
        break;
      default: // flip one bit
        {
          const i = at();
          buf[i] = (buf[i] ?? 0) ^ (1 << Math.floor(rand() * 8));
        }
        break;
    }
  }
  return Uint8Array.from(buf);
}

/** Decodes, returning the message or the SnmpDecodeError; any other throw propagates and fails the test. */
function tryDecode(bytes: Uint8Array): CommunityMessage | SnmpDecodeError {
  try {
    return decodeMessage(bytes);
  } catch (err) {
    if (err instanceof SnmpDecodeError) return err;
    throw err;
  }
}

t.test('every proper prefix of each fixture is rejected with SnmpDecodeError', async (t) => {
  for (const { name, bytes } of FIXTURES) {
    let others = 0;
    for (let n = 0; n < bytes.length; n++) if (!(tryDecode(bytes.subarray(0, n)) instanceof SnmpDecodeError)) others++;
    t.equal(others, 0, name);
  }
});

t.test('mutated packets only ever raise SnmpDecodeError, and what decodes round-trips', async (t) => {
  const rand = prng(0x5eed5);
  let decoded = 0;
  let rejected = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(rand);
    const result = tryDecode(input);
    if (result instanceof SnmpDecodeError) {
      rejected++;
      if (result.code !== 'ERR_SNMP_DECODE') t.fail(`wrong code ${result.code}`);
      continue;
    }
    decoded++;
    // Whatever the decoder accepts, the encoder can write (same grammar both ways) and reads back the same.
    const again = encodeMessage(result);
    if (again.length !== encodedLength(result)) t.fail(`encodedLength disagrees for input ${Buffer.from(input).toString('hex')}`);
    t.same(decodeMessage(again), result);
  }
  t.ok(rejected > ITERATIONS / 2, `rejected ${rejected}`);
  t.ok(decoded > 0, `decoded ${decoded}`);
});

t.test('each badVersion rejection comes from a well-formed version INTEGER', async (t) => {
  const rand = prng(42);
  for (let i = 0; i < 2000; i++) {
    const input = mutate(rand);
    const result = tryDecode(input);
    if (result instanceof SnmpDecodeError && result.kind === 'badVersion') {
      t.match(result.message, /^SNMP version -?\d+ not supported$/);
    }
  }
});

/** A TLV with a minimal definite length. */
function tlv(tag: number, ...content: (readonly number[] | Uint8Array)[]): number[] {
  const body = content.flatMap((c) => [...c]);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return [tag, ...len, ...body];
}

/** A v2c Response around the given VarBind TLVs. */
function response(...varbinds: number[][]): Uint8Array {
  const head = [0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00];
  return Uint8Array.from(tlv(0x30, [0x02, 0x01, 0x01], [0x04, 0x00], tlv(0xa2, head, tlv(0x30, ...varbinds))));
}

t.test('large hostile packets are rejected in one pass, whatever lengths they declare', async (t) => {
  const hostile: [Uint8Array, RegExp][] = [
    // SEQUENCE headers that each declare 4 GiB.
    [Uint8Array.from({ length: 60000 }, (_, i) => [0x30, 0x84, 0xff, 0xff, 0xff, 0xff][i % 6]!), /length 4294967295 beyond/],
    // An OID of 60 000 continuation octets, and one of 60 000 one-octet arcs.
    [response(tlv(0x30, tlv(0x06, new Uint8Array(60000).fill(0x81)), [0x05, 0x00])), /beyond 2\^32-1/],
    [response(tlv(0x30, tlv(0x06, new Uint8Array(60000).fill(0x01)), [0x05, 0x00])), /longer than 128 arcs/],
    // A packet of nothing but SEQUENCE tags: a 48-octet message, then garbage.
    [new Uint8Array(200000).fill(0x30), /199950 trailing octets/],
  ];
  for (const [bytes, message] of hostile) t.throws(() => decodeMessage(bytes), { name: 'SnmpDecodeError', message });
});

t.test('thousands of small varbinds in one packet decode: no count limit below the packet size', async (t) => {
  const one = tlv(0x30, [0x06, 0x01, 0x2b], [0x05, 0x00]);
  const msg = decodeMessage(response(...new Array<number[]>(5000).fill(one)));
  t.equal(msg.pdu.varbinds.length, 5000);
  t.same(msg.pdu.varbinds[4999], { oid: [1, 3], value: { type: 'null' } });
});
