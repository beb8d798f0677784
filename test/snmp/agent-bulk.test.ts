// Unit tests of GetBulk in respond(): N + M·R arithmetic, endOfMibView per column, varbind and byte caps (RFC 3416 §4.2.3).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { respond, type RespondOptions } from '../../src/snmp/respond.js';
import { encodeMessage } from '../../src/snmp/message.js';
import { ErrorStatus, type CommunityMessage } from '../../src/snmp/types.js';
import { FakeTree, fakeEncode, int, request, shape, str } from './agent-fakes.js';

const OPTS: RespondOptions = { maxResponseBytes: 1472, maxBulkVarbinds: 48, encode: fakeEncode };

/** A scalar and a three-row, two-column table. */
function tree(): FakeTree {
  return new FakeTree([
    ['1.3.6.1.2.1.1.1.0', str('descr')],
    ['1.3.6.1.2.1.1.2.0', int(2)],
    ['1.3.6.1.4.1.2.1', int(11)],
    ['1.3.6.1.4.1.2.2', int(12)],
    ['1.3.6.1.4.1.2.3', int(13)],
    ['1.3.6.1.4.1.3.1', int(21)],
    ['1.3.6.1.4.1.3.2', int(22)],
    ['1.3.6.1.4.1.3.3', int(23)],
  ]);
}

function bulk(oids: string[], n: number, m: number, opts: RespondOptions = OPTS, fake = tree()): CommunityMessage {
  const result = respond(fake, () => 1, request(1, 'getBulk', oids, n, m), opts);
  if (result.action !== 'send') throw new Error(`dropped: ${result.reason}`);
  return result.response;
}

t.test('non-repeaters are answered once, then M rounds over the repeaters', async (t) => {
  const res = bulk(['1.3.6.1.2.1.1', '1.3.6.1.4.1.2', '1.3.6.1.4.1.3'], 1, 2);
  t.equal(res.pdu.errorStatus, ErrorStatus.noError);
  t.same(shape(res.pdu.varbinds), [
    '1.3.6.1.2.1.1.1.0=octets',
    '1.3.6.1.4.1.2.1=integer',
    '1.3.6.1.4.1.3.1=integer',
    '1.3.6.1.4.1.2.2=integer',
    '1.3.6.1.4.1.3.2=integer',
  ]);
});

t.test('max-repetitions 0 answers only the non-repeaters', async (t) => {
  const res = bulk(['1.3.6.1.2.1.1', '1.3.6.1.4.1.2'], 1, 0);
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.1.1.0=octets']);
});

t.test('non-repeaters beyond the varbind count mean all varbinds are non-repeaters', async (t) => {
  const res = bulk(['1.3.6.1.2.1.1', '1.3.6.1.4.1.2'], 7, 10);
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.1.1.0=octets', '1.3.6.1.4.1.2.1=integer']);
});

t.test('negative non-repeaters and max-repetitions count as zero', async (t) => {
  t.same(shape(bulk(['1.3.6.1.4.1.2'], -3, 1).pdu.varbinds), ['1.3.6.1.4.1.2.1=integer']);
  t.same(bulk(['1.3.6.1.4.1.2'], 0, -1).pdu.varbinds, []);
});

t.test('a column past the end repeats endOfMibView under its last name while others continue', async (t) => {
  const res = bulk(['1.3.6.1.4.1.3.1', '1.3.6.1.4.1.2.1'], 0, 4);
  t.same(shape(res.pdu.varbinds), [
    '1.3.6.1.4.1.3.2=integer',
    '1.3.6.1.4.1.2.2=integer',
    '1.3.6.1.4.1.3.3=integer',
    '1.3.6.1.4.1.2.3=integer',
    '1.3.6.1.4.1.3.3=endOfMibView',
    '1.3.6.1.4.1.3.1=integer',
    '1.3.6.1.4.1.3.3=endOfMibView',
    '1.3.6.1.4.1.3.2=integer',
  ]);
});

t.test('repetitions stop after the round in which every column has ended', async (t) => {
  const fake = tree();
  const res = bulk(['1.3.6.1.4.1.3.2'], 0, 2147483647, OPTS, fake);
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.4.1.3.3=integer', '1.3.6.1.4.1.3.3=endOfMibView']);
  t.ok(fake.nexts <= 2, 'the ended column is not looked up again');
});

