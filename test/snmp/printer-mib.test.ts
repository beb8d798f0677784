// Tests for the served Printer MIB tree on a fake-engine Printer: walk order and GET consistency, the objects
// clients read (§2.6), supplies/colorants against IPP printer-supply, the alert table life cycle and counters.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { makeTestPrinter } from '../support/fake-engine.js';
import { buildPrinterMibTree } from '../../src/snmp/mib.js';
import type { Oid, SnmpValue } from '../../src/snmp/types.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import type { SupplyStatus } from '../../drivers/driver.js';
import { dotted, snmpState, TEST_SYS_OBJECT_ID, walk } from './support.js';

const SUPPLIES: SupplyStatus[] = [
  { type: 'toner', description: 'Black toner', color: '#000000', level: 40, lowLevel: 10 },
  { type: 'toner', description: 'Cyan toner', color: '#00FFFF', level: -3, lowLevel: 10 },
  { type: 'wasteToner', description: 'Waste toner', color: 'none', level: -2, lowLevel: 0 },
];
const tree = buildPrinterMibTree();
const P = (...arcs: number[]): Oid => [1, 3, 6, 1, 2, 1, 43, ...arcs];
const text = (v: SnmpValue): string => (v.type === 'octets' ? Buffer.from(v.value).toString('utf8') : `<${v.type}>`);
const num = (v: SnmpValue): number => ('value' in v && typeof v.value === 'number' ? v.value : NaN);

async function setup(t: { teardown: (fn: () => unknown) => void }, reasons: string[] = []) {
  const { printer, engine } = await makeTestPrinter(t);
  engine.engineStatus = { reasons, supplies: SUPPLIES };
  await printer.pollStatus();
  const clock = { ms: 0 };
  const state = snmpState(t, printer, clock);
  return { printer, engine, state, clock };
}

t.test('a walk from the empty OID visits strictly increasing OIDs, ends, and GET returns the walked values', async (t) => {
  const { state } = await setup(t, ['media-empty-error', 'toner-low-warning']);
  const view = state.capture();
  const all = walk(tree, view);
  t.ok(all.length > 150, `walked ${all.length} objects`);
  for (let i = 1; i < all.length; i++) {
    const a = dotted((all[i - 1] as { oid: Oid }).oid);
    const b = (all[i] as { oid: Oid }).oid;
    if (!(compare((all[i - 1] as { oid: Oid }).oid, b) < 0)) t.fail(`${a} >= ${dotted(b)}`);
  }
  for (const vb of all) t.same(tree.get(view, vb.oid), vb.value, dotted(vb.oid));
  t.equal(tree.next(view, (all.at(-1) as { oid: Oid }).oid), undefined);
  t.notOk(all.some((vb) => vb.value.type === 'counter64'), 'no Counter64 for v1 clients');
});

function compare(a: Oid, b: Oid): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

t.test('not-accessible index columns never appear and GET on them is noSuchObject', async (t) => {
  const { state } = await setup(t, ['media-jam-error']);
  const view = state.capture();
  const all = walk(tree, view);
  for (const entry of [P(6, 1, 1), P(7, 1, 1), P(8, 2, 1), P(9, 2, 1), P(10, 2, 1), P(11, 1, 1), P(12, 1, 1), P(13, 4, 1), P(14, 1, 1), P(15, 1, 1), P(16, 5, 1), P(17, 6, 1), P(18, 1, 1)]) {
    t.notOk(all.some((vb) => dotted(vb.oid).startsWith(`${dotted(entry)}.1.`)), `${dotted(entry)}.1 absent`);
    t.same(tree.get(view, [...entry, 1, 1, 1]), { type: 'noSuchObject' });
  }
});

t.test('GET tells a missing instance of a known object from an unknown object', async (t) => {
  const { state } = await setup(t);
  const view = state.capture();
  t.same(tree.get(view, P(11, 1, 1, 9)), { type: 'noSuchInstance' }, 'column prefix without index');
  t.same(tree.get(view, P(11, 1, 1, 9, 1, 99)), { type: 'noSuchInstance' }, 'no supply 99');
  t.same(tree.get(view, [1, 3, 6, 1, 2, 1, 1, 1]), { type: 'noSuchInstance' }, 'sysDescr without .0');
  t.same(tree.get(view, P(11, 1, 1, 99, 1, 1)), { type: 'noSuchObject' }, 'no column 99');
  t.same(tree.get(view, P(99, 1)), { type: 'noSuchObject' });
  t.same(tree.get(view, [1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 2, 1, 1, 3]), { type: 'noSuchInstance' }, 'ppm column, no index');
  t.same(tree.get(view, [1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 2, 1, 3, 1]), { type: 'noSuchObject' }, 'the OID without the entry arc');
});

