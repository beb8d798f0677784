// The printer's engine status poll with a kept-open link: the link's reasons while it is down, and what happens when
// it comes back up while a job already holds the port.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { Printer, type EngineLinkView } from '../../src/printer/printer.js';
import type { TransportPort } from '../../drivers/transports/transport.js';
import type { EngineStatus } from '../../drivers/driver.js';
import { FAKE_BOARD, FakeEngine, fakePrinterConfig, tempStateDir } from '../support/fake-engine.js';

/** A link the test moves by hand: down, up and idle, or up and lent to a job. */
class HandLink extends EventEmitter implements EngineLinkView {
  readonly persistent = true;
  reasons: readonly string[] = ['offline-report', 'connecting-to-device'];
  idlePort: TransportPort | undefined = undefined;
  set(reasons: readonly string[], idlePort: TransportPort | undefined): void {
    this.reasons = reasons;
    this.idlePort = idlePort;
    this.emit('change');
  }
}

const IDLE_PORT = { uri: 'serial:/dev/fake' } as unknown as TransportPort;

async function rig(t: Test, engine: FakeEngine): Promise<{ printer: Printer; link: HandLink }> {
  const link = new HandLink();
  const printer = new Printer({
    capabilities: engine.capabilities,
    driver: engine,
    openPort: (log, signal) => engine.openPort(log, signal),
    link,
    board: FAKE_BOARD,
    config: fakePrinterConfig(),
    stateDir: await tempStateDir(t),
    port: 8631,
    log: pino({ level: 'silent' }),
  });
  t.teardown(() => printer.stop());
  await printer.start();
  return { printer, link };
}

/** Let the 'change' listeners and the polls they start run to the end. */
const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

t.test('a link that comes up while a job holds the port drops offline-report at once', async (t) => {
  const engine = new FakeEngine();
  engine.engineStatus = { reasons: ['media-low-report'], supplies: [] };
  const { printer, link } = await rig(t, engine);
  t.same([...printer.state.reasons].sort(), ['connecting-to-device', 'offline-report'], 'down: the link reasons only');
  link.set([], undefined);
  await turns();
  t.same(printer.state.reasons, [], 'up but lent to a job: the link reasons are gone, nothing read across the job');
  link.set([], IDLE_PORT);
  await turns();
  t.same(printer.state.reasons, ['media-low-report'], 'idle again: the engine is read');
});

t.test('an engine that says offline-report itself keeps it while a job holds the port', async (t) => {
  const engine = new FakeEngine();
  engine.engineStatus = { reasons: ['offline-report'], supplies: [] };
  const { printer, link } = await rig(t, engine);
  link.set([], IDLE_PORT);
  await turns();
  t.same(printer.state.reasons, ['offline-report']);
  link.set([], undefined);
  await turns();
  t.same(printer.state.reasons, ['offline-report'], 'the engine said it, not the link: kept until the next read');
});

t.test('a link change during a slow status read is not lost', async (t) => {
  const engine = new FakeEngine();
  let release: (() => void) | undefined;
  let calls = 0;
  engine.status = async (): Promise<EngineStatus> => {
    calls++;
    if (calls === 1) await new Promise<void>((r) => (release = r));
    return { reasons: calls === 1 ? ['media-low-report'] : [], supplies: [] };
  };
  const { printer, link } = await rig(t, engine);
  link.set([], IDLE_PORT);
  await turns();
  t.equal(calls, 1, 'the first read is under way');
  link.set(['offline-report', 'connecting-to-device'], undefined);
  await turns();
  t.equal(calls, 1, 'no second read while the first runs');
  release?.();
  await turns(10);
  t.same([...printer.state.reasons].sort(), ['connecting-to-device', 'offline-report'], 'the change that came mid-read wins');
});
