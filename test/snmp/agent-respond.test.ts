// Unit tests of respond(): GET/GETNEXT/SET, the SNMPv1 coexistence mapping, genErr, tooBig (RFC 3416 §4.2, RFC 3584).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { respond, type RespondOptions } from '../../src/snmp/respond.js';
import { ErrorStatus, type CommunityMessage } from '../../src/snmp/types.js';
import { FakeTree, fakeEncode, int, request, shape, str } from './agent-fakes.js';

const OPTS: RespondOptions = { maxResponseBytes: 1472, maxBulkVarbinds: 48, encode: fakeEncode };

function tree(): FakeTree {
  return new FakeTree([
    ['1.3.6.1.2.1.1.1.0', str('ippbridge')],
    ['1.3.6.1.2.1.1.3.0', { type: 'timeticks', value: 100 }],
    ['1.3.6.1.2.1.2.1.0', { type: 'counter64', value: 5n }],
    ['1.3.6.1.2.1.25.3.2.1.5.1', int(2)],
  ]);
}

function sent(result: ReturnType<typeof respond>): CommunityMessage {
  if (result.action !== 'send') throw new Error(`expected a response, got a drop (${result.reason})`);
  return result.response;
}

t.test('a v2c GET answers each varbind, with exceptions in place', async (t) => {
  const res = sent(respond(tree(), () => 1, request(1, 'get', ['1.3.6.1.2.1.1.1.0', '1.3.6.1.9.0', '1.3.6.1.2.1.2.1.0']), OPTS));
  t.equal(res.pdu.type, 'response');
  t.equal(res.pdu.requestId, 42);
  t.equal(res.pdu.errorStatus, ErrorStatus.noError);
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.1.1.0=octets', '1.3.6.1.9.0=noSuchObject', '1.3.6.1.2.1.2.1.0=counter64']);
});

t.test('a v1 GET of a missing object fails the whole PDU with noSuchName and echoes the request', async (t) => {
  const req = request(0, 'get', ['1.3.6.1.2.1.1.1.0', '1.3.6.1.9.0']);
  const res = sent(respond(tree(), () => 1, req, OPTS));
  t.equal(res.version, 0);
  t.equal(res.pdu.errorStatus, ErrorStatus.noSuchName);
  t.equal(res.pdu.errorIndex, 2);
  t.same(res.pdu.varbinds, req.pdu.varbinds);
});

t.test('a v1 GET of a Counter64 object answers noSuchName', async (t) => {
  const res = sent(respond(tree(), () => 1, request(0, 'get', ['1.3.6.1.2.1.2.1.0']), OPTS));
  t.equal(res.pdu.errorStatus, ErrorStatus.noSuchName);
  t.equal(res.pdu.errorIndex, 1);
});

t.test('a v2c GETNEXT past the end answers endOfMibView under the requested name', async (t) => {
  const res = sent(respond(tree(), () => 1, request(1, 'getNext', ['1.3.6.1.2.1.1.1.0', '1.3.6.1.3']), OPTS));
  t.equal(res.pdu.errorStatus, 0);
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.1.3.0=timeticks', '1.3.6.1.3=endOfMibView']);
});

t.test('a v1 GETNEXT skips Counter64 instances', async (t) => {
  const res = sent(respond(tree(), () => 1, request(0, 'getNext', ['1.3.6.1.2.1.1.3.0']), OPTS));
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.25.3.2.1.5.1=integer']);
});

t.test('a v1 GETNEXT past the end answers noSuchName with its index', async (t) => {
  const req = request(0, 'getNext', ['1.3.6.1.2.1.1', '1.3.6.1.2.1.25.3.2.1.5.1']);
  const res = sent(respond(tree(), () => 1, req, OPTS));
  t.equal(res.pdu.errorStatus, ErrorStatus.noSuchName);
  t.equal(res.pdu.errorIndex, 2);
  t.same(res.pdu.varbinds, req.pdu.varbinds);
});

