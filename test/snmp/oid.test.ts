// OID helper tests: GetNext order, dotted text both ways, prefix tests.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { compareOids, oidStartsWith, oidToString, parseOid } from '../../src/snmp/oid.js';

t.test('compareOids orders arc by arc and puts a prefix before its extensions', async (t) => {
  t.equal(compareOids([1, 3, 6], [1, 3, 6]), 0);
  t.equal(compareOids([1, 3], [1, 3, 0]), -1);
  t.equal(compareOids([1, 3, 0], [1, 3]), 1);
  t.equal(compareOids([1, 3, 6, 2], [1, 3, 6, 10]), -1);
  t.equal(compareOids([1, 3, 2 ** 32 - 1], [1, 3, 2 ** 32 - 2, 5]), 1);
  const sorted = [[1, 3, 6, 1, 2, 1, 43], [1, 3, 6, 1, 2, 1, 1, 1, 0], [1, 3, 6, 1, 2, 1, 1], [1, 3, 6, 1, 2, 1, 1, 10], [1, 3, 6, 1, 2, 1, 1, 2]].sort(compareOids);
  t.same(sorted.map(oidToString), ['1.3.6.1.2.1.1', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2', '1.3.6.1.2.1.1.10', '1.3.6.1.2.1.43']);
});

t.test('oidStartsWith accepts the OID itself and anything below it, nothing else', async (t) => {
  t.equal(oidStartsWith([1, 3, 6, 1, 2, 1, 43, 5], [1, 3, 6, 1, 2, 1, 43]), true);
  t.equal(oidStartsWith([1, 3, 6, 1, 2, 1, 43], [1, 3, 6, 1, 2, 1, 43]), true);
  t.equal(oidStartsWith([1, 3, 6, 1, 2, 1, 4], [1, 3, 6, 1, 2, 1, 43]), false);
  t.equal(oidStartsWith([1, 3, 6, 1, 2, 1, 44, 1], [1, 3, 6, 1, 2, 1, 43]), false);
});

t.test('parseOid reads dotted text, with or without a leading dot, and oidToString writes it back', async (t) => {
  t.same(parseOid('1.3.6.1.2.1.43.11.1.1.9.1.1'), [1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1]);
  t.same(parseOid('.1.3.6.1'), [1, 3, 6, 1]);
  t.same(parseOid('2.999.4294967295'), [2, 999, 4294967295]);
  t.equal(oidToString(parseOid('0.0')), '0.0');
});

t.test('parseOid refuses text that is not an encodable OID', async (t) => {
  for (const text of ['', '.', '1', '1..3', '1.3.', '1.3.a', '1.3.-1', '1.3.01', '1.3.4294967296', '3.1', '1.40', ' 1.3', '1.3.6.1e2', '1.3.99999999999']) {
    t.throws(() => parseOid(text), { name: 'FirmwareError', code: 'ERR_SNMP_ENCODE' }, JSON.stringify(text));
  }
});
