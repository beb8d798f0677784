// Virtual engine faults file, status() and capability options.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import t from 'tap';
import { virtualCapabilities } from '../../../drivers/virtual/capabilities.js';
import { createVirtualEngine } from '../../../drivers/virtual/engine.js';
import { DEFAULT_SUPPLIES, engineStatusFrom, parseFaults } from '../../../drivers/virtual/faults.js';
import { ConfigError } from '../../../src/errors.js';

function sinkLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

async function engineIn(t: { teardown(fn: () => unknown): void }, options: Record<string, unknown> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ippbridge-faults-'));
  const { log, lines } = sinkLogger();
  const engine = createVirtualEngine({ stateDir: dir, log, options: { faultPollMs: 10, ...options } });
  t.teardown(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });
  const file = path.join(dir, 'virtual-engine.json');
  const status = () => engine.driver.status!(undefined, log);
  return { engine, file, lines, status };
}

/** Poll status() until `check` passes (the watcher re-reads every 10 ms here); fails after 3 s. */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (check(v)) return v;
    await sleep(10);
  }
  return read();
}

t.test('without a faults file there are no reasons and four default toners', async (t) => {
  const { status } = await engineIn(t);
  const s = await status();
  t.same(s.reasons, []);
  t.same(s.supplies, DEFAULT_SUPPLIES);
  t.same(s.mediaReady, ['iso_a4_210x297mm']);
});

t.test('a change to the faults file is picked up, and removing it clears the faults', async (t) => {
  const { file, status } = await engineIn(t);
  await writeFile(file, JSON.stringify({ 'state-reasons': ['media-empty-error'], 'media-ready': ['na_letter_8.5x11in'] }));
  const s = await eventually(status, (v) => v.reasons.includes('media-empty-error'));
  t.same(s.reasons, ['media-empty-error']);
  t.same(s.mediaReady, ['na_letter_8.5x11in']);
  await writeFile(file, JSON.stringify({ 'state-reasons': ['door-open'] }));
  t.same((await eventually(status, (v) => v.reasons.includes('door-open'))).reasons, ['door-open']);
  await unlink(file);
  t.same((await eventually(status, (v) => v.reasons.length === 0)).reasons, []);
});

t.test('invalid JSON keeps the last good value and warns once', async (t) => {
  const { file, status, lines } = await engineIn(t);
  await writeFile(file, JSON.stringify({ 'state-reasons': ['cover-open'] }));
  await eventually(status, (v) => v.reasons.includes('cover-open'));
  await writeFile(file, '{ "state-reasons": [');
  const warnings = async () => {
    await status();
    return lines.filter((l) => l['level'] === 40).length;
  };
  t.equal(await eventually(warnings, (n) => n > 0), 1, 'the broken file is noticed');
  for (let i = 0; i < 5; i++) {
    await sleep(15);
    t.same((await status()).reasons, ['cover-open']);
  }
  t.equal(lines.filter((l) => l['level'] === 40).length, 1);
});

t.test('low and empty supplies add toner reasons automatically', async (t) => {
  const state = parseFaults({
    supplies: [
      { type: 'toner', description: 'Black Toner', color: '#000000', level: 5, 'low-level': 10 },
      { type: 'toner', description: 'Cyan Toner', color: '#00FFFF', level: 0, 'low-level': 10 },
      { type: 'ink', description: 'Photo Ink', color: '#808080', level: 3, 'low-level': 5 },
      'not a supply',
    ],
    'state-reasons': ['offline', 'Not A Keyword', 7],
  });
  const s = engineStatusFrom(state, ['iso_a4_210x297mm']);
  t.same(s.reasons, ['offline', 'toner-low-warning', 'toner-empty-error', 'marker-supply-low-warning']);
  t.equal(s.supplies.length, 3);
  t.match(s.supplies[0], { level: 5, lowLevel: 10, description: 'Black Toner' });
});

t.test('the faults file can throttle the virtual transport', async (t) => {
  const { engine, file } = await engineIn(t);
  await writeFile(file, JSON.stringify({ 'pace-bytes-per-second': 1 }));
  const port = await engine.transport.open(new URL('virtual:'), {}, pino({ level: 'silent' }));
  // At one byte per second a 1 KiB write would take minutes: it must still be pending, and abortable.
  const controller = new AbortController();
  let isSettled = false;
  const write = port.write(Buffer.from([0x89, 0x50, 0x4e, 0x47]), controller.signal).finally(() => {
    isSettled = true;
  });
  await sleep(50);
  t.notOk(isSettled, 'the write waits for the paced engine');
  controller.abort();
  await t.rejects(write, { name: 'TransportError', kind: 'canceled' });
});

t.test('capabilities describe a colour office printer by default', async (t) => {
  const caps = virtualCapabilities();
  t.match(caps, {
    makeAndModel: 'ippbridge Virtual Printer',
    deviceId: 'MFG:ippbridge;MDL:Virtual Printer;CMD:PWGRaster,URF,JPEG;CLS:PRINTER;',
    rasterTypes: ['black_1', 'sgray_8', 'srgb_8'],
    colorModes: ['auto', 'monochrome', 'color'],
    resolutions: [{ x: 300, y: 300 }, { x: 150, y: 150 }],
    media: { default: 'iso_a4_210x297mm', ready: ['iso_a4_210x297mm'], sources: ['main', 'manual'] },
    margins: { top: 423, bottom: 423, left: 423, right: 423 },
    ppm: 20,
    ppmColor: 15,
  });
  t.equal(caps.media.supported.length, 6);
});

t.test('engine options override colour, media and resolutions', async (t) => {
  const caps = virtualCapabilities({
    color: false,
    defaultMedia: 'na_letter_8.5x11in',
    mediaReady: ['na_letter_8.5x11in', 'na_legal_8.5x14in'],
    resolutions: ['600x600', 300],
  });
  t.same(caps.rasterTypes, ['black_1', 'sgray_8']);
  t.same(caps.colorModes, ['bi-level', 'monochrome']);
  t.equal(caps.ppmColor, undefined);
  t.equal(caps.media.default, 'na_letter_8.5x11in');
  t.same(caps.media.ready, ['na_letter_8.5x11in', 'na_legal_8.5x14in']);
  t.same(caps.resolutions, [{ x: 600, y: 600 }, { x: 300, y: 300 }]);
  t.throws(() => virtualCapabilities({ color: 'yes' }), ConfigError);
  t.throws(() => virtualCapabilities({ defaultMedia: 'iso_a0_841x1189mm' }), ConfigError);
  t.throws(() => virtualCapabilities({ resolutions: [] }), ConfigError);
});