t.test('the objects clients read (§2.6) are present with the documented values and types', async (t) => {
  const { state, printer } = await setup(t);
  const v = state.capture();
  const get = (oid: Oid): SnmpValue => tree.get(v, oid);
  t.equal(text(get([1, 3, 6, 1, 2, 1, 1, 1, 0])), 'ippbridge 0.1.0 on Test Board, Fake Office Color 100');
  t.same(get([1, 3, 6, 1, 2, 1, 1, 2, 0]), { type: 'oid', value: TEST_SYS_OBJECT_ID });
  t.equal(get([1, 3, 6, 1, 2, 1, 1, 3, 0]).type, 'timeticks');
  t.equal(text(get([1, 3, 6, 1, 2, 1, 1, 5, 0])), 'Fake Printer');
  t.equal(text(get([1, 3, 6, 1, 2, 1, 1, 6, 0])), 'Test bench');
  t.equal(num(get([1, 3, 6, 1, 2, 1, 1, 7, 0])), 72);
  t.same(get([1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 2, 1]), { type: 'oid', value: [1, 3, 6, 1, 2, 1, 25, 3, 1, 5] });
  t.equal(text(get([1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3, 1])), 'Fake Office Color 100');
  t.equal(num(get(P(5, 1, 1, 2, 1))), 1, 'prtGeneralCurrentLocalization');
  t.equal(num(get(P(7, 1, 1, 4, 1, 1))), 106, 'csUTF8');
  t.equal(num(get(P(5, 1, 1, 3, 1))), 3, 'notResetting');
  t.equal(text(get(P(5, 1, 1, 16, 1))), 'Fake Printer');
  t.equal(get(P(5, 1, 1, 18, 1)).type, 'counter32');
  t.equal(get(P(5, 1, 1, 19, 1)).type, 'counter32');
  t.equal(num(get(P(6, 1, 1, 3, 1, 1))), 4, 'cover closed');
  t.equal(text(get(P(8, 2, 1, 13, 1, 2))), 'manual');
  t.equal(get(P(10, 2, 1, 4, 1, 1)).type, 'counter32', 'prtMarkerLifeCount is Counter32');
  t.equal(num(get(P(10, 2, 1, 3, 1, 1))), 7, 'impressions');
  t.equal(text(get(P(16, 5, 1, 2, 1, 1))), printer.state.message);
  t.equal(text(get([1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 2, 1, 1, 3, 1])), 'MFG:Fake;MDL:Office Color 100;CMD:PWGRaster;');
  t.equal(text(get([1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 3, 1, 1, 4, 1, 1])), 'ipp://printer.local:8631/ipp/print');
  t.equal(num(get([1, 3, 6, 1, 4, 1, 2699, 1, 2, 1, 3, 1, 1, 6, 1, 1])), 8631);
});

