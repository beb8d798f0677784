// The URI scheme registry: scheme to transport, unknown schemes, and a device listing that never throws.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { listDevices, listFrom, SCHEMES, transportFor } from '../../../drivers/transports/registry.js';
import type { DeviceInfo, Transport } from '../../../drivers/transports/transport.js';
import { ConfigError } from '../../../src/errors.js';

function fakeTransport(list: (signal?: AbortSignal) => Promise<DeviceInfo[]>): Transport {
  return {
    scheme: 'file',
    list,
    open: () => Promise.reject(new Error('not used')),
  };
}

t.test('each supported scheme maps to its transport, the same one every time', async (t) => {
  t.same([...SCHEMES], ['usb', 'serial', 'socket', 'file']);
  for (const uri of ['usb://HP/LaserJet?serial=1', 'serial:///dev/ttyUSB0?baud=9600', 'socket://printer:9100', 'file:///tmp/out.prn']) {
    const transport = transportFor(new URL(uri));
    t.equal(transport.scheme, new URL(uri).protocol.slice(0, -1), uri);
    t.equal(transportFor(new URL(uri)), transport, `${uri}: one transport per scheme`);
  }
});

t.test('an unknown scheme is a ConfigError naming it and the supported schemes', async (t) => {
  t.throws(() => transportFor(new URL('lpd://host/queue')), {
    name: 'ConfigError',
    message: 'unsupported engine URI scheme "lpd:" in lpd://host/queue; supported: usb:, serial:, socket:, file:',
  });
  const err = (() => {
    try {
      transportFor(new URL('virtual:'));
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(err instanceof ConfigError && /virtual driver/.test(err.message), 'virtual: points to the virtual driver');
  t.equal(err instanceof ConfigError ? err.pointer : undefined, '/engine/uri');
});

t.test('listFrom skips a transport that throws or hangs and keeps the others', async (t) => {
  const good = fakeTransport(async () => [{ uri: 'file:///dev/usb/lp0', description: 'lp0' }]);
  const bad = fakeTransport(async () => {
    throw new Error('no subsystem');
  });
  const hangs = fakeTransport(() => new Promise<DeviceInfo[]>(() => undefined));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const found = await listFrom([bad, hangs, good], ac.signal);
  t.same(found, [{ uri: 'file:///dev/usb/lp0', description: 'lp0' }]);
});

t.test('listDevices on this machine resolves to a list and never throws', async (t) => {
  const found = await listDevices(AbortSignal.timeout(5000));
  t.ok(Array.isArray(found));
  for (const device of found) t.ok(URL.canParse(device.uri), `${device.uri} is a URI`);
  t.same(await listDevices(AbortSignal.abort()), [], 'an aborted listing is empty, not an error');
});
