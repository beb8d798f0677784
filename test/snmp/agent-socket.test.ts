// SnmpAgent on its default dual-stack address '::', answering IPv4 and IPv6 clients. Binding '::' means every
// interface, so the file re-runs itself under `unshare -n` where only loopback exists.
// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { createSocket, type SocketType } from 'node:dgram';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { SnmpAgent } from '../../src/snmp/agent.js';
import { decodeMessage, encodeMessage } from '../../src/snmp/message.js';
import { FakeTree, request, str } from './agent-fakes.js';

const INSIDE = 'IPPBRIDGE_SNMP_NETNS';

if (process.env[INSIDE] === '1') {
  inside();
} else {
  outside();
}

/** Re-run this file in a private network namespace with loopback up, as a tap subtest. */
function outside(): void {
  const probe = spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = `unshare -n / ip unavailable (needs root and iproute2): ${probe.error?.message ?? probe.stderr.trim()}`;
    if (process.env['CI'] === 'true') t.fail(why);
    else t.plan(0, `skipped: ${why}`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  t.spawn(
    'unshare',
    ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, ...process.execArgv, self],
    { env: { ...process.env, [INSIDE]: '1' }, timeout: 60_000 },
    'SNMP agent on :: inside a private network namespace',
  );
}

/** Send one GET from a `type` socket to `address` and return the decoded answer. */
async function ask(t: Test, type: SocketType, address: string, port: number, requestId: number): Promise<ReturnType<typeof decodeMessage>> {
  const client = createSocket(type);
  t.teardown(() => client.close());
  const reply = once(client, 'message');
  const msg = request(1, 'get', ['1.3.6.1.2.1.1.1.0']);
  client.send(encodeMessage({ ...msg, pdu: { ...msg.pdu, requestId } }), port, address);
  return decodeMessage(((await reply) as [Buffer])[0]);
}

function inside(): void {
  t.test('the default address answers IPv4 and IPv6 clients on one socket', async (t) => {
    const foreign = Object.keys(networkInterfaces()).filter((name) => name !== 'lo');
    if (foreign.length > 0) {
      t.fail(`not inside a private namespace: interfaces ${foreign.join(', ')}`);
      return;
    }
    const agent = new SnmpAgent(new FakeTree([['1.3.6.1.2.1.1.1.0', str('dual')]]), () => 1, {
      port: 0,
      communities: ['public'],
      log: pino({ level: 'silent' }),
    });
    const port = await agent.start();
    t.teardown(() => agent.stop());
    const v4 = await ask(t, 'udp4', '127.0.0.1', port, 4);
    const v6 = await ask(t, 'udp6', '::1', port, 6);
    t.equal(v4.pdu.requestId, 4);
    t.equal(v6.pdu.requestId, 6);
    t.same(v4.pdu.varbinds[0]?.value, str('dual'));
    t.same(v6.pdu.varbinds[0]?.value, str('dual'));
  });
}
