// Which printer-state-reasons stop the engine.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { isStoppingReason, reasonBase } from '../../src/printer/stopping-reasons.js';

t.test('media, cover, supply and offline errors stop printing', async (t) => {
  for (const r of ['media-empty', 'media-empty-error', 'media-jam', 'door-open', 'cover-open-error', 'toner-empty', 'offline']) {
    t.ok(isStoppingReason(r), r);
  }
});

t.test('warnings, reports and low supplies do not stop printing', async (t) => {
  for (const r of ['media-empty-warning', 'media-jam-report', 'toner-low', 'toner-low-warning', 'none', 'media-low']) {
    t.notOk(isStoppingReason(r), r);
  }
});

t.test('the severity suffix is stripped', async (t) => {
  t.equal(reasonBase('media-empty-error'), 'media-empty');
  t.equal(reasonBase('toner-low-warning'), 'toner-low');
  t.equal(reasonBase('offline'), 'offline');
});
