// End to end: CUPS' own SNMPv1 discovery backend (`/usr/lib/cups/backend/snmp`, Debian package `cups`) finds the
// built server on UDP 161 inside a private network namespace (issue #5; snmp-printer-mib.md §6 and §9).
// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { canCreateNetns, IN_NETNS_ENV, netnsCommand } from '../support/netns.js';
import { cleanEnv, repoRoot, serverMain } from '../support/server.js';

const BACKEND = '/usr/lib/cups/backend/snmp';
const NSENTER = '/usr/bin/nsenter';
/** Written to the board config; the backend reports it from sysLocation.0. */
const LOCATION = 'Test Lab, Shelf 2';
/** hrDeviceDescr.1 of the virtual board, which the backend reports as device-info. */
const DESCRIPTION = 'ippbridge Virtual Printer';
/** ppmPrinterIEEE1284DeviceId.1 of the virtual board; the backend derives make-and-model from its MFG and MDL. */
const DEVICE_ID = 'MFG:ippbridge;MDL:Virtual Printer;CMD:PWGRaster,URF,JPEG;CLS:PRINTER;';
const MAKE_AND_MODEL = 'ippbridge Virtual Printer';
const READY = /ippbridge ready: (ipp:\/\/127\.0\.0\.1:\d+\/ipp\/print)/;
const SNMP_READY = /ippbridge snmp: udp port 161\b/;

/** A server running as the first process of its own network namespace. */
interface NetnsServer {
  readonly pid: number;
  readonly uri: string;
  output(): string;
  stop(): Promise<void>;
}

/** One device line of a backend's discovery output (CUPS backend(7): class uri "make-and-model" "info" "id" "location"). */
interface DeviceLine {
  readonly deviceClass: string;
  readonly uri: string;
  readonly makeAndModel: string;
  readonly info: string;
  readonly deviceId: string;
  readonly location: string;
}

/** What one backend run printed. */
interface BackendRun {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fail under CI (CI=true), otherwise skip with the reason. */
function unavailable(t: Test, why: string): void {
  if (process.env['CI'] === 'true') t.fail(why);
  else t.pass(why, { skip: why });
}

function stopChild(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** Start dist/src/main.js in a fresh network namespace (lo up) with SNMP on 161 and IPP on an ephemeral port. */
async function startInNetns(dir: string): Promise<NetnsServer> {
  // The virtual board with a location, so sysLocation.0 carries something the backend must report.
  const board = JSON.parse(await readFile(join(repoRoot(), 'board-configs', 'virtual.json'), 'utf8')) as Record<string, unknown>;
  delete board['$schema'];
  board['location'] = LOCATION;
  const boardFile = join(dir, 'board.json');
  await writeFile(boardFile, JSON.stringify(board));
  const stateDir = join(dir, 'state');
  await mkdir(stateDir);
  const serve = [process.execPath, serverMain(), 'serve', '--board', boardFile, '--listen', '127.0.0.1', '--port', '0'];
  serve.push('--snmp-port', '161', '--no-dnssd', '--state-dir', stateDir, '--log-level', 'warn');
  // `unshare` and `sh` exec in turn, so the spawned pid is the server's pid, which nsenter targets.
  const ns = netnsCommand(['sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...serve]);
  const proc = spawn(ns.command, ns.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...cleanEnv(), [IN_NETNS_ENV]: '1' } });
  let log = '';
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready lines within 15 s')), 15_000);
    const check = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-65536);
      const uri = READY.exec(log)?.[1];
      if (uri !== undefined && SNMP_READY.test(log)) {
        clearTimeout(timer);
        resolve(uri);
      }
    };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal})`));
    });
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  try {
    const uri = await ready;
    if (proc.pid === undefined) throw new Error('server has no pid');
    return { pid: proc.pid, uri, output: () => log, stop: () => stopChild(proc, 5000) };
  } catch (err) {
    await stopChild(proc, 1000);
    throw new Error(`ippbridge did not start in the namespace: ${String(err)}\n--- server output ---\n${log}`, { cause: err });
  }
}

/** Run the CUPS snmp backend against 127.0.0.1 inside the namespace of `pid`, with snmp.conf from `serverRoot`. */
function runBackend(pid: number, serverRoot: string): Promise<BackendRun> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const enter = isRoot ? ['-n'] : ['-U', '-n', '--preserve-credentials'];
  const argv = ['-t', String(pid), ...enter, '--', BACKEND, '127.0.0.1'];
  // CUPS_MAX_RUN_TIME bounds the backend's own scan; the execFile timeout bounds everything else.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', CUPS_SERVERROOT: serverRoot, CUPS_MAX_RUN_TIME: '10', CUPS_DEBUG_LEVEL: '1' };
  return new Promise((resolve) => {
    execFile(NSENTER, argv, { env, timeout: 20_000, killSignal: 'SIGKILL', maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : (err.code ?? err.signal ?? 'error');
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parse the device lines of backend output; strings are quoted with `\` escaping `"` and `\`. */
function parseDevices(stdout: string): DeviceLine[] {
  const q = '"((?:[^"\\\\]|\\\\.)*)"';
  const re = new RegExp(`^(\\S+) (\\S+) ${q} ${q} ${q} ${q}$`);
  const unquote = (s: string | undefined): string => (s ?? '').replace(/\\(.)/g, '$1');
  const out: DeviceLine[] = [];
  for (const line of stdout.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    out.push({
      deviceClass: m[1] ?? '',
      uri: m[2] ?? '',
      makeAndModel: unquote(m[3]),
      info: unquote(m[4]),
      deviceId: unquote(m[5]),
      location: unquote(m[6]),
    });
  }
  return out;
}

