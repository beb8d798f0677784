// Tests for the generic MIB tree: lexicographic GETNEXT across scalars, tables and gaps, GET exceptions, sparse
// rows, not-accessible columns and per-view row caching.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { createMibTree, type MibProvider } from '../../src/snmp/mib.js';
import type { SnmpValue } from '../../src/snmp/types.js';
import { ConfigError } from '../../src/errors.js';
import { dotted, walk } from './support.js';

interface View {
  readonly n: number;
}
const int = (value: number): SnmpValue => ({ type: 'integer', value });
let rowCalls = 0;
const providers: MibProvider<View>[] = [
  { kind: 'scalar', oid: [1, 3, 9], read: (v) => int(v.n) },
  { kind: 'scalar', oid: [1, 3, 2], read: () => int(2) },
  {
    kind: 'table',
    entryOid: [1, 3, 5, 1],
    columns: [
      { id: 1, accessible: false },
      { id: 3, accessible: true },
      { id: 2, accessible: true },
    ],
    rows: (v) => {
      rowCalls++;
      // Out of order and sparse on purpose: row 10 has no column 3.
      return [
        { index: [10], cells: new Map([[2, int(102)]]) },
        { index: [2, 1], cells: new Map([[2, int(21)], [3, int(31)]]) },
        { index: [v.n], cells: new Map([[2, int(200 + v.n)], [3, int(300 + v.n)]]) },
      ];
    },
  },
  { kind: 'table', entryOid: [1, 3, 6, 1], columns: [{ id: 2, accessible: true }], rows: () => [] },
];
const tree = createMibTree(providers);

t.test('a walk from the root visits every instance in lexicographic order and ends', async (t) => {
  const got = walk(tree, { n: 4 }).map((vb) => `${dotted(vb.oid)}=${(vb.value as { value: number }).value}`);
  t.same(got, ['1.3.2.0=2', '1.3.5.1.2.2.1=21', '1.3.5.1.2.4=204', '1.3.5.1.2.10=102', '1.3.5.1.3.2.1=31', '1.3.5.1.3.4=304', '1.3.9.0=4']);
});

t.test('next from inside a gap, a row prefix or past a column continues at the following instance', async (t) => {
  const v = { n: 4 };
  t.same(tree.next(v, [1, 3, 2, 0, 7])?.oid, [1, 3, 5, 1, 2, 2, 1]);
  t.same(tree.next(v, [1, 3, 5, 1, 2, 2])?.oid, [1, 3, 5, 1, 2, 2, 1]);
  t.same(tree.next(v, [1, 3, 5, 1, 2, 99])?.oid, [1, 3, 5, 1, 3, 2, 1]);
  t.same(tree.next(v, [1, 3, 5, 1, 3, 4])?.oid, [1, 3, 9, 0], 'row 10 lacks column 3, so the walk leaves the table');
  t.same(tree.next(v, [1, 3, 5])?.oid, [1, 3, 5, 1, 2, 2, 1]);
  t.equal(tree.next(v, [1, 3, 9, 0]), undefined);
  t.equal(tree.next(v, [2]), undefined);
});

t.test('get distinguishes unknown objects from missing instances', async (t) => {
  const v = { n: 4 };
  t.same(tree.get(v, [1, 3, 9, 0]), int(4));
  t.same(tree.get(v, [1, 3, 9]), { type: 'noSuchInstance' }, 'scalar without .0');
  t.same(tree.get(v, [1, 3, 9, 1]), { type: 'noSuchInstance' });
  t.same(tree.get(v, [1, 3, 8, 0]), { type: 'noSuchObject' });
  t.same(tree.get(v, [1, 3]), { type: 'noSuchObject' });
  t.same(tree.get(v, [1, 3, 5, 1, 2, 2, 1]), int(21));
  t.same(tree.get(v, [1, 3, 5, 1, 2, 3]), { type: 'noSuchInstance' }, 'known column, no such row');
  t.same(tree.get(v, [1, 3, 5, 1, 3, 10]), { type: 'noSuchInstance' }, 'row without that cell');
  t.same(tree.get(v, [1, 3, 5, 1, 2]), { type: 'noSuchInstance' }, 'column without an index');
  t.same(tree.get(v, [1, 3, 5, 1, 1, 4]), { type: 'noSuchObject' }, 'not-accessible index column');
  t.same(tree.get(v, [1, 3, 5, 1, 7, 4]), { type: 'noSuchObject' }, 'undeclared column');
  t.same(tree.get(v, [1, 3, 5, 1]), { type: 'noSuchObject' }, 'the entry itself');
});

t.test('a table computes its rows once per view object', async (t) => {
  rowCalls = 0;
  const v = { n: 5 };
  walk(tree, v);
  tree.get(v, [1, 3, 5, 1, 2, 5]);
  t.equal(rowCalls, 1);
  walk(tree, { n: 5 });
  t.equal(rowCalls, 2, 'a new view recomputes');
});

t.test('an empty table contributes nothing to a walk', async (t) => {
  t.notOk(walk(tree, { n: 1 }).some((vb) => vb.oid[2] === 6));
  t.same(tree.get({ n: 1 }, [1, 3, 6, 1, 2, 1]), { type: 'noSuchInstance' });
});

t.test('overlapping providers are rejected', async (t) => {
  t.throws(
    () => createMibTree<View>([providers[0] as MibProvider<View>, { kind: 'scalar', oid: [1, 3, 9, 0], read: () => int(1) }]),
    ConfigError,
  );
});
