// The usb: port against the in-memory fake printer: chunked bulk writes, timeouts with partial progress, stall
// recovery, unplug, cancel, read-back and the printer-class requests.
// SPDX-License-Identifier: Apache-2.0
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import t, { type Test } from 'tap';
import type { Transport, TransportPort } from '../../../drivers/transports/transport.js';
import { createUsbTransport } from '../../../drivers/transports/usb.js';
import { TransportError } from '../../../src/errors.js';
import { FakeUsbBackend, FakeUsbPrinter, type FakePrinterOptions } from '../../support/fake-usb-printer.js';

/** A logger whose JSON lines are kept for assertions. */
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

/** A fake printer opened through the real usb: transport. */
interface UsbRig {
  readonly printer: FakeUsbPrinter;
  readonly backend: FakeUsbBackend;
  readonly transport: Transport;
  readonly port: TransportPort;
  readonly log: Logger;
  readonly lines: Record<string, unknown>[];
}

/** Open a fake printer by vid/pid; the caller closes `port` in teardown. */
async function openRig(printerOptions: FakePrinterOptions = {}, engineOptions: Record<string, unknown> = {}): Promise<UsbRig> {
  const printer = new FakeUsbPrinter(printerOptions);
  const backend = new FakeUsbBackend(printer);
  const transport = createUsbTransport({ backend, pollIntervalMs: 20 });
  const { log, lines } = sinkLogger();
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const uri = new URL(`usb:///?vid=${hex(printer.vendorId)}&pid=${hex(printer.productId)}`);
  const port = await transport.open(uri, engineOptions, log);
  return { printer, backend, transport, port, log, lines };
}

/** `n` bytes of a repeating, position-dependent pattern (so a repeated or dropped run shows). */
function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >> 8) * 13 + seed) & 0xff;
  return out;
}

async function rig(t: Test, printerOptions: FakePrinterOptions = {}, engineOptions: Record<string, unknown> = {}): Promise<UsbRig> {
  const r = await openRig(printerOptions, engineOptions);
  t.teardown(() => r.port.close());
  return r;
}

function kindOf(err: unknown): string {
  return err instanceof TransportError ? err.kind : `not a TransportError: ${String(err)}`;
}

t.test('a large write arrives intact and in order, in 256 KiB transfers with explicit long timeouts', async (t) => {
  const { printer, port } = await rig(t);
  t.equal(port.preferredChunk, 256 * 1024);
  const data = pattern(1_000_000);
  await port.write(data);
  t.same(Buffer.compare(printer.received, data), 0);
  t.same(printer.transferSizes, [262144, 262144, 262144, 213568]);
  t.ok(printer.transferTimeouts.every((ms) => ms > 1000), 'never the 1 s default');
  t.equal(port.metrics.bytesWritten, data.length);
  t.equal(printer.concurrentRejections, 0);
});

t.test('a full-speed printer gets 16 KiB transfers', async (t) => {
  const { printer, port } = await rig(t, { packetSize: 64 });
  t.equal(port.preferredChunk, 16 * 1024);
  await port.write(pattern(40_000));
  t.same(printer.transferSizes, [16384, 16384, 7232]);
});

t.test('writes issued together never put two transfers in flight', async (t) => {
  const { printer, port } = await rig(t, { packetSize: 64 });
  const a = pattern(50_000, 1);
  const b = pattern(30_000, 2);
  await Promise.all([port.write(a), port.write(b)]);
  t.equal(printer.concurrentRejections, 0);
  t.same(Buffer.compare(printer.received, Buffer.concat([a, b])), 0);
});

t.test('short transfers continue from the byte after the last one accepted', async (t) => {
  const { printer, port } = await rig(t);
  printer.maxPerTransfer = 1000;
  const data = pattern(4500);
  await port.write(data);
  t.same(printer.transferSizes, [4500, 3500, 2500, 1500, 500]);
  t.same(Buffer.compare(printer.received, data), 0);
});

t.test('a timeout reports the bytes accepted and the next write does not repeat any', async (t) => {
  const { printer, port } = await rig(t, {}, { timeout: 0.05 });
  printer.maxPerTransfer = 500;
  printer.pause(1000);
  const first = pattern(3000, 3);
  const err = await port.write(first).catch((e: unknown) => e);
  t.equal(kindOf(err), 'timeout');
  t.equal((err as TransportError).bytesAccepted, 1000);
  t.same(printer.transferTimeouts, [50, 50, 50]);
  printer.resume();
  const next = Buffer.from('NEXT JOB');
  await port.write(next);
  t.same(Buffer.compare(printer.received, Buffer.concat([first.subarray(0, 1000), next])), 0);
  t.ok(port.isOpen, 'a timeout keeps the port open');
});

t.test('a stall is cleared with clear-halt and the transfer retried once', async (t) => {
  const { printer, port } = await rig(t);
  printer.stallNext = 1;
  const data = pattern(10_000);
  await port.write(data);
  t.equal(printer.clearHaltCount, 1);
  t.same(Buffer.compare(printer.received, data), 0);
});

t.test('a stall that comes back after clear-halt fails the write as stalled', async (t) => {
  const { printer, port } = await rig(t);
  printer.stallAlways = true;
  const err = await port.write(pattern(100)).catch((e: unknown) => e);
  t.equal(kindOf(err), 'stalled');
  t.equal(printer.clearHaltCount, 1);
});

