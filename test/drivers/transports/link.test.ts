// The engine link: kept-open ports lent to one job at a time, offline reasons while a device is away, reconnection.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { once } from 'node:events';
import { pino } from 'pino';
import type { DeviceInfo, Transport, TransportPort } from '../../../drivers/transports/transport.js';
import { EngineLink, LINK_DOWN_REASONS } from '../../../drivers/transports/link.js';
import { FakePort } from '../../support/fake-engine.js';
import { TransportError } from '../../../src/errors.js';

const silent = pino({ level: 'silent' });

/** A port that can be unplugged. */
class UnpluggablePort extends FakePort {
  readonly #gone = new AbortController();
  override get disconnected(): AbortSignal {
    return this.#gone.signal;
  }
  unplug(): void {
    this.#gone.abort();
  }
}

/** A transport whose device can be absent: open() waits until it is plugged in. */
class FakeTransport implements Transport {
  readonly scheme = 'usb' as const;
  readonly ports: UnpluggablePort[] = [];
  plugged = true;
  #waiters: (() => void)[] = [];

  async list(): Promise<DeviceInfo[]> {
    return [];
  }
  async open(_uri: URL, _o: Readonly<Record<string, unknown>>, _l: unknown, signal?: AbortSignal): Promise<TransportPort> {
    while (!this.plugged) {
      await new Promise<void>((resolve, reject) => {
        this.#waiters.push(resolve);
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    }
    const port = new UnpluggablePort();
    this.ports.push(port);
    return port;
  }
  plugIn(): void {
    this.plugged = true;
    for (const w of this.#waiters.splice(0)) w();
  }
}

t.test('a kept-open link is shared: a lease returns the port instead of closing it', async (t) => {
  const transport = new FakeTransport();
  const link = new EngineLink({ transport, uri: new URL('usb://Acme/P1'), options: {}, log: silent });
  t.teardown(() => link.close());
  t.ok(link.persistent);
  const lease = await link.acquire(silent, new AbortController().signal);
  t.equal(link.idlePort, undefined, 'no status polls while a job holds the port');
  await t.rejects(link.acquire(silent, new AbortController().signal), /in use/);
  await lease.close();
  t.equal(link.idlePort, transport.ports[0]);
  t.ok(transport.ports[0]?.isOpen, 'the port stays open between jobs');
  const again = await link.acquire(silent, new AbortController().signal);
  await again.close();
  t.equal(transport.ports.length, 1, 'one port for both jobs');
});

t.test('a per-job link opens and closes the port for each job', async (t) => {
  const transport = new FakeTransport();
  const link = new EngineLink({ transport, uri: new URL('file:///tmp/x'), options: {}, log: silent });
  t.notOk(link.persistent);
  const lease = await link.acquire(silent, new AbortController().signal);
  await lease.close();
  t.notOk(transport.ports[0]?.isOpen);
  t.equal(link.idlePort, undefined);
});

t.test('an unplugged device shows offline reasons until it is back, then the link reopens', async (t) => {
  const transport = new FakeTransport();
  const link = new EngineLink({ transport, uri: new URL('usb://Acme/P1'), options: {}, log: silent });
  t.teardown(() => link.close());
  link.start();
  await once(link, 'change');
  t.same(link.reasons, []);
  transport.plugged = false;
  transport.ports[0]?.unplug();
  t.same(link.reasons, LINK_DOWN_REASONS);
  t.equal(link.idlePort, undefined);
  const waiting = link.acquire(silent, new AbortController().signal);
  transport.plugIn();
  const lease = await waiting;
  t.same(link.reasons, []);
  t.equal(transport.ports.length, 2, 'a new port after the re-plug');
  await lease.close();
});

t.test('a job waiting for an absent device can be canceled', async (t) => {
  const transport = new FakeTransport();
  transport.plugged = false;
  const link = new EngineLink({ transport, uri: new URL('serial:///dev/ttyUSB0'), options: {}, log: silent });
  t.teardown(() => link.close());
  const ac = new AbortController();
  const waiting = link.acquire(silent, ac.signal);
  ac.abort();
  const err = await waiting.then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, TransportError);
  t.equal((err as TransportError).kind, 'canceled');
  t.same(link.reasons, LINK_DOWN_REASONS);
  transport.plugIn();
  const lease = await link.acquire(silent, new AbortController().signal);
  t.ok(lease.isOpen, 'the link can be taken again after a canceled wait');
  await lease.close();
});