t.test('a SET is refused as notWritable in v2c and noSuchName in v1, never applied', async (t) => {
  const v2 = sent(respond(tree(), () => 1, request(1, 'set', ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.3.0']), OPTS));
  t.equal(v2.pdu.errorStatus, ErrorStatus.notWritable);
  t.equal(v2.pdu.errorIndex, 1);
  t.equal(v2.pdu.varbinds.length, 2);
  const v1 = sent(respond(tree(), () => 1, request(0, 'set', ['1.3.6.1.2.1.1.1.0']), OPTS));
  t.equal(v1.pdu.errorStatus, ErrorStatus.noSuchName);
  t.equal(v1.pdu.errorIndex, 1);
});

t.test('response-class PDUs and a v1 GetBulk are dropped', async (t) => {
  for (const type of ['response', 'trapV2', 'report', 'inform'] as const) {
    const res = respond(tree(), () => 1, request(1, type, ['1.3.6.1']), OPTS);
    t.same(res, { action: 'drop', reason: 'not-a-request' }, type);
  }
  t.same(respond(tree(), () => 1, request(0, 'getBulk', ['1.3.6.1'], 0, 5), OPTS), { action: 'drop', reason: 'bulk-in-v1' });
});

t.test('every varbind of one PDU is read from one capture()', async (t) => {
  let captures = 0;
  const views: number[] = [];
  const spy = new FakeTree([
    ['1.3.6.1.1.0', (v) => (views.push(v), int(v))],
    ['1.3.6.1.2.0', (v) => (views.push(v), int(v))],
  ]);
  sent(respond(spy, () => ++captures, request(1, 'get', ['1.3.6.1.1.0', '1.3.6.1.2.0']), OPTS));
  sent(respond(spy, () => ++captures, request(1, 'getNext', ['1.3.6.1', '1.3.6.1.1.0']), OPTS));
  t.equal(captures, 2);
  t.same(views, [1, 1, 2, 2]);
});

t.test('a provider exception answers genErr at the failing varbind and reports the failure', async (t) => {
  const broken = new FakeTree([
    ['1.3.6.1.1.0', int(1)],
    ['1.3.6.1.2.0', () => {
      throw new TypeError('provider bug');
    }],
  ]);
  for (const version of [0, 1] as const) {
    const req = request(version, 'get', ['1.3.6.1.1.0', '1.3.6.1.2.0']);
    const result = respond(broken, () => 1, req, OPTS);
    const res = sent(result);
    t.equal(res.pdu.errorStatus, ErrorStatus.genErr);
    t.equal(res.pdu.errorIndex, 2);
    t.same(res.pdu.varbinds, req.pdu.varbinds);
    t.type(result.failure, TypeError);
  }
});

t.test('a capture() exception answers genErr with error-index 0', async (t) => {
  const result = respond(tree(), () => {
    throw new Error('state unavailable');
  }, request(1, 'getNext', ['1.3.6.1']), OPTS);
  t.equal(sent(result).pdu.errorStatus, ErrorStatus.genErr);
  t.equal(sent(result).pdu.errorIndex, 0);
  t.ok(result.failure);
});

t.test('a value the encoder refuses answers genErr instead of throwing', async (t) => {
  const bad = new FakeTree([['1.3.6.1.1.0', int(1.5)]]);
  const result = respond(bad, () => 1, request(1, 'get', ['1.3.6.1.1.0']), OPTS);
  t.equal(sent(result).pdu.errorStatus, ErrorStatus.genErr);
  t.type(result.failure, RangeError);
});

t.test('a successor that does not increase is a provider bug answered with genErr', async (t) => {
  const looping = {
    get: () => int(1),
    next: () => ({ oid: [1, 3, 6, 1], value: int(1) }),
  };
  const result = respond(looping, () => 1, request(1, 'getNext', ['1.3.6.1.5']), OPTS);
  t.equal(sent(result).pdu.errorStatus, ErrorStatus.genErr);
  t.equal(sent(result).pdu.errorIndex, 1);
});

t.test('a v2c GET too big for maxResponseBytes answers tooBig with no varbinds', async (t) => {
  const big = new FakeTree([['1.3.6.1.1.0', str('x'.repeat(100))]]);
  const result = respond(big, () => 1, request(1, 'get', ['1.3.6.1.1.0']), { ...OPTS, maxResponseBytes: 100 });
  const res = sent(result);
  t.equal(res.pdu.errorStatus, ErrorStatus.tooBig);
  t.equal(res.pdu.errorIndex, 0);
  t.same(res.pdu.varbinds, []);
  t.ok(result.action === 'send' && result.bytes.length <= 100);
});

t.test('a v1 GETNEXT too big answers tooBig echoing the request varbinds', async (t) => {
  const big = new FakeTree([['1.3.6.1.1.0', str('x'.repeat(100))]]);
  const req = request(0, 'getNext', ['1.3.6.1']);
  const res = sent(respond(big, () => 1, req, { ...OPTS, maxResponseBytes: 100 }));
  t.equal(res.pdu.errorStatus, ErrorStatus.tooBig);
  t.same(res.pdu.varbinds, req.pdu.varbinds);
});

t.test('a response that does not fit even as tooBig is dropped', async (t) => {
  const big = new FakeTree([['1.3.6.1.1.0', str('x'.repeat(100))]]);
  t.same(respond(big, () => 1, request(1, 'get', ['1.3.6.1.1.0']), { ...OPTS, maxResponseBytes: 19 }), {
    action: 'drop',
    reason: 'too-big',
  });
  t.same(respond(big, () => 1, request(0, 'get', ['1.3.6.1.1.0']), { ...OPTS, maxResponseBytes: 29 }), {
    action: 'drop',
    reason: 'too-big',
  });
});

t.test('the bytes returned are the encoding of the response', async (t) => {
  const result = respond(tree(), () => 1, request(1, 'get', ['1.3.6.1.2.1.1.1.0']), OPTS);
  t.ok(result.action === 'send');
  if (result.action === 'send') t.same(result.bytes, fakeEncode(result.response));
});
