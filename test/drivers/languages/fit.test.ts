// Tests for page scaling and centering onto a printable area (drivers/languages/fit.ts).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { fitPage, sourceRow } from '../../../drivers/languages/fit.js';
import { DriverError } from '../../../src/errors.js';

const LETTER_600 = { width: 5100, height: 6600, xDpi: 600, yDpi: 600 };
const AREA_600 = { widthDots: 4900, heightDots: 6400, xDpi: 600, yDpi: 600 };

t.test('a page the size of the area maps one to one', async (t) => {
  const fit = fitPage({ width: 800, height: 1000, xDpi: 300, yDpi: 300 }, { widthDots: 800, heightDots: 1000, xDpi: 300, yDpi: 300, scaling: 'auto' });
  t.match(fit, { width: 800, height: 1000, contentWidth: 800, contentHeight: 1000, left: 0, top: 0, isUnitX: true });
  t.equal(fit.xMap[0], 0);
  t.equal(fit.xMap[799], 799);
  t.equal(sourceRow(fit, 1000, 0), 0);
  t.equal(sourceRow(fit, 1000, 999), 999);
});

t.test("'none' crops a Letter page centred on the printable area", async (t) => {
  const fit = fitPage(LETTER_600, { ...AREA_600, scaling: 'none' });
  t.match(fit, { width: 4900, height: 6400, contentWidth: 5100, contentHeight: 6600, left: -100, top: -100, isUnitX: true });
  t.equal(fit.xMap[0], 100);
  t.equal(fit.xMap[4899], 4999);
  t.equal(sourceRow(fit, 6600, 0), 100);
  t.equal(sourceRow(fit, 6600, 6399), 6499);
});

t.test('alignX rounds an unscaled page to a whole byte and leaves a scaled page centred', async (t) => {
  const cropped = fitPage(LETTER_600, { ...AREA_600, widthDots: 4800, scaling: 'none' }, 8);
  // Centred would be -150; the nearest multiple of 8 is -152, so bit x of a row is bit x + 152 of the line.
  t.match(cropped, { left: -152, isUnitX: true });
  t.equal(cropped.xMap[0], 152);
  t.equal(cropped.xMap[4799], 4951);
  const padded = fitPage({ width: 4780, height: 6600, xDpi: 600, yDpi: 600 }, { ...AREA_600, widthDots: 4800, scaling: 'none' }, 8);
  t.equal(padded.left, 8, 'a narrower page starts on a byte boundary too (10 rounded to 8)');
  t.equal(padded.xMap[7], -1);
  t.equal(padded.xMap[8], 0);
  const scaled = fitPage(LETTER_600, { ...AREA_600, widthDots: 4800, scaling: 'fit' }, 8);
  t.equal(scaled.isUnitX, false);
  t.equal(scaled.left, 0, 'a scaled page keeps its centring');
  t.equal(fitPage(LETTER_600, { ...AREA_600, widthDots: 4800, scaling: 'none' }).left, -150, 'without alignX the page is centred exactly');
});

t.test("'auto' behaves as 'none' for device raster", async (t) => {
  const fit = fitPage(LETTER_600, { ...AREA_600, scaling: 'auto' });
  t.match(fit, { left: -100, top: -100, contentWidth: 5100 });
});

t.test("'fit' shrinks to the area keeping the aspect ratio and centres", async (t) => {
  const fit = fitPage(LETTER_600, { ...AREA_600, scaling: 'fit' });
  // k = min(4900/5100, 6400/6600) = 4900/5100
  t.equal(fit.contentWidth, 4900);
  t.equal(fit.contentHeight, Math.round((6600 * 4900) / 5100));
  t.equal(fit.left, 0);
  t.equal(fit.top, Math.floor((6400 - fit.contentHeight) / 2));
  t.equal(fit.isUnitX, false);
  t.equal(fit.xMap[0], 0);
  t.equal(fit.xMap[4899], 5099);
  t.equal(sourceRow(fit, 6600, fit.top - 1), -1);
  t.equal(sourceRow(fit, 6600, fit.top), 0);
  t.equal(sourceRow(fit, 6600, fit.top + fit.contentHeight - 1), 6599);
  t.equal(sourceRow(fit, 6600, fit.top + fit.contentHeight), -1);
});