/** Write `CUPS_SERVERROOT/snmp.conf` with one community (no Address: the backend gets it on its command line). */
async function serverRoot(dir: string, name: string, community: string): Promise<string> {
  const root = join(dir, name);
  await mkdir(root);
  await writeFile(join(root, 'snmp.conf'), `Community ${community}\nHostNameLookups off\n`);
  return root;
}

function diagnostics(run: BackendRun, server: NetnsServer): string {
  return `exit ${String(run.code)}\n--- backend stdout ---\n${run.stdout}\n--- backend stderr ---\n${run.stderr}\n--- server ---\n${server.output()}`;
}

async function main(): Promise<void> {
  if (!existsSync(BACKEND)) {
    unavailable(t, `${BACKEND} missing: install the Debian package 'cups' (apt-get install --no-install-recommends cups)`);
    return;
  }
  if (!existsSync(NSENTER) || !canCreateNetns()) {
    unavailable(t, 'cannot create a private network namespace (unshare -n) or enter it (nsenter)');
    return;
  }
  if (!existsSync(serverMain())) {
    t.fail(`${serverMain()} is missing: run npx tsc -p tsconfig.json first`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'ippbridge-cups-snmp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const server = await startInNetns(dir);
  t.teardown(() => server.stop());

  t.test('the CUPS snmp backend discovers the printer with its make and model, device ID, location and ipp URI', async (t) => {
    const run = await runBackend(server.pid, await serverRoot(dir, 'public', 'public'));
    t.equal(run.code, 0, 'backend exits 0', { diagnostics: diagnostics(run, server) });
    const devices = parseDevices(run.stdout);
    t.same(
      devices,
      [{ deviceClass: 'network', uri: server.uri, makeAndModel: MAKE_AND_MODEL, info: DESCRIPTION, deviceId: DEVICE_ID, location: LOCATION }],
      'exactly one device line, with the ppmPortServiceNameOrURI.1.1 URI as device URI',
      { diagnostics: diagnostics(run, server) },
    );
  });

  t.test('the CUPS snmp backend finds nothing when its community is not one the agent accepts', async (t) => {
    const run = await runBackend(server.pid, await serverRoot(dir, 'private', 'private'));
    t.equal(run.code, 0, 'backend exits 0', { diagnostics: diagnostics(run, server) });
    t.same(parseDevices(run.stdout), [], 'no device line', { diagnostics: diagnostics(run, server) });
    t.match(run.stderr, /Sending get request to 127\.0\.0\.1/, 'the backend did query the agent');
  });
}

await main();
