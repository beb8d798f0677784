// Tests for urf-supported tokens built from driver capabilities.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import type { DriverCapabilities } from '../../drivers/driver.js';
import { urfSupported } from '../../src/printer/urf.js';

function caps(over: Partial<DriverCapabilities> = {}): DriverCapabilities {
  return {
    makeAndModel: 'Test',
    deviceId: 'MFG:Test;MDL:Test;',
    kind: ['document'],
    resolutions: [{ x: 600, y: 600 }, { x: 300, y: 300 }],
    rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
    colorModes: ['auto', 'color', 'monochrome'],
    sides: ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge'],
    media: {
      supported: ['iso_a4_210x297mm'],
      default: 'iso_a4_210x297mm',
      sources: ['main', 'manual'],
      types: ['stationery', 'labels'],
      ready: ['iso_a4_210x297mm'],
    },
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    outputBins: ['face-down'],
    passthroughFormats: [],
    ppm: 10,
    identifyActions: [],
    ...over,
  };
}

t.test('a colour duplex printer lists version, spaces, copies, qualities, duplex, slots, types, bins and resolutions', async (t) => {
  t.same(urfSupported(caps()), ['V1.4', 'W8', 'SRGB24', 'CP1', 'FN3', 'PQ3-4-5', 'DM1', 'IS1-4', 'MT1-5', 'OB10', 'RS300-600']);
});

t.test('a monochrome printer lists W8 but not SRGB24', async (t) => {
  const tokens = urfSupported(caps({ colorModes: ['monochrome'] }));
  t.ok(tokens.includes('W8'));
  t.notOk(tokens.includes('SRGB24'));
});

t.test('the duplex mode number follows pwg-raster-document-sheet-back', async (t) => {
  t.ok(urfSupported(caps({ sheetBack: 'flipped' })).includes('DM2'));
  t.ok(urfSupported(caps({ sheetBack: 'rotated' })).includes('DM3'));
  t.ok(urfSupported(caps({ sheetBack: 'manual-tumble' })).includes('DM4'));
});

t.test('a simplex printer has no DM token', async (t) => {
  t.notOk(urfSupported(caps({ sides: ['one-sided'] })).some((tok) => tok.startsWith('DM')));
});

t.test('a single resolution gives RS with one value', async (t) => {
  t.ok(urfSupported(caps({ resolutions: [{ x: 203, y: 203 }] })).includes('RS203'));
});

t.test('sources unknown to URF are left out and an empty source list means auto', async (t) => {
  const custom = caps({ media: { ...caps().media, sources: ['vendor-drawer', 'tray-2'] } });
  t.ok(urfSupported(custom).includes('IS21'));
  const none = caps({ media: { ...caps().media, sources: [], types: [] } });
  const tokens = urfSupported(none);
  t.ok(tokens.includes('IS0'));
  t.ok(tokens.includes('MT1'));
});

t.test('a face-up only printer lists OB9 and OFU0', async (t) => {
  const tokens = urfSupported(caps({ outputBins: ['face-up'] }));
  t.ok(tokens.includes('OB9'));
  t.ok(tokens.includes('OFU0'));
});

t.test('no resolutions means no URF support', async (t) => {
  t.same(urfSupported(caps({ resolutions: [] })), []);
});