t.test("'fill' covers the area and crops the other axis", async (t) => {
  const fit = fitPage(LETTER_600, { ...AREA_600, scaling: 'fill' });
  // k = max(4900/5100, 6400/6600) = 6400/6600
  t.equal(fit.contentHeight, 6400);
  t.equal(fit.contentWidth, Math.round((5100 * 6400) / 6600));
  t.equal(fit.top, 0);
  t.equal(fit.left, Math.floor((4900 - fit.contentWidth) / 2));
  t.ok(fit.left < 0);
  t.ok((fit.xMap[0] as number) > 0, 'left edge cropped');
});

t.test('device raster smaller than the area is centred, never enlarged', async (t) => {
  for (const scaling of ['fit', 'auto-fit', 'fill', 'none']) {
    const fit = fitPage({ width: 400, height: 300, xDpi: 600, yDpi: 600 }, { ...AREA_600, scaling });
    t.match(fit, { contentWidth: 400, contentHeight: 300, left: 2250, top: 3050 }, scaling);
    t.equal(fit.xMap[2249], -1);
    t.equal(fit.xMap[2250], 0);
    t.equal(fit.xMap[2649], 399);
    t.equal(fit.xMap[2650], -1);
  }
});

t.test('a 300 dpi page on a 600 dpi engine is scaled by the dpi ratio', async (t) => {
  const fit = fitPage({ width: 2550, height: 3300, xDpi: 300, yDpi: 300 }, { ...AREA_600, scaling: 'none' });
  t.match(fit, { contentWidth: 5100, contentHeight: 6600, left: -100, top: -100 });
  t.equal(fit.xMap[0], 50);
  t.equal(fit.xMap[1], 50);
  t.equal(fit.xMap[2], 51);
  t.equal(sourceRow(fit, 3300, 0), 50);
  t.equal(sourceRow(fit, 3300, 1), 50);
  t.equal(sourceRow(fit, 3300, 2), 51);
});

t.test('asymmetric resolutions scale each axis by its own ratio', async (t) => {
  const fit = fitPage({ width: 100, height: 100, xDpi: 300, yDpi: 150 }, { widthDots: 400, heightDots: 400, xDpi: 300, yDpi: 300, scaling: 'none' });
  t.match(fit, { contentWidth: 100, contentHeight: 200, left: 150, top: 100 });
});

t.test('a roll keeps the mapped page length and only fits the width', async (t) => {
  const fit = fitPage({ width: 1200, height: 3000, xDpi: 300, yDpi: 300 }, { widthDots: 576, xDpi: 203, yDpi: 203, scaling: 'fit' });
  const k = 576 / (1200 * (203 / 300));
  t.equal(fit.width, 576);
  t.equal(fit.contentWidth, 576);
  t.equal(fit.top, 0);
  t.equal(fit.height, Math.round(3000 * (203 / 300) * k));
  t.equal(fit.height, fit.contentHeight);
});

t.test('row mapping is monotonic and reaches the last line when shrinking', async (t) => {
  const fit = fitPage({ width: 1000, height: 997, xDpi: 600, yDpi: 600 }, { widthDots: 500, heightDots: 700, xDpi: 600, yDpi: 600, scaling: 'fit' });
  let last = -1;
  let isMonotonic = true;
  for (let r = fit.top; r < fit.top + fit.contentHeight; r++) {
    const s = sourceRow(fit, 997, r);
    if (s < last) isMonotonic = false;
    last = s;
  }
  t.ok(isMonotonic);
  t.equal(last, 996);
});

t.test('an impossible target is refused with DriverError', async (t) => {
  const src = { width: 10, height: 10, xDpi: 300, yDpi: 300 };
  t.throws(() => fitPage(src, { widthDots: 0, xDpi: 300, yDpi: 300, scaling: 'none' }), DriverError);
  t.throws(() => fitPage(src, { widthDots: 1e9, xDpi: 300, yDpi: 300, scaling: 'none' }), DriverError);
  t.throws(() => fitPage(src, { widthDots: 10, heightDots: 0.5, xDpi: 300, yDpi: 300, scaling: 'none' }), DriverError);
  t.throws(() => fitPage(src, { widthDots: 10, xDpi: 0, yDpi: 300, scaling: 'none' }), DriverError);
});

t.test('a huge page allocates only the output width', async (t) => {
  const fit = fitPage({ width: 0xffffff, height: 0xffffff, xDpi: 1, yDpi: 1 }, { widthDots: 100, heightDots: 50, xDpi: 600, yDpi: 600, scaling: 'none' });
  t.equal(fit.xMap.length, 100);
  t.equal(fit.height, 50);
});
