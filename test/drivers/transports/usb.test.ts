// The usb: transport against fake printers: URIs, listing with 1284 IDs, interface choice and waiting for a printer.
// SPDX-License-Identifier: Apache-2.0
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import t from 'tap';
import { createUsbTransport } from '../../../drivers/transports/usb.js';
import { formatIdsUri, formatNameUri, parseUsbUri } from '../../../drivers/transports/usb-uri.js';
import { ConfigError, TransportError } from '../../../src/errors.js';
import { FakeUsbBackend, FakeUsbPrinter } from '../../support/fake-usb-printer.js';

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

const ZEBRA = {
  vendorId: 0x0a5f,
  productId: 0x0120,
  manufacturerName: 'Zebra Technologies',
  productName: 'ZTC ZD420-203dpi ZPL',
  serialNumber: 'D4J1 99',
  deviceId: 'MFG:Zebra Technologies;MDL:ZD420;CMD:ZPL;CLS:PRINTER;',
} as const;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('resolved'),
    (err: unknown) => err,
  );
}

t.test('CUPS-style and vid/pid URIs parse into selectors; bad ones are ConfigErrors', async (t) => {
  t.same(parseUsbUri(new URL('usb://HP/LaserJet%201020?serial=00CN%2BX&interface=1')), {
    kind: 'name',
    make: 'HP',
    model: 'LaserJet 1020',
    serial: '00CN+X',
    interfaceNumber: 1,
  });
  t.same(parseUsbUri(new URL('usb:///?vid=04b8&pid=0202&serial=X')), {
    kind: 'ids',
    vendorId: 0x04b8,
    productId: 0x0202,
    serial: 'X',
    interfaceNumber: undefined,
  });
  for (const bad of ['usb://', 'usb:///?vid=04b8', 'usb:///?vid=xyz&pid=1', 'usb://HP/', 'usb://HP/M?interface=300']) {
    t.ok(rejectsSync(() => parseUsbUri(new URL(bad))) instanceof ConfigError, bad);
  }
});

function rejectsSync(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err;
  }
}

t.test('formatted URIs round-trip through the parser, spaces as %20', async (t) => {
  const uri = formatNameUri({ make: 'Zebra Technologies', model: 'ZD420 (203 dpi)' }, 'A B+1', 2);
  t.equal(uri, 'usb://Zebra%20Technologies/ZD420%20(203%20dpi)?serial=A%20B%2B1&interface=2');
  t.match(parseUsbUri(new URL(uri)), { make: 'Zebra Technologies', model: 'ZD420 (203 dpi)', serial: 'A B+1', interfaceNumber: 2 });
  t.equal(formatIdsUri(0x4b8, 0x202, undefined, 0), 'usb:///?vid=04b8&pid=0202');
});

t.test('list() shows printer-class devices with a CUPS URI, a description and the 1284 ID', async (t) => {
  const hp = new FakeUsbPrinter();
  const vendor = new FakeUsbPrinter({ vendorId: 0x1234, productId: 0x5678, vendorClass: true, address: 9 });
  const zebra = new FakeUsbPrinter({ ...ZEBRA, address: 5 });
  const transport = createUsbTransport({ backend: new FakeUsbBackend(hp, vendor, zebra) });
  const list = await transport.list();
  t.same(list, [
    {
      uri: 'usb://HP/LaserJet%201020?serial=FAKE0001',
      description: 'HP LaserJet 1020 (USB 03f0:2b17)',
      deviceId: 'MFG:Hewlett-Packard;MDL:HP LaserJet 1020;CMD:PCL,PJL;CLS:PRINTER;DES:fake;',
    },
    {
      uri: 'usb://Zebra%20Technologies/ZD420?serial=D4J1%2099',
      description: 'Zebra Technologies ZD420 (USB 0a5f:0120)',
      deviceId: ZEBRA.deviceId,
    },
  ]);
  t.notOk(hp.opened, 'probing closed the device again');
});

t.test('a URI from list() opens that printer, matched by 1284 make/model and serial', async (t) => {
  const other = new FakeUsbPrinter({ ...ZEBRA, serialNumber: 'OTHER', address: 4 });
  const zebra = new FakeUsbPrinter({ ...ZEBRA, address: 5 });
  const transport = createUsbTransport({ backend: new FakeUsbBackend(other, zebra) });
  const { log } = sinkLogger();
  const port = await transport.open(new URL('usb://Zebra%20Technologies/ZD420?serial=D4J1%2099'), {}, log);
  t.teardown(() => port.close());
  await port.write(Buffer.from('^XA^XZ'));
  t.equal(Buffer.from(zebra.received).toString(), '^XA^XZ');
  t.equal(other.received.length, 0);
});

