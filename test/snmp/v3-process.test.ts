// SNMPv3 processing (RFC 3412 §7.2, RFC 3414 §3.2): discovery, every report, the time window and replays,
// authPriv and authNoPriv answers, the msgMaxSize budget, and message checks that drop silently.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import type { V3Outcome } from '../../src/snmp/v3-process.js';
import { MsgFlags } from '../../src/snmp/v3-message.js';
import { AUTH_USER, PRIV_USER, TEST_ENGINE_ID, buildRequest, getPdu, makeProcessor, managerKeys, openResponse, type RequestSpec } from './v3-manager.js';

const SYS_DESCR = [1, 3, 6, 1, 2, 1, 1, 1, 0];
const ENGINE_ID_OID = [1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0];
const ENGINE_BOOTS_OID = [1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0];
const alice = managerKeys(PRIV_USER);
const bob = managerKeys(AUTH_USER);

function sent(t: Test, outcome: V3Outcome): Uint8Array {
  if (outcome.action !== 'send') {
    t.fail(`dropped: ${outcome.reason}`);
    return new Uint8Array(0);
  }
  return outcome.bytes;
}

/** A well-formed authPriv GET from alice at the agent's current boots and time. */
function aliceGet(boots: number, time: number, over: Partial<RequestSpec> = {}): Buffer {
  return buildRequest({ user: alice, userName: 'alice', level: 'authPriv', engineId: TEST_ENGINE_ID, boots, time, pdu: getPdu(9, ENGINE_BOOTS_OID), ...over });
}

/** Open a report and return its single counter OID and value. */
function reportOf(t: Test, outcome: V3Outcome, user?: Parameters<typeof openResponse>[1]): { oid: string; value: unknown; flags: number } {
  const opened = openResponse(sent(t, outcome), user);
  t.equal(opened.scoped.pdu.type, 'report');
  t.equal(opened.scoped.pdu.varbinds.length, 1);
  const vb = opened.scoped.pdu.varbinds[0];
  return { oid: vb?.oid.join('.') ?? '', value: vb?.value.type === 'counter32' ? vb.value.value : vb?.value, flags: opened.header.msgFlags };
}

t.test('discovery gets a usmStatsUnknownEngineIDs report carrying our engineID, boots and time', async (t) => {
  const { processor, engine, clock } = makeProcessor(7);
  clock.ms += 42_500;
  const probe = buildRequest({ userName: '', level: 'noAuthNoPriv', engineId: new Uint8Array(0), boots: 0, time: 0, pdu: getPdu(77), msgId: 1001 });
  const opened = openResponse(sent(t, processor.handle(probe)));
  t.equal(opened.header.msgId, 1001);
  t.equal(opened.header.msgFlags, 0, 'noAuthNoPriv, not reportable');
  t.same(opened.params.engineId, engine.engineId);
  t.equal(opened.params.engineBoots, 7);
  t.equal(opened.params.engineTime, 42);
  t.equal(opened.scoped.pdu.type, 'report');
  t.equal(opened.scoped.pdu.requestId, 77);
  t.same(opened.scoped.pdu.varbinds, [{ oid: [1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0], value: { type: 'counter32', value: 1 } }]);
});

t.test('a non-reportable message with an unknown engineID is counted and dropped', async (t) => {
  const { processor, v3Counters } = makeProcessor();
  const probe = buildRequest({ userName: '', level: 'noAuthNoPriv', engineId: new Uint8Array(0), boots: 0, time: 0, pdu: getPdu(1), reportable: false });
  t.same(processor.handle(probe), { action: 'drop', reason: 'not-reportable' });
  t.equal(v3Counters.get('usmStatsUnknownEngineIDs'), 1);
});

t.test('an unknown user gets a usmStatsUnknownUserNames report', async (t) => {
  const { processor, engine } = makeProcessor();
  const request = aliceGet(engine.boots, engine.time(), { userName: 'mallory' });
  t.match(reportOf(t, processor.handle(request)), { oid: '1.3.6.1.6.3.15.1.1.3.0', value: 1, flags: 0 });
});

