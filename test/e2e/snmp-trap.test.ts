// End to end: a Printer on the fake engine, its SnmpState and startTraps sending printerV2Alert to Net-SNMP's
// snmptrapd on 127.0.0.1 (Debian package 'snmptrapd'), which must log each trap with the right bindings.
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import type { EngineStatus } from '../../drivers/driver.js';
import { startTraps } from '../../src/snmp/traps.js';
import { SnmpState } from '../../src/snmp/view.js';
import type { Printer } from '../../src/printer/printer.js';
import { makeTestPrinter, type FakeEngine } from '../support/fake-engine.js';

const SNMPTRAPD = '/usr/sbin/snmptrapd';
const COMMUNITY = 'ippbridge-traps';
const SNMP_TRAP_OID_0 = '.1.3.6.1.6.3.1.1.4.1.0';
const PRINTER_V2_ALERT = '.1.3.6.1.2.1.43.18.2.0.1';
const ALERT_ENTRY = '.1.3.6.1.2.1.43.18.1.1';
/** Upper bound on waiting for snmptrapd to start or to log a trap (a bound on a wait, not a timed assertion). */
const WAIT_MS = 10_000;

/** One logged trap: its varbinds as [numeric OID, "TYPE: value"] in the order received. */
type Trap = readonly (readonly [string, string])[];

/** snmptrapd -F format: one line per trap, varbinds separated by '|'. */
function parseTrap(line: string): Trap | undefined {
  if (!line.startsWith('TRAP ')) return undefined;
  return line
    .slice(5)
    .split('|')
    .map((vb) => {
      const [oid = '', value = ''] = vb.trim().split(' = ');
      return [oid, value] as const;
    });
}

function value(trap: Trap, oid: string): string | undefined {
  return trap.find(([o]) => o === oid)?.[1];
}

/** A free UDP port on 127.0.0.1 (bound then released). */
async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

interface Trapd {
  readonly port: number;
  readonly traps: Trap[];
  /** resolves once `count` traps were logged; rejects after WAIT_MS */
  waitFor(count: number): Promise<void>;
}

/** snmptrapd in the foreground on 127.0.0.1 with a private config accepting only COMMUNITY; killed at teardown. */
async function startTrapd(t: Test): Promise<Trapd> {
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-trapd-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const conf = join(dir, 'snmptrapd.conf');
  await writeFile(conf, `authCommunity log ${COMMUNITY}\ndoNotRetainNotificationLogs yes\n`);
  const port = await freePort();
  const args = ['-f', '-Lo', '-n', '-On', '-C', '-c', conf, '-M', '/dev/null', '-m', '', '-F', 'TRAP %V|%v\n', `udp:127.0.0.1:${port}`];
  const child = spawn(SNMPTRAPD, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SNMP_PERSISTENT_DIR: dir } });
  const exited = once(child, 'exit');
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  const traps: Trap[] = [];
  let out = '';
  let ready = false;
  const listeners = new Set<() => void>();
  const onText = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) {
      const trap = parseTrap(line);
      if (trap) traps.push(trap);
      else if (line.includes('NET-SNMP version')) ready = true;
    }
    for (const l of listeners) l();
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  const until = (check: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        listeners.delete(poll);
        if (err) reject(err);
        else resolve();
      };
      const poll = (): void => {
        if (check()) done();
        else if (child.exitCode !== null) done(new Error(`snmptrapd exited (${child.exitCode}) before ${what}`));
      };
      const timer = setTimeout(() => done(new Error(`no ${what} from snmptrapd within ${WAIT_MS} ms`)), WAIT_MS);
      listeners.add(poll);
      poll();
    });
  await until(() => ready, 'start-up line');
  return { port, traps, waitFor: (count) => until(() => traps.length >= count, `trap #${count}`) };
}

/** The engine status, set in the fake engine (so status polls agree) and in the state model. */
function setReasons(printer: Printer, engine: FakeEngine, reasons: readonly string[]): void {
  const status: EngineStatus = { reasons, supplies: [] };
  engine.engineStatus = status;
  printer.state.setEngineStatus(status, new Date());
}

t.test('snmptrapd logs a printerV2Alert per added alert row and none for removals', async (t) => {
  if (!existsSync(SNMPTRAPD)) {
    const why = "snmptrapd missing: install the Debian package 'snmptrapd'";
    if (process.env['CI'] === 'true') t.fail(why);
    else t.pass(why, { skip: why });
    return;
  }
  const trapd = await startTrapd(t);
  const { printer, engine } = await makeTestPrinter(t);
  setReasons(printer, engine, []);
  const state = new SnmpState(printer, {
    sysObjectId: [1, 3, 6, 1, 4, 1, 99999, 1],
    firmwareVersion: '0.1.0',
    boardName: 'Fake Printer',
    printerUri: () => 'ipp://127.0.0.1:8631/ipp/print',
  });
  t.teardown(() => state.close());
  const traps = startTraps(state, [{ host: '127.0.0.1', port: trapd.port, community: COMMUNITY }], pino({ level: 'silent' }));
  t.teardown(() => traps.close());

  setReasons(printer, engine, ['media-empty']);
  await trapd.waitFor(1);
  const first = trapd.traps[0] ?? [];
  t.match(value(first, '.1.3.6.1.2.1.1.3.0') ?? '', /^Timeticks: \(\d+\)/, 'sysUpTime.0 first');
  t.equal(first[1]?.[0], SNMP_TRAP_OID_0, 'snmpTrapOID.0 second');
  t.equal(value(first, SNMP_TRAP_OID_0), `OID: ${PRINTER_V2_ALERT}`);
  const index = Number(/INTEGER: (\d+)/.exec(value(first, `${ALERT_ENTRY}.1.1.1`) ?? '')?.[1] ?? NaN);
  t.ok(index >= 1, 'prtAlertIndex bound for row 1');
  t.same(
    first.slice(2).map(([oid]) => oid),
    [1, 2, 4, 5, 6, 7].map((col) => `${ALERT_ENTRY}.${col}.1.${index}`),
    'the printerV2Alert OBJECTS in RFC 3805 order',
  );
  t.equal(value(first, `${ALERT_ENTRY}.2.1.${index}`), 'INTEGER: 3', 'critical');
  t.equal(value(first, `${ALERT_ENTRY}.7.1.${index}`), 'INTEGER: 808', 'inputMediaSupplyEmpty');

  // Clear (no trap), then raise again: a new row with a higher index.
  setReasons(printer, engine, []);
  setReasons(printer, engine, ['media-empty']);
  await trapd.waitFor(2);
  const second = trapd.traps[1] ?? [];
  const index2 = Number(/INTEGER: (\d+)/.exec(value(second, `${ALERT_ENTRY}.1.1.${index + 1}`) ?? '')?.[1] ?? NaN);
  t.equal(index2, index + 1, 'the re-added row has the next prtAlertIndex');
  t.equal(value(second, `${ALERT_ENTRY}.7.1.${index2}`), 'INTEGER: 808');
  t.equal(trapd.traps.length, 2, 'the removal sent no trap');
});
