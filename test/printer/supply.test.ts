// Tests for the PWG 5100.13 printer-supply strings, the CUPS marker attributes, printer-alert strings and
// printer-input-tray / printer-output-tray values.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { SupplyStatus } from '../../drivers/driver.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import { alertAttributes, alertsForReasons } from '../../src/printer/alert.js';
import { markerType, supplyAttributes, supplyString } from '../../src/printer/supply.js';
import { inputTrayString, outputTrayString, trayAttributes } from '../../src/printer/trays.js';

const toner: SupplyStatus = { type: 'toner', description: 'Black Toner', color: '#000000', level: 80, lowLevel: 10 };
const waste: SupplyStatus = { type: 'wasteToner', description: 'Waste Toner', color: 'none', level: -2, lowLevel: 5 };
const cyan: SupplyStatus = { type: 'inkCartridge', description: 'Cyan Ink', color: '#00ffff', level: 123.4, lowLevel: 5 };

/** The self-certification shape: key=value pairs, every pair ending with ';'. */
const SUPPLY_PATTERN =
  /^index=\d+;class=[A-Za-z]+;type=[A-Za-z]+;unit=[A-Za-z]+;maxcapacity=-?\d+;level=-?\d+;colorantname=[-A-Za-z0-9_.]+;$/;

const decode = (a: IppAttribute | undefined): string[] =>
  (a?.values ?? []).map((v) => (v.syntax === 'octetString' ? new TextDecoder().decode(v.value) : `<${v.syntax}>`));

const find = (attrs: readonly IppAttribute[], name: string): IppAttribute | undefined => attrs.find((a) => a.name === name);

t.test('a consumable supply string lists index, class, type, unit, capacity, level and colorant', async (t) => {
  t.equal(
    supplyString(toner, 1),
    'index=1;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=80;colorantname=black;',
  );
});

t.test('waste supplies are receptacles and unknown colours become colorantname=unknown', async (t) => {
  t.equal(
    supplyString(waste, 2),
    'index=2;class=receptacleThatIsFilled;type=wasteToner;unit=percent;maxcapacity=100;level=-2;colorantname=unknown;',
  );
});

t.test('levels are clamped to 0..100 and colour names match case-insensitively', async (t) => {
  const s = supplyString(cyan, 3);
  t.match(s, /;level=100;/);
  t.match(s, /;colorantname=cyan;$/);
  t.match(supplyString({ ...toner, level: -7 }, 1), /;level=0;/);
  t.match(supplyString({ ...toner, level: -3 }, 1), /;level=-3;/);
});

t.test('a type that is not an RFC 3805 label becomes other', async (t) => {
  t.match(supplyString({ ...toner, type: 'toner cartridge;level=5' }, 1), /;type=other;/);
});

t.test('printer-supply and printer-supply-description have one value per supply, indexes from 1', async (t) => {
  const attrs = supplyAttributes([toner, waste, cyan]);
  const supply = decode(find(attrs, 'printer-supply'));
  t.equal(supply.length, 3);
  for (const s of supply) t.match(s, SUPPLY_PATTERN);
  t.same(
    supply.map((s) => /^index=(\d+);/.exec(s)?.[1]),
    ['1', '2', '3'],
  );
  const desc = find(attrs, 'printer-supply-description');
  t.same(desc?.values, [
    { syntax: 'text', value: 'Black Toner' },
    { syntax: 'text', value: 'Waste Toner' },
    { syntax: 'text', value: 'Cyan Ink' },
  ]);
});

t.test('marker attributes mirror the supplies for CUPS', async (t) => {
  const attrs = supplyAttributes([toner, cyan]);
  t.same(find(attrs, 'marker-colors')?.values, [
    { syntax: 'name', value: '#000000' },
    { syntax: 'name', value: '#00FFFF' },
  ]);
  t.same(find(attrs, 'marker-levels')?.values, [
    { syntax: 'integer', value: 80 },
    { syntax: 'integer', value: 100 },
  ]);
  t.same(find(attrs, 'marker-low-levels')?.values[0], { syntax: 'integer', value: 10 });
  t.same(find(attrs, 'marker-types')?.values, [
    { syntax: 'keyword', value: 'toner' },
    { syntax: 'keyword', value: 'ink-cartridge' },
  ]);
  t.equal(markerType('wasteToner'), 'waste-toner');
});

t.test('no supplies means no supply attributes', async (t) => {
  t.same(supplyAttributes([]), []);
});

t.test('alerts come from error and warning reasons, not from reports or object states', async (t) => {
  const alerts = alertsForReasons(['media-empty-error', 'toner-low-warning', 'media-low-report', 'paused', 'media-needed']);
  t.same(
    alerts.map((a) => [a.reason, a.severity, a.mapping.code, a.mapping.group]),
    [
      ['media-empty', 'critical', 'inputMediaSupplyEmpty', 'input'],
      ['toner-low', 'warning', 'markerTonerAlmostEmpty', 'markerSupplies'],
      ['media-needed', 'critical', 'inputMediaChangeRequest', 'input'],
    ],
  );
});

t.test('printer-alert strings follow PWG 5100.9 and printer-alert-description has the same count', async (t) => {
  const attrs = alertAttributes(['media-jam-error', 'vendor-thing-warning']);
  const alerts = decode(find(attrs, 'printer-alert'));
  t.same(alerts, [
    'code=jam;index=1;severity=critical;training=untrained;group=mediaPath',
    'code=other;index=2;severity=warning;training=untrained;group=generalPrinter',
  ]);
  for (const a of alerts) t.match(a, /^code=[A-Za-z]+(;[a-z]+=[A-Za-z0-9-]+)*;?$/);
  t.same(find(attrs, 'printer-alert-description')?.values, [
    { syntax: 'text', value: 'Media jam' },
    { syntax: 'text', value: 'Vendor thing' },
  ]);
});

t.test('no alert-worthy reason means no printer-alert attributes', async (t) => {
  t.same(alertAttributes(['none']), []);
  t.same(alertAttributes(['toner-low-report', 'paused']), []);
});

t.test('input trays are typed by source and output trays by delivery', async (t) => {
  t.equal(
    inputTrayString('main'),
    'type=sheetFeedAutoRemovableTray;dimunit=micrometers;mediafeed=-2;mediaxfeed=-2;maxcapacity=-2;level=-2;status=0;name=main;',
  );
  t.match(inputTrayString('auto'), /^type=other;/);
  t.match(inputTrayString('manual'), /^type=sheetFeedManual;/);
  t.match(inputTrayString('main-roll'), /^type=continuousRoll;/);
  t.match(inputTrayString('roll-2'), /^type=continuousRoll;/);
  t.equal(
    outputTrayString('face-up'),
    'type=unRemovableBin;maxcapacity=-2;remaining=-2;status=0;name=face-up;stackingorder=lastToFirst;pagedelivery=faceUp;',
  );
  t.match(outputTrayString('face-down'), /pagedelivery=faceDown;$/);
});

t.test('tray attributes have one value per source and per bin', async (t) => {
  const attrs = trayAttributes(['main', 'manual', 'auto'], ['face-down']);
  t.equal(decode(find(attrs, 'printer-input-tray')).length, 3);
  t.equal(decode(find(attrs, 'printer-output-tray')).length, 1);
});