t.test('a non-repeater past the end answers endOfMibView', async (t) => {
  t.same(shape(bulk(['1.3.6.1.5'], 1, 10).pdu.varbinds), ['1.3.6.1.5=endOfMibView']);
});

t.test('maxBulkVarbinds caps the response and the work done', async (t) => {
  const fake = tree();
  const res = bulk(['1.3.6.1'], 0, 50, { ...OPTS, maxBulkVarbinds: 3 }, fake);
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.1.1.0=octets', '1.3.6.1.2.1.1.2.0=integer', '1.3.6.1.4.1.2.1=integer']);
  t.equal(fake.nexts, 3);
});

t.test('maxBulkVarbinds also caps non-repeaters', async (t) => {
  const res = bulk(['1.3.6.1', '1.3.6.1.2.1.1.1.0', '1.3.6.1.4.1.2'], 3, 5, { ...OPTS, maxBulkVarbinds: 2 });
  t.same(shape(res.pdu.varbinds), ['1.3.6.1.2.1.1.1.0=octets', '1.3.6.1.2.1.1.2.0=integer']);
});

t.test('the byte cap drops trailing varbinds to the largest prefix that fits', async (t) => {
  // fakeEncode: 20 + 10 per varbind (+ octets length); the first varbind is 'descr' (15).
  const res = bulk(['1.3.6.1'], 0, 8, { ...OPTS, maxResponseBytes: 20 + 15 + 10 * 3 + 9 });
  t.equal(res.pdu.errorStatus, ErrorStatus.noError);
  t.equal(res.pdu.varbinds.length, 4);
  t.ok(fakeEncode(res).length <= 74);
});

t.test('a GetBulk whose first varbind does not fit answers with no varbinds', async (t) => {
  const res = bulk(['1.3.6.1'], 0, 8, { ...OPTS, maxResponseBytes: 25 });
  t.equal(res.pdu.errorStatus, ErrorStatus.noError);
  t.same(res.pdu.varbinds, []);
});

t.test('a GetBulk that cannot fit even empty is dropped', async (t) => {
  t.same(respond(tree(), () => 1, request(1, 'getBulk', ['1.3.6.1'], 0, 8), { ...OPTS, maxResponseBytes: 10 }), {
    action: 'drop',
    reason: 'too-big',
  });
});

t.test('a provider exception in a repetition answers genErr at the repeater index', async (t) => {
  const broken = new FakeTree([
    ['1.3.6.1.1.0', int(1)],
    ['1.3.6.1.2.1', int(2)],
    ['1.3.6.1.2.2', () => {
      throw new Error('bad row');
    }],
  ]);
  const req = request(1, 'getBulk', ['1.3.6.1.1', '1.3.6.1.2'], 1, 5);
  const result = respond(broken, () => 1, req, OPTS);
  t.ok(result.action === 'send');
  if (result.action !== 'send') return;
  t.equal(result.response.pdu.errorStatus, ErrorStatus.genErr);
  t.equal(result.response.pdu.errorIndex, 2);
  t.same(result.response.pdu.varbinds, req.pdu.varbinds);
});

t.test('with the real encoder the trimmed response is the longest prefix within maxResponseBytes', async (t) => {
  const opts = { maxResponseBytes: 120, maxBulkVarbinds: 48 };
  const result = respond(tree(), () => 1, request(1, 'getBulk', ['1.3.6.1'], 0, 8), opts);
  t.ok(result.action === 'send');
  if (result.action !== 'send') return;
  const kept = result.response.pdu.varbinds.length;
  t.ok(kept > 0 && kept < 8, `${kept} varbinds kept`);
  t.same(result.bytes, encodeMessage(result.response));
  t.ok(result.bytes.length <= 120);
  const full = respond(tree(), () => 1, request(1, 'getBulk', ['1.3.6.1'], 0, kept + 1), { ...opts, maxResponseBytes: 10_000 });
  t.ok(full.action === 'send' && full.bytes.length > 120, 'one more varbind would not fit');
});
