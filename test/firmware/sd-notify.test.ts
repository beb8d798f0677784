// sd_notify through the perl forwarder: READY, WATCHDOG and STOPPING datagrams reach a unix datagram socket.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { SystemdNotifier, watchdogIntervalMs } from '../../src/sd-notify.js';

const log = pino({ level: 'silent' });

/** A unix datagram receiver (perl, as systemd's socket would be): prints each datagram as a JSON string line. */
async function receiver(t: Test, path: string): Promise<{ next: () => Promise<string> }> {
  const script = [
    'use Socket; $| = 1; my $p = shift; $p =~ s/^@/\\0/;',
    'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die; bind($s, pack_sockaddr_un($p)) or die "bind: $!";',
    'print "bound\\n"; while (defined(recv($s, my $m, 4096, 0))) { $m =~ s/\\\\/\\\\\\\\/g; $m =~ s/\\n/\\\\n/g; print "$m\\n"; }',
  ].join('\n');
  const child = spawn('perl', ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void child.kill());
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  const next = (): Promise<string> => {
    const line = queue.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolveLine) => waiters.push(resolveLine));
  };
  t.equal(await next(), 'bound');
  return { next };
}

t.test('the watchdog interval is half of WATCHDOG_USEC and only for the named PID', async (t) => {
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 10), 15000);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '10' }, 10), 15000);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '11' }, 10), undefined);
  t.equal(watchdogIntervalMs({}, 10), undefined);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: 'x' }, 10), undefined);
});

t.test('without NOTIFY_SOCKET there is no notifier', async (t) => {
  t.equal(SystemdNotifier.fromEnv({}, log), undefined);
});

for (const abstract of [false, true]) {
  t.test(`READY, WATCHDOG and STOPPING reach ${abstract ? 'an abstract' : 'a path'} notify socket`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sd-notify-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const path = abstract ? `@ippbridge-test-${process.pid}` : join(dir, 'notify');
    const rx = await receiver(t, path);
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: path, WATCHDOG_USEC: '100000', WATCHDOG_PID: String(process.pid) };
    const notifier = SystemdNotifier.fromEnv(env, log);
    t.ok(notifier);
    t.teardown(() => notifier?.close());
    t.same(Object.keys(env), [], 'NOTIFY_SOCKET and WATCHDOG_* are not passed on to children');
    t.equal(await rx.next(), 'WATCHDOG=1', 'the watchdog pings at once');
    notifier?.ready('printing');
    let line = await rx.next();
    while (line === 'WATCHDOG=1') line = await rx.next();
    t.equal(line, 'READY=1\\nSTATUS=printing');
    t.equal(await rx.next(), 'WATCHDOG=1', 'and keeps pinging');
    notifier?.stopping();
    line = await rx.next();
    while (line === 'WATCHDOG=1') line = await rx.next();
    t.equal(line, 'STOPPING=1');
    await notifier?.close();
  });
}

t.test('a forwarder that cannot start leaves the notifier silent, not crashed', async (t) => {
  const notifier = SystemdNotifier.fromEnv({ NOTIFY_SOCKET: '/nonexistent/notify' }, log, '/nonexistent/perl');
  t.ok(notifier);
  notifier?.ready('x');
  // Let the spawn failure arrive before closing.
  await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  await notifier?.close();
  t.pass('closed');
});
