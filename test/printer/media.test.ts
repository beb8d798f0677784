// Tests for PWG 5101.1 media name parsing, media-col builders and size -> name matching.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { ConfigError } from '../../src/errors.js';
import type { IppAttribute, IppValue } from '../../src/ipp/types.js';
import {
  customSizeRange,
  mediaCol,
  mediaNameForSize,
  mediaSizeCol,
  parseMediaSize,
  requireMediaSize,
} from '../../src/printer/media.js';

const margins = { top: 300, bottom: 400, left: 500, right: 600 };

function members(v: IppValue): readonly IppAttribute[] {
  if (v.syntax !== 'collection') throw new Error(`expected a collection, got ${v.syntax}`);
  return v.members;
}

function member(v: IppValue, name: string): IppValue | undefined {
  return members(v).find((m) => m.name === name)?.values[0];
}

t.test('millimetre names convert to hundredths of a millimetre', async (t) => {
  t.same(parseMediaSize('iso_a4_210x297mm'), { width: 21000, length: 29700 });
  t.same(parseMediaSize('jpn_hagaki_100x148mm'), { width: 10000, length: 14800 });
  t.same(parseMediaSize('om_small-photo_100x150mm'), { width: 10000, length: 15000 });
});

t.test('inch names convert at 2540 hundredths per inch', async (t) => {
  t.same(parseMediaSize('na_letter_8.5x11in'), { width: 21590, length: 27940 });
  t.same(parseMediaSize('na_index-4x6_4x6in'), { width: 10160, length: 15240 });
  t.same(parseMediaSize('na_legal_8.5x14in'), { width: 21590, length: 35560 });
});

t.test('fractional dimensions are rounded to the nearest hundredth of a millimetre', async (t) => {
  // 0.333 in = 845.82 -> 846; 1.004 mm = 100.4 -> 100; 2.006 mm = 200.6 -> 201
  t.same(parseMediaSize('custom_odd_0.333x1in'), { width: 846, length: 2540 });
  t.same(parseMediaSize('custom_odd_1.004x2.006mm'), { width: 100, length: 201 });
});

t.test('names without a size suffix are not parsed', async (t) => {
  t.equal(parseMediaSize('a4'), undefined);
  t.equal(parseMediaSize('na_letter'), undefined);
  t.equal(parseMediaSize('iso_a4_210x297cm'), undefined);
  t.equal(parseMediaSize('custom_zero_0x10mm'), undefined);
  t.throws(() => requireMediaSize('letter'), ConfigError);
});

t.test('mediaSizeCol holds x-dimension and y-dimension integers', async (t) => {
  const col = mediaSizeCol('na_letter_8.5x11in');
  t.same(
    members(col).map((m) => [m.name, m.values]),
    [
      ['x-dimension', [{ syntax: 'integer', value: 21590 }]],
      ['y-dimension', [{ syntax: 'integer', value: 27940 }]],
    ],
  );
});

t.test('mediaCol carries size, size name, four margins and optional source and type', async (t) => {
  const col = mediaCol('iso_a4_210x297mm', { source: 'main', type: 'stationery', margins });
  t.same(
    members(col)
      .map((m) => m.name)
      .sort(),
    [
      'media-bottom-margin',
      'media-left-margin',
      'media-right-margin',
      'media-size',
      'media-size-name',
      'media-source',
      'media-top-margin',
      'media-type',
    ],
  );
  t.same(member(col, 'media-top-margin'), { syntax: 'integer', value: 300 });
  t.same(member(col, 'media-bottom-margin'), { syntax: 'integer', value: 400 });
  t.same(member(col, 'media-left-margin'), { syntax: 'integer', value: 500 });
  t.same(member(col, 'media-right-margin'), { syntax: 'integer', value: 600 });
  t.same(member(col, 'media-source'), { syntax: 'keyword', value: 'main' });
  t.same(member(col, 'media-type'), { syntax: 'keyword', value: 'stationery' });
  t.same(member(col, 'media-size-name'), { syntax: 'keyword', value: 'iso_a4_210x297mm' });
  const size = member(col, 'media-size');
  t.ok(size);
  if (size) t.same(member(size, 'x-dimension'), { syntax: 'integer', value: 21000 });
});

t.test('mediaCol leaves out source and type when not given', async (t) => {
  const names = members(mediaCol('iso_a4_210x297mm', { margins })).map((m) => m.name);
  t.notOk(names.includes('media-source'));
  t.notOk(names.includes('media-type'));
});

t.test('a media-size finds the supported name within the tolerance', async (t) => {
  const names = ['iso_a4_210x297mm', 'na_letter_8.5x11in'];
  t.equal(mediaNameForSize(21590, 27940, names), 'na_letter_8.5x11in');
  t.equal(mediaNameForSize(21000, 29700, names), 'iso_a4_210x297mm');
  // 612x792 pt converted by a client with truncation
  t.equal(mediaNameForSize(21589, 27939, names), 'na_letter_8.5x11in');
  t.equal(mediaNameForSize(21000 + 150, 29700, names), undefined);
  t.equal(mediaNameForSize(21000 + 150, 29700, names, 200), 'iso_a4_210x297mm');
});

t.test('the closest name wins when several are within the tolerance', async (t) => {
  const names = ['custom_a_100x100mm', 'custom_b_100.5x100mm'];
  t.equal(mediaNameForSize(10040, 10000, names), 'custom_b_100.5x100mm');
  t.equal(mediaNameForSize(10010, 10000, names), 'custom_a_100x100mm');
});

t.test('a size inside a custom range becomes a custom name', async (t) => {
  const names = ['oe_4x6-label_4x6in', 'roll_min_1x0.25in', 'roll_max_4.25x22in'];
  t.same(customSizeRange(names), { min: { width: 2540, length: 635 }, max: { width: 10795, length: 55880 } });
  t.equal(mediaNameForSize(5080, 2540, names), 'custom_50.8x25.4mm_50.8x25.4mm');
  t.equal(mediaNameForSize(10160, 15240, names), 'oe_4x6-label_4x6in');
  t.equal(mediaNameForSize(20000, 2540, names), undefined);
});
