// Starting the usb: transport on a machine without USB (like CI): no device, a clean wait, no unhandled rejection.
// SPDX-License-Identifier: Apache-2.0
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { createUsbTransport } from '../../../drivers/transports/usb.js';
import { TransportError } from '../../../src/errors.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);
process.on('uncaughtException', onUnhandled);
t.teardown(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

const log = pino({ level: 'silent' });

async function exercise(sysfsPath: string): Promise<{ listed: unknown; openError: unknown }> {
  const transport = createUsbTransport({ sysfsPath, pollIntervalMs: 10 });
  const listed = await transport.list();
  const openError = await transport.open(new URL('usb:///?vid=ffff&pid=fffe'), {}, log, AbortSignal.timeout(60)).then(
    (port) => port.close().then(() => new Error('opened a device that does not exist')),
    (err: unknown) => err,
  );
  // Let any stray promise from the usb package settle before judging.
  await new Promise((r) => setTimeout(r, 50));
  return { listed, openError };
}

t.test('without a USB sysfs directory list() is empty and open() waits until aborted', async (t) => {
  const { listed, openError } = await exercise('/nonexistent/sys/bus/usb/devices');
  t.same(listed, []);
  t.ok(openError instanceof TransportError && openError.kind === 'canceled', 'open() ends as canceled');
  t.same(unhandled, [], 'no unhandled rejection or exception');
});

t.test('a sysfs directory without a working USB stack still leaves no unhandled rejection', async (t) => {
  // On this machine the usb package loads but cannot enumerate; a real machine lists whatever is attached.
  const dir = await mkdtemp(path.join(tmpdir(), 'usb-sysfs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { listed, openError } = await exercise(dir);
  t.ok(Array.isArray(listed));
  t.ok(openError instanceof TransportError && openError.kind === 'canceled', 'open() ends as canceled');
  t.same(unhandled, [], 'no unhandled rejection or exception');
});