t.test('unplugging mid-job rejects the write as disconnected and aborts port.disconnected', async (t) => {
  const { printer, backend, port } = await rig(t);
  printer.maxPerTransfer = 4096;
  printer.pause(8192);
  const pending = port.write(pattern(100_000)).catch((e: unknown) => e);
  while (printer.received.length < 8192) await new Promise((r) => setImmediate(r));
  backend.unplug(printer);
  const err = await pending;
  t.equal(kindOf(err), 'disconnected');
  t.equal((err as TransportError).bytesAccepted, 8192);
  t.ok(port.disconnected.aborted);
  t.notOk(port.isOpen);
  t.equal(kindOf(await port.write(pattern(10)).catch((e: unknown) => e)), 'disconnected');
  t.equal(backend.listenerCount('disconnect'), 0, 'the port stopped listening');
});

t.test('a transfer error after unplug is recognised without a hotplug event', async (t) => {
  const { printer, backend, port } = await rig(t);
  backend.emitEvents = false;
  printer.pause();
  const pending = port.write(pattern(1000)).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  backend.unplug(printer);
  t.equal(kindOf(await pending), 'disconnected');
  t.ok(port.disconnected.aborted);
});

t.test('after an unplug a new open() finds the printer when it is plugged back in', async (t) => {
  const { printer, backend, transport, port, log } = await rig(t);
  backend.unplug(printer);
  t.ok(port.disconnected.aborted);
  const reopened = transport.open(new URL('usb:///?vid=03f0&pid=2b17'), {}, log);
  setTimeout(() => backend.plug(printer), 30);
  const again = await reopened;
  t.teardown(() => again.close());
  await again.write(Buffer.from('resumed'));
  t.equal(Buffer.from(printer.received).toString(), 'resumed');
});

t.test('an aborted write rejects as canceled and discard() flushes the engine', async (t) => {
  const { printer, port } = await rig(t);
  printer.pause();
  const ac = new AbortController();
  const pending = port.write(pattern(1000), ac.signal).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  ac.abort();
  const err = await pending;
  t.equal(kindOf(err), 'canceled');
  t.equal((err as TransportError).bytesAccepted, 0);
  await port.discard();
  const reset = printer.controlRequests.filter((r) => r.direction === 'out' && r.setup.request === 2);
  t.equal(reset.length, 1, 'SOFT_RESET sent');
  await port.write(Buffer.from('after'));
  t.equal(printer.concurrentRejections, 0, 'the next transfer waited for the abandoned one');
});

t.test('discard() cancels a transfer that is still stuck after SOFT_RESET', async (t) => {
  const { printer, port } = await rig(t);
  printer.pause();
  const ac = new AbortController();
  const pending = port.write(pattern(1000), ac.signal).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  ac.abort();
  await pending;
  printer.softResetFlushes = false;
  await port.discard();
  printer.resume();
  await port.write(Buffer.from('fresh'));
  t.equal(Buffer.from(printer.received).toString(), 'fresh');
});

t.test('port status reports paper empty, selected and error from GET_PORT_STATUS', async (t) => {
  const { printer, port } = await rig(t, { interfaceNumber: 1 });
  t.same(await port.portStatus?.(), { paperEmpty: false, selected: true, error: false });
  printer.paperEmpty = true;
  t.same(await port.portStatus?.(), { paperEmpty: true, selected: true, error: true });
  const request = printer.controlRequests.at(-1);
  t.match(request, { direction: 'in', setup: { requestType: 'class', recipient: 'interface', request: 1, value: 0, index: 1 }, length: 1 });
});

t.test('the device ID is read with GET_DEVICE_ID in either length byte order', async (t) => {
  for (const deviceIdLittleEndian of [false, true]) {
    const text = 'MFG:Zebra Technologies;MDL:ZTC ZD420-203dpi ZPL;CMD:ZPL;CLS:PRINTER;'.repeat(4);
    const { printer, port } = await rig(t, { deviceId: text, deviceIdLittleEndian, interfaceNumber: 1 });
    t.equal(await port.deviceId?.(), text);
    t.match(printer.controlRequests.at(-1), { setup: { request: 0, value: 0, index: 0x100 }, length: 1024 });
  }
});

t.test('SOFT_RESET goes to recipient "other" with an empty data stage', async (t) => {
  const { printer, port } = await rig(t);
  await port.softReset?.();
  const request = printer.controlRequests.at(-1);
  t.match(request, { direction: 'out', setup: { requestType: 'class', recipient: 'other', request: 2, value: 0, index: 0 } });
  t.equal(request?.data?.length, 0);
});

t.test('the usblp kernel driver is detached on open and given back on close', async (t) => {
  const { printer, port } = await rig(t);
  t.notOk(printer.kernelDriverAttached);
  await port.close();
  t.ok(printer.kernelDriverAttached);
  t.notOk(printer.opened);
});

t.test('a bidirectional printer answers read(); surplus bytes wait for the next read', async (t) => {
  const { printer, port } = await rig(t, {}, { 'read-timeout': 0.05 });
  t.ok(port.read, 'protocol 2 has read()');
  printer.reply(Buffer.from('STATUS-OK'));
  t.equal(Buffer.from((await port.read?.(6)) ?? []).toString(), 'STATUS');
  t.equal(Buffer.from((await port.read?.(64)) ?? []).toString(), '-OK');
  t.equal(kindOf(await port.read?.(64).catch((e: unknown) => e)), 'timeout');
  t.equal(port.metrics.bytesRead, 9);
});

t.test('a read abandoned by its signal hands its data to the next read', async (t) => {
  const { printer, port } = await rig(t, {}, { 'read-timeout': 5 });
  const ac = new AbortController();
  const first = port.read?.(64, ac.signal).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  ac.abort();
  t.equal(kindOf(await first), 'canceled');
  printer.reply(Buffer.from('late'));
  t.equal(Buffer.from((await port.read?.(64)) ?? []).toString(), 'late');
});

t.test('a unidirectional printer has no read()', async (t) => {
  const { port } = await rig(t, { protocol: 1 });
  t.equal(port.read, undefined);
});
