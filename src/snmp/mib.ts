// The MIB provider contract (architecture.md §5.5) and the tree that answers GET and GETNEXT from declarative scalar
// and table providers, in lexicographic OID order (RFC 3416 §4.2.1-§4.2.2). The MIB is a view, never the source of truth.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../errors.js';
import { compareOids, oidStartsWith } from './oid.js';
import type { Oid, SnmpValue, VarBind } from './types.js';
import type { SnmpPrinterView } from './view.js';
import { systemGroup } from './system-group.js';
import { hostResources } from './host-resources.js';
import { printerMibGeneral } from './printer-mib-general.js';
import { printerMibIo } from './printer-mib-io.js';
import { printerMibMarker } from './printer-mib-marker.js';
import { printerMibChannel } from './printer-mib-channel.js';
import { printerMibAlert } from './printer-mib-alert.js';
import { portMonitor } from './port-monitor.js';

/** A scalar object; its one instance is `oid.0`. */
export interface ScalarProvider<V> {
  readonly kind: 'scalar';
  /** the object's OID, without the `.0` instance arc */
  readonly oid: Oid;
  read(view: V): SnmpValue;
}

/** A column of a conceptual table; not-accessible columns (INDEX objects) never appear in GET or walks. */
export interface TableColumn {
  readonly id: number;
  readonly accessible: boolean;
}

/** One conceptual row: its instance index and the cells it has (a missing cell is absent, not an error). */
export interface TableRow {
  readonly index: Oid;
  readonly cells: ReadonlyMap<number, SnmpValue>;
}

/** A conceptual table (`entryOid` is the xxxEntry object); rows are computed once per view. */
export interface TableProvider<V> {
  readonly kind: 'table';
  readonly entryOid: Oid;
  readonly columns: readonly TableColumn[];
  rows(view: V): Iterable<TableRow>;
}

export type MibProvider<V> = ScalarProvider<V> | TableProvider<V>;

/** GET and GETNEXT over a fixed set of providers. */
export interface GenericMibTree<V extends object> {
  /** The value of one instance; noSuchObject for an unknown object, noSuchInstance for a known object's missing instance. */
  get(view: V, oid: Oid): SnmpValue;
  /** The first accessible instance strictly after `oid`, or undefined at the end of the MIB view. */
  next(view: V, oid: Oid): VarBind | undefined;
}

/** The tree the agent answers from. */
export type MibTree = GenericMibTree<SnmpPrinterView>;

const compare = compareOids;
const isPrefix = (prefix: Oid, oid: Oid): boolean => oidStartsWith(oid, prefix);

const NO_SUCH_OBJECT: SnmpValue = { type: 'noSuchObject' };
const NO_SUCH_INSTANCE: SnmpValue = { type: 'noSuchInstance' };

/** Sorted rows of a table for one view. */
type SortedRows = readonly TableRow[];

/** A provider with its sort key and, for tables, its accessible columns and per-view row cache. */
interface Node<V extends object> {
  readonly base: Oid;
  readonly provider: MibProvider<V>;
  readonly columns: readonly number[];
  /** base.col for each accessible column, in column order (built once, not per lookup) */
  readonly columnOids: readonly Oid[];
  /** a scalar's one instance, base.0 */
  readonly instance: Oid;
  readonly cache: WeakMap<V, SortedRows>;
}

/** First position in `rows` whose index is > `after` (binary search). */
function firstRowAfter(rows: SortedRows, after: Oid): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare((rows[mid] as TableRow).index, after) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function rowsOf<V extends object>(node: Node<V>, table: TableProvider<V>, view: V): SortedRows {
  let rows = node.cache.get(view);
  if (!rows) {
    rows = [...table.rows(view)].sort((a, b) => compare(a.index, b.index));
    node.cache.set(view, rows);
  }
  return rows;
}

function tableGet<V extends object>(node: Node<V>, table: TableProvider<V>, view: V, oid: Oid): SnmpValue {
  const col = oid[node.base.length];
  if (col === undefined || !node.columns.includes(col)) return NO_SUCH_OBJECT;
  const index = oid.slice(node.base.length + 1);
  const rows = rowsOf(node, table, view);
  const at = firstRowAfter(rows, index) - 1;
  const row = rows[at];
  if (!row || compare(row.index, index) !== 0) return NO_SUCH_INSTANCE;
  return row.cells.get(col) ?? NO_SUCH_INSTANCE;
}