t.test('noAuthNoPriv, and authNoPriv for a user with privacy, get usmStatsUnsupportedSecLevels reports', async (t) => {
  const { processor, engine } = makeProcessor();
  const plain = aliceGet(engine.boots, engine.time(), { level: 'noAuthNoPriv' });
  t.match(reportOf(t, processor.handle(plain)), { oid: '1.3.6.1.6.3.15.1.1.1.0', value: 1 });
  const noPriv = aliceGet(engine.boots, engine.time(), { level: 'authNoPriv' });
  t.match(reportOf(t, processor.handle(noPriv)), { oid: '1.3.6.1.6.3.15.1.1.1.0', value: 2 });
  const bobPriv = buildRequest({ user: alice, userName: 'bob', level: 'authPriv', engineId: TEST_ENGINE_ID, boots: engine.boots, time: 0, pdu: getPdu(1) });
  t.match(reportOf(t, processor.handle(bobPriv)), { oid: '1.3.6.1.6.3.15.1.1.1.0', value: 3 });
});

t.test('a wrong digest gets a usmStatsWrongDigests report and no data', async (t) => {
  const { processor, engine } = makeProcessor();
  const wrong = managerKeys({ ...PRIV_USER, authPassword: 'not-the-password' });
  const request = aliceGet(engine.boots, engine.time(), { user: { ...alice, authKey: wrong.authKey } });
  t.match(reportOf(t, processor.handle(request)), { oid: '1.3.6.1.6.3.15.1.1.5.0', value: 1, flags: 0 });
  const flipped = aliceGet(engine.boots, engine.time());
  flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
  t.match(reportOf(t, processor.handle(flipped)), { oid: '1.3.6.1.6.3.15.1.1.5.0', value: 2 }, 'a changed byte breaks the digest');
});

t.test('an engineTime more than 150 s away gets an authenticated usmStatsNotInTimeWindows report', async (t) => {
  const { processor, engine, clock } = makeProcessor();
  clock.ms += 1_000_000;
  const now = engine.time();
  t.equal(now, 1000);
  const ahead = openResponse(sent(t, processor.handle(aliceGet(engine.boots, now + 151))), alice);
  t.equal(ahead.scoped.pdu.varbinds[0]?.oid.join('.'), '1.3.6.1.6.3.15.1.1.2.0');
  t.equal(ahead.header.msgFlags, MsgFlags.auth, 'authNoPriv report');
  t.equal(ahead.isAuthentic, true, 'signed with the user key');
  t.equal(ahead.params.engineTime, now, 'carries our time');
  t.equal(ahead.params.engineBoots, engine.boots);
  t.match(reportOf(t, processor.handle(aliceGet(engine.boots, now - 151)), alice), { oid: '1.3.6.1.6.3.15.1.1.2.0', value: 2 });
  const edge = openResponse(sent(t, processor.handle(aliceGet(engine.boots, now - 150))), alice);
  t.equal(edge.scoped.pdu.type, 'response', '150 s is inside the window');
});

t.test('a replay from an earlier boot is rejected as not in the time window', async (t) => {
  const { processor, engine } = makeProcessor(7);
  const old = aliceGet(6, engine.time());
  t.match(reportOf(t, processor.handle(old), alice), { oid: '1.3.6.1.6.3.15.1.1.2.0', value: 1 });
  // The same request built for the current boot is served: only the old boot count made the difference.
  t.equal(openResponse(sent(t, processor.handle(aliceGet(7, engine.time()))), alice).scoped.pdu.type, 'response');
});

t.test('a message that does not decrypt gets a usmStatsDecryptionErrors report', async (t) => {
  const { processor, engine } = makeProcessor();
  const badSalt = aliceGet(engine.boots, engine.time(), { salt: Buffer.from('0102', 'hex') });
  t.match(reportOf(t, processor.handle(badSalt)), { oid: '1.3.6.1.6.3.15.1.1.6.0', value: 1 });
  const wrongKey = managerKeys({ ...PRIV_USER, privPassword: 'other-priv-key' });
  const garbled = aliceGet(engine.boots, engine.time(), { user: { ...alice, priv: wrongKey.priv } });
  t.match(reportOf(t, processor.handle(garbled)), { oid: '1.3.6.1.6.3.15.1.1.6.0', value: 2 });
});