t.test('supply N and colorant N agree with IPP printer-supply value N', async (t) => {
  const { state, printer } = await setup(t);
  const v = state.capture();
  const attr = printer.attributes('localhost', false).find((a: IppAttribute) => a.name === 'printer-supply');
  const ipp = (attr?.values ?? []).map((x) => ('value' in x && x.value instanceof Uint8Array ? Buffer.from(x.value).toString('utf8') : ''));
  t.equal(ipp.length, SUPPLIES.length);
  const CLASS: Record<string, number> = { supplyThatIsConsumed: 3, receptacleThatIsFilled: 4 };
  const TYPE: Record<string, number> = { toner: 3, wasteToner: 4 };
  ipp.forEach((s, i) => {
    const f = Object.fromEntries(s.split(';').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const n = i + 1;
    t.equal(f['index'], String(n));
    t.equal(num(tree.get(v, P(11, 1, 1, 3, 1, n))), n, 'colorant index = supply index');
    t.equal(num(tree.get(v, P(11, 1, 1, 4, 1, n))), CLASS[f['class'] ?? '']);
    t.equal(num(tree.get(v, P(11, 1, 1, 5, 1, n))), TYPE[f['type'] ?? '']);
    t.equal(text(tree.get(v, P(11, 1, 1, 6, 1, n))), SUPPLIES[i]?.description);
    t.equal(num(tree.get(v, P(11, 1, 1, 7, 1, n))), 19, 'percent');
    t.equal(num(tree.get(v, P(11, 1, 1, 8, 1, n))), Number(f['maxcapacity']));
    t.equal(num(tree.get(v, P(11, 1, 1, 9, 1, n))), Number(f['level']));
    t.equal(text(tree.get(v, P(12, 1, 1, 4, 1, n))), f['colorantname']);
  });
  t.same([1, 2, 3].map((n) => num(tree.get(v, P(11, 1, 1, 9, 1, n)))), [40, -3, -2], 'levels -2/-3 pass through');
});

t.test('alert rows appear and disappear with reasons, with increasing indexes, times and counters', async (t) => {
  const { state, engine, printer, clock } = await setup(t, ['media-low-warning']);
  const idx = (): number[] => walk(tree, state.capture(), P(18, 1, 1, 7)).map((vb) => vb.oid.at(-1) as number);
  t.same(idx(), [1]);
  clock.ms = 12_340;
  engine.engineStatus = { reasons: ['media-low-warning', 'media-jam-error'], supplies: SUPPLIES };
  await printer.pollStatus();
  let v = state.capture();
  t.same(idx(), [1, 2]);
  t.same(tree.get(v, P(18, 1, 1, 9, 1, 2)), { type: 'timeticks', value: 1234 }, 'prtAlertTime = sysUpTime at insertion');
  t.same(tree.get(v, P(18, 1, 1, 9, 1, 1)), { type: 'timeticks', value: 0 });
  t.equal(num(tree.get(v, P(5, 1, 1, 19, 1))), 2, 'prtAlertAllEvents');
  t.equal(num(tree.get(v, P(5, 1, 1, 18, 1))), 1, 'prtAlertCriticalEvents');
  engine.engineStatus = { reasons: ['media-jam-error'], supplies: SUPPLIES };
  await printer.pollStatus();
  t.same(idx(), [2], 'cleared reason removes its row');
  engine.engineStatus = { reasons: ['media-jam-error', 'media-low-warning'], supplies: SUPPLIES };
  await printer.pollStatus();
  t.same(idx(), [2, 3], 'a reappearing reason gets a new index');
  v = state.capture();
  t.equal(num(tree.get(v, P(5, 1, 1, 19, 1))), 3);
  t.equal(num(tree.get(v, P(5, 1, 1, 18, 1))), 1);
  t.equal(text(tree.get(v, P(18, 1, 1, 8, 1, 3))), 'Media low');
});

t.test('sysUpTime counts hundredths of a second from SnmpState creation and wraps as uint32', async (t) => {
  const { state, clock } = await setup(t);
  clock.ms = 1_234_567;
  t.same(tree.get(state.capture(), [1, 3, 6, 1, 2, 1, 1, 3, 0]), { type: 'timeticks', value: 123_456 });
  clock.ms = (2 ** 32 + 5) * 10;
  t.same(tree.get(state.capture(), [1, 3, 6, 1, 2, 1, 1, 3, 0]), { type: 'timeticks', value: 5 });
});

t.test('hrDeviceDescr changes when the supply layout changes and returns with it', async (t) => {
  const { state, engine, printer } = await setup(t);
  const descr = (): string => text(tree.get(state.capture(), [1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3, 1]));
  t.equal(descr(), 'Fake Office Color 100');
  engine.engineStatus = { reasons: [], supplies: SUPPLIES.slice(0, 2) };
  await printer.pollStatus();
  const changed = descr();
  t.not(changed, 'Fake Office Color 100');
  t.match(changed, /^Fake Office Color 100 \[[0-9a-f]{6}\]$/);
  t.ok(Buffer.byteLength(changed) <= 64);
  engine.engineStatus = { reasons: [], supplies: SUPPLIES.map((s) => ({ ...s, level: 5 })) };
  await printer.pollStatus();
  t.equal(descr(), 'Fake Office Color 100', 'level changes are not layout changes');
});

t.test('configuration changes count in prtGeneralConfigChanges', async (t) => {
  const { state, printer } = await setup(t);
  const changes = (): number => num(tree.get(state.capture(), P(5, 1, 1, 1, 1)));
  t.equal(changes(), 0);
  printer.updateConfig({ location: 'Room 2' });
  t.equal(changes(), 1);
  t.equal(text(tree.get(state.capture(), [1, 3, 6, 1, 2, 1, 1, 6, 0])), 'Room 2');
  t.equal(changes(), 1, 'counted once');
});

t.test('cover status follows cover-open and door-open', async (t) => {
  const { state } = await setup(t, ['cover-open']);
  t.equal(num(tree.get(state.capture(), P(6, 1, 1, 3, 1, 1))), 3);
});

t.test('close() unsubscribes from the state model; capture() still reads the current reasons', async (t) => {
  const { state, engine, printer } = await setup(t);
  const before = printer.state.listenerCount('change');
  state.close();
  t.equal(printer.state.listenerCount('change'), before - 1);
  engine.engineStatus = { reasons: ['media-jam-error'], supplies: SUPPLIES };
  await printer.pollStatus();
  t.same(walk(tree, state.capture(), P(18, 1, 1, 7)).length, 1);
});