t.test('the 7/1/2 interface is chosen over IPP-over-USB (7/1/4) and 1284.4 (7/1/3) interfaces', async (t) => {
  const printer = new FakeUsbPrinter({ withIppUsb: true, interfaceNumber: 0 });
  const transport = createUsbTransport({ backend: new FakeUsbBackend(printer) });
  const port = await transport.open(new URL('usb://HP/LaserJet%201020'), {}, sinkLogger().log);
  t.teardown(() => port.close());
  await port.write(Buffer.from('x'));
  t.equal(printer.received.length, 1);
  t.ok(port.read, 'bidirectional');
});

t.test('a vendor-class printer is opened by vid/pid but never by make/model', async (t) => {
  const printer = new FakeUsbPrinter({ vendorId: 0x0416, productId: 0x5011, vendorClass: true, deviceId: 'MFG:POS;MDL:58;' });
  const transport = createUsbTransport({ backend: new FakeUsbBackend(printer), pollIntervalMs: 10 });
  const byName = transport.open(new URL('usb://POS/58'), {}, sinkLogger().log, AbortSignal.timeout(50));
  t.equal((await rejection(byName) as TransportError).kind, 'canceled');
  const port = await transport.open(new URL('usb:///?vid=0416&pid=5011'), {}, sinkLogger().log);
  t.teardown(() => port.close());
  await port.write(Buffer.from('\x1b@'));
  t.equal(printer.received.length, 2);
  t.same(await transport.list(), [], 'vendor-class devices are not listed');
});

t.test('open() waits for the printer, logging "waiting for printer" once, and takes it when plugged in', async (t) => {
  const backend = new FakeUsbBackend();
  const transport = createUsbTransport({ backend, pollIntervalMs: 5 });
  const { log, lines } = sinkLogger();
  const opening = transport.open(new URL('usb://HP/LaserJet%201020?serial=FAKE0001'), {}, log);
  await new Promise((r) => setTimeout(r, 40));
  t.equal(backend.listenerCount('connect'), 1, 'listening for hotplug while waiting');
  backend.plug(new FakeUsbPrinter());
  const port = await opening;
  t.teardown(() => port.close());
  t.equal(lines.filter((l) => l.msg === 'waiting for printer').length, 1);
  t.equal(backend.listenerCount('connect'), 0, 'no hotplug listener left behind');
});

t.test('without hotplug events open() finds a new printer by polling', async (t) => {
  const backend = new FakeUsbBackend();
  backend.emitEvents = false;
  const transport = createUsbTransport({ backend, pollIntervalMs: 5 });
  const opening = transport.open(new URL('usb:///?vid=03f0&pid=2b17'), {}, sinkLogger().log);
  setTimeout(() => backend.plug(new FakeUsbPrinter()), 20);
  const port = await opening;
  t.teardown(() => port.close());
  t.ok(port.isOpen);
});

t.test('a printer already held by a port is not opened twice; closing frees it', async (t) => {
  const transport = createUsbTransport({ backend: new FakeUsbBackend(new FakeUsbPrinter()), pollIntervalMs: 5 });
  const uri = new URL('usb:///?vid=03f0&pid=2b17');
  const first = await transport.open(uri, {}, sinkLogger().log);
  const second = transport.open(uri, {}, sinkLogger().log);
  setTimeout(() => void first.close(), 20);
  const port = await second;
  t.teardown(() => port.close());
  t.notOk(first.isOpen);
  t.ok(port.isOpen);
});

t.test('aborting the wait rejects open() as canceled', async (t) => {
  const transport = createUsbTransport({ backend: new FakeUsbBackend(), pollIntervalMs: 1000 });
  const ac = new AbortController();
  const opening = transport.open(new URL('usb:///?vid=1&pid=2'), {}, sinkLogger().log, ac.signal);
  setTimeout(() => ac.abort(), 10);
  const err = await rejection(opening);
  t.ok(err instanceof TransportError && err.kind === 'canceled');
});

t.test('unknown URI options and bad timeouts are ConfigErrors', async (t) => {
  const transport = createUsbTransport({ backend: new FakeUsbBackend(new FakeUsbPrinter()) });
  const log = sinkLogger().log;
  t.ok((await rejection(transport.open(new URL('usb:///?vid=03f0&pid=2b17&speed=9'), {}, log))) instanceof ConfigError);
  const err = await rejection(transport.open(new URL('usb:///?vid=03f0&pid=2b17'), { timeout: 'soon' }, log));
  t.ok(err instanceof ConfigError && err.pointer === '/engine/options/timeout');
});
