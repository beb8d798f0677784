// Serial link settings from the URI and engine options, chunk sizing, and the /dev scan that replaces udev listing.
// SPDX-License-Identifier: Apache-2.0
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { scanSerialDevices, serialUri } from '../../../drivers/transports/serial-list.js';
import { serialChunk, serialSettings } from '../../../drivers/transports/serial-options.js';
import { createSerialTransport } from '../../../drivers/transports/serial.js';

t.test('defaults are 115200 8N1 without flow control', async (t) => {
  const s = serialSettings(new URL('serial:///dev/ttyUSB0'), {});
  t.same(s, { path: '/dev/ttyUSB0', baudRate: 115200, parity: 'none', dataBits: 8, stopBits: 1, flow: 'none', writeTimeoutMs: 0, readTimeoutMs: 2000 });
});

t.test('the URI query wins over engine options, which fill in the rest', async (t) => {
  const s = serialSettings(new URL('serial:///dev/ttyS1?baud=9600&flow=rtscts'), { baud: 38400, parity: 'even', data: 7, stop: '2', 'make-and-model': 'x' });
  t.same([s.baudRate, s.flow, s.parity, s.dataBits, s.stopBits], [9600, 'rtscts', 'even', 7, 2]);
});

t.test('bad values are ConfigErrors naming the key and what is allowed', async (t) => {
  const bad: [string, Record<string, unknown>, RegExp, string][] = [
    ['serial:///dev/ttyS0?parity=mark', {}, /URI option "parity" is "mark"; allowed: none \| even \| odd/, '/engine/uri'],
    ['serial:///dev/ttyS0?data=9', {}, /"data" is "9"; allowed: 7 \| 8/, '/engine/uri'],
    ['serial:///dev/ttyS0?stop=3', {}, /"stop" is "3"; allowed: 1 \| 2/, '/engine/uri'],
    ['serial:///dev/ttyS0?flow=hard', {}, /"flow" is "hard"; allowed: none \| rtscts \| xonxoff/, '/engine/uri'],
    ['serial:///dev/ttyS0?baud=fast', {}, /"baud" is "fast"; allowed: an integer from 50/, '/engine/uri'],
    ['serial:///dev/ttyS0', { baud: 12.5 }, /engine option "baud" is 12.5/, '/engine/options/baud'],
    ['serial:///dev/ttyS0?speed=9600', {}, /"speed" is unknown \(allowed: baud, parity, data, stop, flow/, '/engine/uri'],
    ['serial://dev/ttyS0', {}, /local path/, '/engine/uri'],
  ];
  for (const [uri, options, message, pointer] of bad) {
    t.throws(() => serialSettings(new URL(uri), options), { name: 'ConfigError', message, pointer }, uri);
  }
});

t.test('open() reports bad settings before waiting for the device', async (t) => {
  await t.rejects(createSerialTransport().open(new URL('serial:///dev/none?baud=0'), {}, pino({ level: 'silent' })), { name: 'ConfigError' });
});

t.test('the preferred chunk is 1/20 s of the line rate, at least 64 bytes', async (t) => {
  t.equal(serialChunk(115200), 576);
  t.equal(serialChunk(921600), 4608);
  t.equal(serialChunk(9600), 64);
});

t.test('the /dev scan lists by-id links first, then real ttys, skipping ttyS without a UART', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'ippbridge-scan-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dev = path.join(root, 'dev');
  const sys = path.join(root, 'sys');
  await mkdir(path.join(dev, 'serial', 'by-id'), { recursive: true });
  for (const name of ['ttyUSB0', 'ttyUSB1', 'ttyACM0', 'ttyS0', 'ttyS1', 'tty1', 'null']) await writeFile(path.join(dev, name), '');
  await symlink('../../ttyUSB1', path.join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R_A50285BI-if00-port0'));
  for (const [name, type] of [['ttyS0', '4'], ['ttyS1', '0']] as const) {
    await mkdir(path.join(sys, name), { recursive: true });
    await writeFile(path.join(sys, name, 'type'), `${type}\n`);
  }
  const found = await scanSerialDevices(dev, sys);
  t.same(
    found.map((d) => d.uri),
    [
      serialUri(path.join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R_A50285BI-if00-port0')),
      serialUri(path.join(dev, 'ttyACM0')),
      serialUri(path.join(dev, 'ttyS0')),
      serialUri(path.join(dev, 'ttyUSB0')),
    ],
  );
  t.same(await scanSerialDevices(path.join(root, 'missing'), sys), [], 'a missing /dev is an empty list');
  t.ok(Array.isArray(await createSerialTransport().list()), 'list() on this machine resolves (udevadm is missing here)');
});

t.test('serial URIs percent-encode odd path characters and round-trip', async (t) => {
  const uri = new URL(serialUri('/dev/serial/by-id/usb-Acme #1?x'));
  t.equal(serialSettings(uri, {}).path, '/dev/serial/by-id/usb-Acme #1?x');
});
