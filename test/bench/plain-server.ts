// Our server started with --no-snmp, for the RSS the SNMP agent adds (startServer always passes --snmp-port,
// which contradicts --no-snmp).
// SPDX-License-Identifier: Apache-2.0
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, serverMain } from '../support/server.js';

/** A process the bench started: the children it must stop. */
export interface Stoppable {
  readonly proc: ChildProcess;
  stop(): Promise<void>;
}

/** Our server with --no-snmp (startServer always passes --snmp-port, which contradicts --no-snmp). */
export async function startPlainServer(): Promise<Stoppable> {
  const stateDir = await mkdtemp(join(tmpdir(), 'ippbridge-state-'));
  const args = [serverMain(), 'serve', '--listen', '127.0.0.1', '--port', '0', '--no-dnssd', '--no-snmp', '--state-dir', stateDir, '--log-level', 'warn'];
  const proc = spawn(process.execPath, [...args, '--name', 'bench-no-snmp'], { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() });
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));
      clearTimeout(timer);
    }
    await rm(stateDir, { recursive: true, force: true });
  };
  let out = '';
  proc.stderr.on('data', (chunk: Buffer) => (out = (out + chunk.toString('utf8')).slice(-4096)));
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 15_000);
    proc.stdout.on('data', (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-4096);
      if (out.includes('ippbridge ready:')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    proc.once('exit', () => resolve(false));
  });
  if (!ready) {
    await stop();
    throw new Error(`--no-snmp server did not start: ${out.slice(-500)}`);
  }
  return { proc, stop };
}

