// Starts Net-SNMP's C `snmpd` (Debian package snmpd) on a loopback UDP port with a private config, for the SNMP
// benchmark's side-by-side figures. Ignores the system config (-C), logs warnings only, no AgentX, few MIB modules.
// SPDX-License-Identifier: Apache-2.0
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { probe } from './snmp-client.js';

/** Path of the snmpd binary; SNMPD in the environment overrides it. */
export const SNMPD = process.env['SNMPD'] ?? '/usr/sbin/snmpd';

/**
 * MIB modules snmpd initialises (-I): system, sysORTable, snmp group, VACM, hrSystem, hrDevice (processors,
 * network), ifTable, and usmConf (no objects: it parses createUser, for the v3 figures). A tree of a size comparable
 * to ours; the modules that scan installed software, running processes, file systems and the IP stack are left out
 * (hrh_storage alone crashes snmpd 5.9.3, so storage is out too).
 */
export const SNMPD_MODULES = ['vacm_conf', 'system_mib', 'sysORTable', 'snmp_mib', 'vacm_vars', 'hr_system', 'hr_device', 'hr_proc', 'hr_network', 'ifTable', 'usmConf'] as const;

/** A running snmpd. */
export interface ReferenceAgent {
  readonly port: number;
  readonly proc: ChildProcess;
  readonly community: string;
  /** Collected stdout + stderr (last 64 KiB). */
  output(): string;
  /** SIGTERM, wait for exit (SIGKILL after 5 s), remove the private directory. */
  stop(): Promise<void>;
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function waitExit(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

/**
 * Starts snmpd on 127.0.0.1 with community `public` plus `extraConfig` (snmpd.conf lines, e.g. createUser) and waits
 * until it answers a GET of sysUpTime.0. Users go to the private persistent directory, removed by stop().
 */
export async function startSnmpd(readyTimeoutMs = 10_000, extraConfig = ''): Promise<ReferenceAgent> {
  if (!existsSync(SNMPD)) throw new Error(`${SNMPD} not installed (Debian package snmpd)`);
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-snmpd-'));
  const port = await freeUdpPort();
  const community = 'public';
  const config = join(dir, 'snmpd.conf');
  await writeFile(config, `agentAddress udp:127.0.0.1:${port}\nrocommunity ${community} 127.0.0.1\ndontLogTCPWrappersConnects yes\n${extraConfig}`);
  const args = ['-f', '-LOw', '-C', '-c', config, '-I', SNMPD_MODULES.join(',')];
  // No MIB files: numeric OIDs only, and no warnings about missing modules.
  const env = { ...process.env, SNMP_PERSISTENT_DIR: join(dir, 'persist'), MIBS: '', MIBDIRS: join(dir, 'no-mibs') };
  const proc = spawn(SNMPD, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let log = '';
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-64 * 1024);
  };
  proc.stdout.on('data', append);
  proc.stderr.on('data', append);
  let spawnError: Error | undefined;
  proc.once('error', (err) => (spawnError = err));
  let stopping: Promise<void> | undefined;
  const agent: ReferenceAgent = {
    port,
    proc,
    community,
    output: () => log,
    stop: () => {
      stopping ??= (async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
          proc.kill('SIGTERM');
          await waitExit(proc);
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
  // Ready when it answers; fail fast when it exits or cannot be spawned.
  const deadline = performance.now() + readyTimeoutMs;
  while (performance.now() < deadline) {
    if (spawnError !== undefined || proc.exitCode !== null || proc.signalCode !== null) break;
    const answer = await probe(port, community, [[1, 3, 6, 1, 2, 1, 1, 3, 0]], 200);
    if (answer !== undefined) return agent;
    await delay(50);
  }
  await agent.stop();
  throw new Error(`snmpd did not answer on udp port ${port}: ${spawnError?.message ?? log.slice(-500)}`);
}
