// Signed A/B updates in a temporary root: a built bundle is installed, refused when badly signed or tampered, updated
// to a new version that serves, and rolled back from a version that crashes at start; the state dir survives.
// The "service" is the slot's own launcher (bin/ippbridge) run with the system node on 127.0.0.1, port 0.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildBundle, defaultCacheDir } from '../../src/firmware/bundle-build.js';
import { checkHealth, runHealthCommand, type HealthResult } from '../../src/firmware/health.js';
import { createServer } from 'node:http';
import { hashFiles, sha256Hex, sha256sums, type BundleManifest } from '../../src/firmware/manifest.js';
import { loadPrivateKey, SIGNATURE_FILE, signManifest, writeSigningKeyPair } from '../../src/firmware/signing.js';
import { applyUpdate, type ServiceControl, type UpdateOptions } from '../../src/firmware/update.js';
import { runUpdateCommand } from '../../src/firmware/update-cli.js';
import { PassThrough } from 'node:stream';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'ippbridge-update-'));
t.teardown(() => rm(work, { recursive: true, force: true }));

const trusted = await writeSigningKeyPair(join(work, 'keys-trusted'));
const other = await writeSigningKeyPair(join(work, 'keys-other'));
const built = await buildBundle({
  root: ROOT,
  arch: 'x64',
  outDir: join(work, 'out'),
  cacheDir: defaultCacheDir(ROOT),
  progress: () => undefined,
  noNode: true,
  signKey: trusted.privateFile,
});
const v1 = built.manifest.version;