function tableNext<V extends object>(node: Node<V>, table: TableProvider<V>, view: V, oid: Oid): VarBind | undefined {
  const rows = rowsOf(node, table, view);
  if (rows.length === 0) return undefined;
  const base = node.base;
  const columns = node.columns;
  // Where `oid` falls: before the table (every column from its first row), or in column `col` (rows after its
  // index there, then every later column from its first row).
  const isInside = isPrefix(base, oid) && oid.length > base.length;
  if (!isInside && compare(base, oid) < 0) return undefined;
  const col = isInside ? (oid[base.length] as number) : -1;
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c] as number;
    if (column < col) continue;
    const start = column === col ? firstRowAfter(rows, oid.slice(base.length + 1)) : 0;
    // Rows are sparse: skip those without this column.
    for (let i = start; i < rows.length; i++) {
      const row = rows[i] as TableRow;
      const value = row.cells.get(column);
      if (value) return { oid: [...(node.columnOids[c] as Oid), ...row.index], value };
    }
  }
  return undefined;
}

function scalarNext<V extends object>(node: Node<V>, p: ScalarProvider<V>, view: V, oid: Oid): VarBind | undefined {
  const instance = node.instance;
  return compare(instance, oid) > 0 ? { oid: instance, value: p.read(view) } : undefined;
}

/** A tree over `providers`; throws ConfigError when two providers overlap (one's OID is a prefix of another's). */
export function createMibTree<V extends object>(providers: readonly MibProvider<V>[]): GenericMibTree<V> {
  const nodes: Node<V>[] = providers
    .map((provider) => {
      const base = provider.kind === 'scalar' ? provider.oid : provider.entryOid;
      const columns = provider.kind === 'table' ? provider.columns.filter((c) => c.accessible).map((c) => c.id).sort((a, b) => a - b) : [];
      const columnOids = columns.map((col) => Object.freeze([...base, col]));
      return { base, provider, columns, columnOids, instance: Object.freeze([...base, 0]), cache: new WeakMap<V, SortedRows>() };
    })
    .sort((a, b) => compare(a.base, b.base));
  for (let i = 1; i < nodes.length; i++) {
    const prev = (nodes[i - 1] as Node<V>).base;
    if (isPrefix(prev, (nodes[i] as Node<V>).base)) throw new ConfigError(`MIB providers overlap at ${prev.join('.')}`);
  }

  /** The node the last lookup started at: a walk stays in one subtree for many steps. */
  let lastNode = 0;
  /** Index of the first node whose subtree may hold an OID > `oid`. */
  const firstCandidate = (oid: Oid): number => {
    const last = nodes[lastNode];
    if (last !== undefined && isPrefix(last.base, oid)) return lastNode;
    lastNode = searchCandidate(oid);
    return lastNode;
  };
  const searchCandidate = (oid: Oid): number => {
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare((nodes[mid] as Node<V>).base, oid) > 0) hi = mid;
      else lo = mid + 1;
    }
    const before = nodes[lo - 1];
    return before && isPrefix(before.base, oid) ? lo - 1 : lo;
  };

  return {
    get(view, oid) {
      const node = nodes[firstCandidate(oid)];
      if (!node || !isPrefix(node.base, oid)) return NO_SUCH_OBJECT;
      const p = node.provider;
      if (p.kind === 'table') return tableGet(node, p, view, oid);
      return oid.length === p.oid.length + 1 && oid[p.oid.length] === 0 ? p.read(view) : NO_SUCH_INSTANCE;
    },
    next(view, oid) {
      for (let i = firstCandidate(oid); i < nodes.length; i++) {
        const node = nodes[i] as Node<V>;
        const p = node.provider;
        const found = p.kind === 'table' ? tableNext(node, p, view, oid) : scalarNext(node, p, view, oid);
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** Every provider ippbridge serves: system group, hrDevice/hrPrinter row 1, Printer MIB v2, Port Monitor MIB. */
export function printerMibProviders(): MibProvider<SnmpPrinterView>[] {
  return [
    ...systemGroup(),
    ...hostResources(),
    ...printerMibGeneral(),
    ...printerMibIo(),
    ...printerMibMarker(),
    ...printerMibChannel(),
    ...printerMibAlert(),
    ...portMonitor(),
  ];
}

/** The tree of {@link printerMibProviders}. */
export function buildPrinterMibTree(): MibTree {
  return createMibTree(printerMibProviders());
}