t.test('an authPriv GET is answered encrypted and signed with the request msgID', async (t) => {
  const { processor, engine } = makeProcessor(7);
  const opened = openResponse(sent(t, processor.handle(aliceGet(engine.boots, engine.time(), { msgId: 555, pdu: getPdu(31, ENGINE_ID_OID, ENGINE_BOOTS_OID) }))), alice);
  t.equal(opened.header.msgId, 555);
  t.equal(opened.header.msgFlags, MsgFlags.auth | MsgFlags.priv, 'authPriv, not reportable');
  t.equal(opened.isAuthentic, true);
  t.equal(opened.params.privParams.length, 8, 'salt');
  t.same(opened.params.userName, Buffer.from('alice'));
  t.same(opened.scoped.contextEngineId, TEST_ENGINE_ID);
  t.same(opened.scoped.pdu, {
    type: 'response',
    requestId: 31,
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [
      { oid: ENGINE_ID_OID, value: { type: 'octets', value: new Uint8Array(TEST_ENGINE_ID) } },
      { oid: ENGINE_BOOTS_OID, value: { type: 'integer', value: 7 } },
    ],
  });
});

t.test('an authNoPriv GET is answered in plaintext, signed', async (t) => {
  const { processor, engine } = makeProcessor();
  const request = buildRequest({ user: bob, userName: 'bob', level: 'authNoPriv', engineId: TEST_ENGINE_ID, boots: engine.boots, time: 3, pdu: getPdu(5, SYS_DESCR) });
  const opened = openResponse(sent(t, processor.handle(request)), bob);
  t.equal(opened.header.msgFlags, MsgFlags.auth);
  t.equal(opened.isAuthentic, true);
  t.same(opened.scoped.pdu.varbinds, [{ oid: SYS_DESCR, value: { type: 'noSuchObject' } }], 'the test tree has no system group');
});

t.test('a GetBulk response fits the request msgMaxSize', async (t) => {
  const { processor, engine } = makeProcessor(7, 1472);
  const bulk = { type: 'getBulk' as const, requestId: 3, errorStatus: 0, errorIndex: 40, varbinds: [{ oid: [1, 3], value: { type: 'null' as const } }] };
  const big = sent(t, processor.handle(aliceGet(engine.boots, engine.time(), { pdu: bulk })));
  const small = sent(t, processor.handle(aliceGet(engine.boots, engine.time(), { pdu: bulk, msgMaxSize: 484 })));
  t.ok(small.length <= 484, `${small.length} octets`);
  t.ok(big.length > small.length);
  t.ok(openResponse(small, alice).scoped.pdu.varbinds.length >= 1);
});

t.test('a non-empty contextName gets a snmpUnknownContexts report', async (t) => {
  const { processor, engine } = makeProcessor();
  t.match(reportOf(t, processor.handle(aliceGet(engine.boots, engine.time(), { contextName: 'other' })), alice), { oid: '1.3.6.1.6.3.12.1.5.0', value: 1 });
});

t.test('other security models, privacy without authentication and tiny msgMaxSize are dropped and counted', async (t) => {
  const { processor, engine, v3Counters, counters } = makeProcessor();
  t.same(processor.handle(aliceGet(engine.boots, 0, { securityModel: 2 })), { action: 'drop', reason: 'unknown-security-model' });
  t.equal(v3Counters.get('snmpUnknownSecurityModels'), 1);
  t.same(processor.handle(aliceGet(engine.boots, 0, { msgMaxSize: 483 })), { action: 'drop', reason: 'invalid' });
  const privOnly = Buffer.from(aliceGet(engine.boots, 0));
  const flagsAt = privOnly.indexOf(Buffer.from([0x04, 0x01, 0x07]));
  privOnly[flagsAt + 2] = MsgFlags.priv | MsgFlags.reportable;
  t.same(processor.handle(privOnly), { action: 'drop', reason: 'invalid' });
  t.equal(v3Counters.get('snmpInvalidMsgs'), 2);
  t.same(processor.handle(Buffer.from('300602010304010a', 'hex')), { action: 'drop', reason: 'parse' });
  t.equal(counters.get('snmpInASNParseErrs'), 1);
});