/** A copy of the built bundle with `change` applied, re-manifested as `version` and signed by `key` (none: unsigned). */
async function variant(name: string, opts: { version: string; key?: string; change?: (dir: string) => Promise<void>; afterSign?: (dir: string) => Promise<void> }): Promise<string> {
  const parent = join(work, `variant-${name}`);
  await mkdir(parent, { recursive: true });
  await run('tar', ['-xzf', built.file, '-C', parent]);
  const [top] = await readdir(parent);
  const dir = join(parent, top ?? '');
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ ...pkg, version: opts.version }, null, 2)}\n`);
  await opts.change?.(dir);
  await rm(join(dir, SIGNATURE_FILE), { force: true });
  const manifest: BundleManifest = { ...built.manifest, version: opts.version, files: await hashFiles(dir) };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(dir, 'manifest.json'), text);
  await writeFile(join(dir, 'SHA256SUMS'), sha256sums(manifest.files, sha256Hex(text)));
  if (opts.key !== undefined) await writeFile(join(dir, SIGNATURE_FILE), signManifest(Buffer.from(text), await loadPrivateKey(opts.key)));
  await opts.afterSign?.(dir);
  const file = join(work, `${name}.tar.gz`);
  await run('tar', ['-czf', file, '-C', parent, top ?? '']);
  return file;
}

/** Runs root/opt/ippbridge/current/bin/ippbridge serve like systemd would, on a free port. */
class SlotService implements ServiceControl {
  readonly root: string;
  readonly stateDir: string;
  #child: ChildProcess | undefined;
  #port: number | undefined;
  #output = '';

  constructor(root: string) {
    this.root = root;
    this.stateDir = join(root, 'var/lib/ippbridge');
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    this.#port = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.#output = '';
    const launcher = join(this.root, 'opt/ippbridge/current/bin/ippbridge');
    const args = ['serve', '--listen', '127.0.0.1', '--port', '0', '--no-dnssd', '--no-snmp', '--state-dir', this.stateDir, '--log-level', 'warn'];
    const child = spawn('sh', [launcher, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const collect = (chunk: Buffer): void => {
      this.#output += chunk.toString();
      const ready = /ippbridge ready: ipp:\/\/127\.0\.0\.1:(\d+)\//.exec(this.#output);
      if (ready?.[1] !== undefined && this.#child === child) this.#port = Number(ready[1]);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
  }

  /** Healthy once it answers IPP; unhealthy as soon as the process has exited, or after 20 s. */
  async waitHealthy(): Promise<HealthResult> {
    const end = Date.now() + 20_000;
    for (;;) {
      const child = this.#child;
      if (child === undefined || child.exitCode !== null) {
        const error = this.#output.split('\n').find((l) => /Error/.test(l)) ?? this.#output.slice(-200);
        return { isHealthy: false, reason: `exited: ${error}` };
      }
      if (this.#port !== undefined) {
        const result = await checkHealth({ host: '127.0.0.1', port: this.#port, timeoutMs: 2000 });
        if (result.isHealthy || Date.now() > end) return result;
      } else if (Date.now() > end) return { isHealthy: false, reason: 'no ready line' };
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const root = join(work, 'root');
await mkdir(join(root, 'etc/ippbridge'), { recursive: true });
await cp(trusted.publicFile, join(root, 'etc/ippbridge/update.pub'));
const service = new SlotService(root);
t.teardown(() => service.stop());

function options(bundle: string): UpdateOptions {
  return { root, bundle, hostArch: undefined, service, waitHealthy: () => service.waitHealthy(), settleMs: 200, progress: () => undefined };
}

async function installed(): Promise<{ current: string | undefined; slots: string[]; pending: boolean }> {
  const entries = await readdir(join(root, 'opt/ippbridge')).catch(() => [] as string[]);
  return {
    current: await readlink(join(root, 'opt/ippbridge/current')).catch(() => undefined),
    slots: entries.filter((e) => e === 'a' || e === 'b').sort(),
    pending: entries.includes('pending'),
  };
}

async function currentVersion(): Promise<string> {
  const { stdout } = await run('sh', [join(root, 'opt/ippbridge/current/bin/ippbridge'), '--version']);
  return stdout.trim();
}

async function uuid(): Promise<string> {
  return (JSON.parse(await readFile(join(service.stateDir, 'printer.json'), 'utf8')) as { uuid: string }).uuid;
}

let firstUuid = '';

t.test('a first install into an empty root fills slot a, switches current and serves', async (t) => {
  const outcome = await applyUpdate(options(built.file));
  t.match(outcome, { kind: 'switched', slot: 'a', version: v1, previous: undefined });
  t.same(await installed(), { current: 'a', slots: ['a'], pending: false });
  t.equal(await currentVersion(), v1);
  t.ok((await service.waitHealthy()).isHealthy, 'the printer answers Get-Printer-Attributes');
  firstUuid = await uuid();
  await writeFile(join(service.stateDir, 'survivor.txt'), 'kept\n');
});

t.test('an update signed by a key the board does not trust is refused and nothing changes', async (t) => {
  const before = await installed();
  const bundle = await variant('other-key', { version: '9.9.9', key: other.privateFile });
  await t.rejects(applyUpdate(options(bundle)), { code: 'ERR_CONFIG', message: /signed by key/ });
  t.same(await installed(), before);
});

t.test('an unsigned bundle is refused', async (t) => {
  const before = await installed();
  const bundle = await variant('unsigned', { version: '9.9.9' });
  await t.rejects(applyUpdate(options(bundle)), { message: /not signed/ });
  t.same(await installed(), before);
});

t.test('a bundle whose file was changed after signing is refused and nothing changes', async (t) => {
  const before = await installed();
  const bundle = await variant('tampered', {
    version: '9.9.9',
    key: trusted.privateFile,
    afterSign: (dir) => writeFile(join(dir, 'dist/src/main.js'), 'console.log("evil")\n'),
  });
  await t.rejects(applyUpdate(options(bundle)), { message: /dist\/src\/main\.js does not match its sha256/ });
  t.same(await installed(), before);
});

t.test('a file the manifest does not list is refused', async (t) => {
  const bundle = await variant('extra', { version: '9.9.9', key: trusted.privateFile, afterSign: (dir) => writeFile(join(dir, 'dist/extra.js'), '1\n') });
  await t.rejects(applyUpdate(options(bundle)), { message: /does not list: dist\/extra\.js/ });
});

t.test('a good update switches to slot b, the new version serves and the state survives', async (t) => {
  const bundle = await variant('good', { version: '0.2.0-test', key: trusted.privateFile });
  const outcome = await applyUpdate(options(bundle));
  t.match(outcome, { kind: 'switched', slot: 'b', version: '0.2.0-test', previous: 'a' });
  t.same(await installed(), { current: 'b', slots: ['a', 'b'], pending: false });
  t.equal(await currentVersion(), '0.2.0-test');
  t.ok((await service.waitHealthy()).isHealthy);
  t.equal(await uuid(), firstUuid, 'printer-uuid kept');
  t.equal(await readFile(join(service.stateDir, 'survivor.txt'), 'utf8'), 'kept\n');
});

t.test('an update whose main.js throws at start rolls back and the previous version serves again', async (t) => {
  const lines: string[] = [];
  const bundle = await variant('broken', {
    version: '0.3.0-broken',
    key: trusted.privateFile,
    change: async (dir) => {
      const main = join(dir, 'dist/src/main.js');
      // After the shebang line: the module loads and throws at start.
      const [shebang, ...rest] = (await readFile(main, 'utf8')).split('\n');
      await writeFile(main, [shebang, "throw new Error('broken on purpose');", ...rest].join('\n'));
    },
  });
  const outcome = await applyUpdate({ ...options(bundle), progress: (line) => lines.push(line) });
  t.match(outcome, { kind: 'rolled-back', slot: 'b', failed: 'a', version: '0.3.0-broken', reason: /broken on purpose/ });
  t.same(await installed(), { current: 'b', slots: ['a', 'b'], pending: false });
  t.equal(await currentVersion(), '0.2.0-test');
  t.ok((await service.waitHealthy()).isHealthy, 'the previous version answers again');
  t.ok(lines.some((l) => l.includes('serves again')), lines.join('\n'));
  t.equal(await uuid(), firstUuid);
  t.equal(await readFile(join(service.stateDir, 'survivor.txt'), 'utf8'), 'kept\n');
});

t.test('rollback.sh switches back only while an update is pending', async (t) => {
  await service.stop();
  const script = join(root, 'opt/ippbridge/b/firmware/rollback.sh');
  const idle = await run('sh', [script, '--root', root]);
  t.match(idle.stdout, /nothing to do/);
  t.equal((await installed()).current, 'b');
  await writeFile(join(root, 'opt/ippbridge/pending'), 'a\n');
  const acted = await run('sh', [script, '--root', root]);
  t.match(acted.stdout, /current -> a/);
  t.same(await installed(), { current: 'a', slots: ['a', 'b'], pending: false });
});

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

t.test('ippbridge update --root installs into the other slot, restarts nothing and leaves the rollback armed', async (t) => {
  const bundle = await variant('cli', { version: '0.4.0-cli', key: trusted.privateFile });
  const out = capture();
  const err = capture();
  t.equal(await runUpdateCommand('update', [bundle, '--root', root], out.stream, err.stream), 0, err.text());
  t.match(out.text(), /0\.4\.0-cli installed in slot b; nothing restarted/);
  t.same(await installed(), { current: 'b', slots: ['a', 'b'], pending: true });
  t.equal(await currentVersion(), '0.4.0-cli');
});

t.test('ippbridge update exits 1 with the reason for a refused bundle and 2 for a bad command line', async (t) => {
  const bundle = await variant('cli-bad', { version: '9.9.9', key: other.privateFile });
  const err = capture();
  t.equal(await runUpdateCommand('update', [bundle, '--root', root], capture().stream, err.stream), 1);
  t.match(err.text(), /ippbridge update: the bundle is signed by key/);
  t.equal(await runUpdateCommand('update', ['--root', root], capture().stream, capture().stream), 2, 'no bundle');
  t.equal(await runUpdateCommand('update', [bundle, '--bogus'], capture().stream, capture().stream), 2, 'unknown option');
});

t.test('the health check calls a closed port or a non-IPP answer unhealthy', async (t) => {
  const server = createServer((_req, res) => res.end('<html>not ipp</html>'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  t.match(await checkHealth({ host: '127.0.0.1', port, timeoutMs: 2000 }), { isHealthy: false, reason: /not an IPP response/ });
  server.close();
  await once(server, 'close');
  const err = capture();
  t.equal(await runHealthCommand(['--port', String(port), '--timeout', '1'], capture().stream, err.stream), 1);
  t.match(err.text(), /unhealthy: no answer on 127\.0\.0\.1/);
});
