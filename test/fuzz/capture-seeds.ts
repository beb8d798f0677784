// Captures real client traffic as fuzz seeds: ipptool's HTTP requests (through a recording TCP proxy) and Net-SNMP
// tool packets (through a recording UDP proxy) against the built server. Run by hand after `npx tsc`:
// `node dist/test/fuzz/capture-seeds.js` rewrites test/fixtures/fuzz-seeds/{http,snmp}/captured-*.bin.
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { encodePwgRaster } from '../support/raster-writer.js';
import { repoRoot, startServer } from '../support/server.js';

const MAX_SEED_BYTES = 8 * 1024;

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve) => execFile(file, args, { timeout: 60_000, env }, () => resolve()));
}

/** A TCP proxy to `port` that records what each client sent. */
async function tcpRecorder(port: number): Promise<{ port: number; connections: Buffer[][]; close: () => void }> {
  const connections: Buffer[][] = [];
  const server = createServer((client) => {
    const sent: Buffer[] = [];
    connections.push(sent);
    const upstream = connect(port, '127.0.0.1');
    client.on('data', (chunk: Buffer) => sent.push(chunk));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { port: (server.address() as AddressInfo).port, connections, close: () => server.close() };
}

/** A UDP proxy to `port` that records every client packet (one client at a time). */
async function udpRecorder(port: number): Promise<{ port: number; packets: Buffer[]; close: () => void }> {
  const packets: Buffer[] = [];
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  let client: RemoteInfo | undefined;
  front.on('message', (msg, rinfo) => {
    packets.push(msg);
    client = rinfo;
    back.send(msg, port, '127.0.0.1');
  });
  back.on('message', (msg) => {
    if (client) front.send(msg, client.port, client.address);
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', resolve));
  return { port: front.address().port, packets, close: () => (front.close(), back.close()) };
}

function save(dir: string, prefix: string, items: readonly Buffer[]): number {
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir)) if (old.startsWith(prefix)) rmSync(join(dir, old));
  const seen = new Set<string>();
  for (const item of items) {
    if (item.length === 0 || item.length > MAX_SEED_BYTES) continue;
    const id = createHash('sha256').update(item).digest('hex').slice(0, 12);
    if (seen.has(id)) continue;
    seen.add(id);
    writeFileSync(join(dir, `${prefix}${id}.bin`), item);
  }
  return seen.size;
}

async function captureIpptool(work: string, ippPort: number, seedsDir: string): Promise<void> {
  const proxy = await tcpRecorder(ippPort);
  const doc = join(work, 'tiny.pwg');
  const pixels = new Uint8Array(16 * 8).fill(0xff).fill(0x00, 40, 60);
  writeFileSync(doc, encodePwgRaster([{ width: 16, height: 8, type: 'sgray_8', xDpi: 300, yDpi: 300, pixels }]));
  const uri = `ipp://127.0.0.1:${proxy.port}/ipp/print`;
  const suites = '/usr/share/cups/ipptool';
  for (const test of ['get-printer-attributes.test', 'get-jobs.test', 'validate-job.test', 'identify-printer.test']) {
    await run('/usr/bin/ipptool', ['-T', '10', '-I', '-q', uri, join(suites, test)]);
  }
  for (const framing of ['-C', '-L']) {
    for (const test of ['print-job.test', 'print-job-gzip.test', 'print-job-deflate.test', 'create-job.test']) {
      await run('/usr/bin/ipptool', [framing, '-T', '10', '-I', '-q', '-f', doc, uri, join(suites, test)]);
    }
  }
  proxy.close();
  const n = save(join(seedsDir, 'http'), 'captured-ipptool-', proxy.connections.map((c) => Buffer.concat(c)));
  console.log(`http: ${n} ipptool connections`);
}

async function captureSnmp(snmpPort: number, seedsDir: string): Promise<void> {
  const proxy = await udpRecorder(snmpPort);
  const target = `udp:127.0.0.1:${proxy.port}`;
  const env = { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMPCONFPATH: '/nonexistent' };
  const common = ['-On', '-t', '1', '-r', '0'];
  const v3 = ['-v3', '-l', 'authPriv', '-u', 'fuzz', '-a', 'SHA-256', '-A', 'fuzzauth1', '-x', 'AES', '-X', 'fuzzpriv1'];
  const runs: [string, string[]][] = [
    ['snmpget', ['-v1', '-c', 'public', ...common, target, '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.25.3.5.1.2.1']],
    ['snmpget', ['-v2c', '-c', 'public', ...common, target, '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.43.11.1.1.9.1.1']],
    ['snmpgetnext', ['-v2c', '-c', 'public', ...common, target, '1.3.6.1.2.1.43.5']],
    ['snmpbulkget', ['-v2c', '-c', 'public', '-Cn1', '-Cr10', ...common, target, '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.43.11']],
    ['snmpwalk', ['-v1', '-c', 'public', ...common, target, '1.3.6.1.2.1.1']],
    ['snmpget', ['-v2c', '-c', 'wrong', ...common, target, '1.3.6.1.2.1.1.1.0']],
    ['snmpget', [...v3, ...common, target, '1.3.6.1.2.1.1.1.0']],
    ['snmpbulkwalk', [...v3, ...common, target, '1.3.6.1.2.1.43.8']],
    ['snmpget', ['-v3', '-l', 'authNoPriv', '-u', 'fuzz', '-a', 'SHA-256', '-A', 'fuzzauth1', ...common, target, '1.3.6.1.2.1.1.5.0']],
    ['snmpget', ['-v3', '-l', 'noAuthNoPriv', '-u', 'nobody', ...common, target, '1.3.6.1.2.1.1.5.0']],
  ];
  for (const [tool, args] of runs) await run(`/usr/bin/${tool}`, args, env);
  proxy.close();
  // Walks repeat one request shape: keep at most 40 packets.
  const n = save(join(seedsDir, 'snmp'), 'captured-net-snmp-', proxy.packets.slice(0, 40));
  console.log(`snmp: ${n} Net-SNMP packets`);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'fuzz-capture-'));
  const board = JSON.parse(readFileSync(join(repoRoot(), 'board-configs', 'virtual.json'), 'utf8')) as Record<string, unknown>;
  const users = [{ name: 'fuzz', 'auth-protocol': 'SHA-256', 'auth-password': 'fuzzauth1', 'priv-protocol': 'AES', 'priv-password': 'fuzzpriv1' }];
  board['snmp'] = { communities: ['public'], users };
  delete board['$schema'];
  const boardFile = join(work, 'board.json');
  writeFileSync(boardFile, JSON.stringify(board));
  const server = await startServer({ args: ['--board', boardFile] });
  try {
    // The SNMP port line follows the ready line.
    let snmpPort = NaN;
    for (let i = 0; i < 50 && Number.isNaN(snmpPort); i++) {
      snmpPort = Number(/ippbridge snmp: udp port (\d+)/.exec(server.output())?.[1] ?? NaN);
      if (Number.isNaN(snmpPort)) await delay(100);
    }
    const seedsDir = join(repoRoot(), 'test', 'fixtures', 'fuzz-seeds');
    await captureIpptool(work, server.port, seedsDir);
    if (Number.isInteger(snmpPort)) await captureSnmp(snmpPort, seedsDir);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
