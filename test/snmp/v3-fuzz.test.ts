// Seeded fuzzing of the SNMPv3 path: mutated v3 messages, and garbage scopedPDUs that carry a valid digest (so
// they reach decryption and PDU decoding), never make the processor or the agent throw; every answer is a v3 message.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { pino } from 'pino';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { createMibTree } from '../../src/snmp/mib.js';
import { encryptScopedPdu, signMessage, AUTH_PROTOCOLS } from '../../src/snmp/usm.js';
import { MsgFlags, decodeV3Message, encodeScopedPdu, encodeV3Message } from '../../src/snmp/v3-message.js';
import { AUTH_USER, PRIV_USER, TEST_ENGINE_ID, buildRequest, getPdu, makeProcessor, managerKeys } from './v3-manager.js';

const ITERATIONS = 3000;
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x30, 0x7f, 0x80, 0x81, 0x84, 0xa0, 0xa5, 0xa8, 0xff];

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

function mutate(seed: Uint8Array, rand: () => number): Uint8Array {
  const buf = [...seed];
  const at = (): number => Math.floor(rand() * Math.max(1, buf.length));
  for (let round = 0, rounds = 1 + Math.floor(rand() * 3); round < rounds; round++) {
    switch (Math.floor(rand() * 5)) {
      case 0:
        buf[at()] = Math.floor(rand() * 256);
        break;
      case 1:
        buf[at()] = INTERESTING[Math.floor(rand() * INTERESTING.length)] ?? 0;
        break;
      case 2:
        buf.length = at();
        break;
      case 3:
        buf.splice(at(), 1 + Math.floor(rand() * 6));
        break;
      default:
        buf.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(rand() * 6) }, () => Math.floor(rand() * 256)));
        break;
    }
  }
  return Uint8Array.from(buf);
}

const alice = managerKeys(PRIV_USER);
const bob = managerKeys(AUTH_USER);

/** A message whose (garbage) scopedPDU bytes are encrypted for alice or sent plain by bob, with a valid digest. */
function signedGarbage(scoped: Uint8Array, isPriv: boolean, boots: number): Uint8Array {
  const user = isPriv ? alice : bob;
  const salt = Buffer.alloc(8, 3);
  const data = isPriv && alice.priv
    ? { kind: 'encrypted' as const, bytes: encryptScopedPdu(alice.priv.protocol, alice.priv.key, boots, 0, salt, scoped) }
    : { kind: 'plaintext' as const, bytes: scoped };
  const { bytes, authParamsOffset } = encodeV3Message({
    header: { msgId: 1, msgMaxSize: 1500, msgFlags: MsgFlags.auth | MsgFlags.reportable | (isPriv ? MsgFlags.priv : 0), securityModel: 3 },
    security: {
      engineId: TEST_ENGINE_ID,
      engineBoots: boots,
      engineTime: 0,
      userName: Buffer.from(isPriv ? 'alice' : 'bob'),
      authParams: new Uint8Array(AUTH_PROTOCOLS[user.auth].macLength),
      privParams: isPriv ? salt : new Uint8Array(0),
    },
    data,
  });
  signMessage(user.auth, user.authKey, bytes, authParamsOffset);
  return bytes;
}

t.test('random v3-looking packets never make the processor or the agent throw', async (t) => {
  const { processor, engine } = makeProcessor(2);
  const seeds = [
    buildRequest({ userName: '', level: 'noAuthNoPriv', engineId: new Uint8Array(0), boots: 0, time: 0, pdu: getPdu(1) }),
    buildRequest({ user: alice, userName: 'alice', level: 'authPriv', engineId: TEST_ENGINE_ID, boots: 2, time: 0, pdu: getPdu(2, [1, 3, 6, 1]) }),
    buildRequest({ user: bob, userName: 'bob', level: 'authNoPriv', engineId: TEST_ENGINE_ID, boots: 2, time: 0, pdu: getPdu(3, [1, 3, 6, 1]) }),
  ];
  const agent = new SnmpAgent<object>(createMibTree<object>([]), () => ({}), {
    port: 0,
    communities: ['public'],
    log: pino({ level: 'silent' }),
    v3: { engine, users: [PRIV_USER, AUTH_USER] },
  });
  const rand = prng(0x5eed);
  let answered = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const packet = mutate(seeds[i % seeds.length] ?? new Uint8Array(0), rand);
    const outcome = processor.handle(packet);
    if (outcome.action === 'send') {
      answered++;
      decodeV3Message(outcome.bytes);
    }
    agent.handlePacket(packet);
  }
  t.ok(answered > 0, `${answered} of ${ITERATIONS} answered`);
});

t.test('authentic messages with garbage scopedPDUs are dropped or reported, never thrown', async (t) => {
  const { processor, v3Counters, counters } = makeProcessor(2);
  const rand = prng(0xbadc0de);
  const scoped = encodeScopedPdu({ contextEngineId: TEST_ENGINE_ID, contextName: new Uint8Array(0), pdu: getPdu(9, [1, 3, 6, 1]) });
  const kinds = new Set<string>();
  for (let i = 0; i < ITERATIONS; i++) {
    const outcome = processor.handle(signedGarbage(mutate(scoped, rand), i % 2 === 0, 2));
    kinds.add(outcome.action === 'send' ? 'send' : outcome.reason);
    if (outcome.action === 'send') decodeV3Message(outcome.bytes);
  }
  t.ok(v3Counters.get('usmStatsDecryptionErrors') > 0, 'undecryptable authPriv data is reported');
  t.ok(counters.get('snmpInASNParseErrs') > 0, 'unparsable authNoPriv data is counted');
  t.ok(kinds.has('send'), [...kinds].join(', '));
});
