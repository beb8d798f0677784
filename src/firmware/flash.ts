// `ippbridge flash`: installs a bundle into a disk image or a mounted root with the bundle's own install.sh, then
// writes host name, Wi-Fi and the first-boot settings. Never writes a default password.
// SPDX-License-Identifier: Apache-2.0
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadBoardConfig } from '../config.js';
import { ConfigError, FirmwareError } from '../errors.js';
import type { FlashOptions } from './flash-args.js';
import { mountImage, type MountedImage } from './image-mount.js';
import { LAYOUT } from './layout.js';
import { serviceDropIn } from './service-dropin.js';
import { applyWifi, writeFirstBoot, writeHostname } from './system-settings.js';

const run = promisify(execFile);

/** A stream `flash` reports progress on. */
export interface Output {
  write(text: string): unknown;
}

/** The manifest fields flash checks, read from inside the bundle. */
async function bundleInfo(bundle: string): Promise<{ version: string; arch: string }> {
  let text: string;
  try {
    ({ stdout: text } = await run('tar', ['-xzf', bundle, '--wildcards', '--no-anchored', '-O', '*/manifest.json'], { maxBuffer: 64 << 20 }));
  } catch (err) {
    throw new ConfigError(`${bundle} is not an ippbridge bundle (no manifest.json inside)`, { code: 'ERR_USAGE', cause: err });
  }
  const manifest = JSON.parse(text) as { version?: unknown; arch?: unknown };
  if (typeof manifest.version !== 'string' || typeof manifest.arch !== 'string') throw new ConfigError(`${bundle}: manifest.json lacks version or arch`);
  return { version: manifest.version, arch: manifest.arch };
}

async function readAdminPassword(file: string): Promise<string> {
  const text = (await readFile(file, 'utf8').catch((err: unknown) => {
    throw new ConfigError(`cannot read --admin-password-file ${file}: ${(err as Error).message}`, { code: 'ERR_USAGE', cause: err });
  })).replace(/\r?\n$/, '');
  if ([...text].length < 8 || /[\r\n]/.test(text)) throw new ConfigError(`--admin-password-file ${file} must hold one line of at least 8 characters`, { code: 'ERR_USAGE' });
  return text;
}

/** Run the bundle's install.sh with --root, its output passed through. */
async function runInstaller(bundle: string, root: string, board: string | undefined, out: Output): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ippbridge-installer-'));
  try {
    await run('tar', ['-xzf', bundle, '-C', work, '--wildcards', '--no-anchored', '*/firmware/install.sh']);
    const { stdout } = await run('find', [work, '-name', 'install.sh', '-path', '*/firmware/*']);
    const script = stdout.trim().split('\n')[0] ?? '';
    const args = [script, '--root', root, '--bundle', bundle, ...(board === undefined ? [] : ['--board', board])];
    const child = spawn('sh', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, IPPBRIDGE_NODE: process.execPath } });
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => out.write(chunk.toString()));
    const code = await new Promise<number | null>((resolveExit, reject) => child.on('error', reject).on('close', resolveExit));
    if (code !== 0) throw new ConfigError(`install.sh failed with exit code ${String(code)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Install into the mounted root `root`: bundle, service, host name, Wi-Fi, first-boot settings. */
export async function flashRoot(root: string, options: FlashOptions, out: Output): Promise<void> {
  const rootStat = await stat(join(root, 'etc')).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new ConfigError(`${root} does not look like a system root (no etc/)`, { code: 'ERR_USAGE' });
  const bundle = resolve(options.bundle);
  const info = await bundleInfo(bundle);
  const board = options.board === undefined ? undefined : resolve(options.board);
  // Validate the board and its arch before touching the target.
  if (board !== undefined) serviceDropIn(await loadBoardConfig(board), board, info.arch);
  const adminPassword = options.adminPasswordFile === undefined ? undefined : await readAdminPassword(options.adminPasswordFile);
  out.write(`flash: ippbridge ${info.version} (${info.arch}) -> ${root}\n`);
  await runInstaller(bundle, root, board, out);
  if (options.hostname !== undefined) {
    await writeHostname(root, options.hostname);
    out.write(`flash: host name ${options.hostname}\n`);
  }
  const applied = options.wifi === undefined ? [] : await applyWifi(root, options.wifi);
  for (const path of applied) out.write(`flash: wifi ${path}\n`);
  const file = await writeFirstBoot(root, {
    version: 1,
    created: new Date().toISOString(),
    hostname: options.hostname,
    board: LAYOUT.boardFile,
    ...(adminPassword === undefined ? {} : { 'admin-password': adminPassword }),
    wifi: options.wifi === undefined ? undefined : { country: options.wifi.country, ssid: options.wifi.ssid, applied },
  });
  out.write(`flash: first-boot settings ${file.slice(root.length)}${adminPassword === undefined ? ' (no admin password given: the first start generates one and prints it once in the journal)' : ''}\n`);
}

/** `ippbridge flash`: exit code 0 on success, 2 for bad input, 1 when writing failed. */
export async function runFlash(options: FlashOptions, out: Output): Promise<number> {
  let mounted: MountedImage | undefined;
  try {
    if (options.target.kind === 'image') {
      mounted = await mountImage(resolve(options.target.image));
      out.write(`flash: mounted ${options.target.image} at ${mounted.root}\n`);
    }
    await flashRoot(mounted?.root ?? resolve(options.target.kind === 'root' ? options.target.root : ''), options, out);
    out.write('flash: done\n');
    return 0;
  } catch (err) {
    if (!(err instanceof FirmwareError)) throw err;
    const where = err instanceof ConfigError && err.file ? `${err.file}${err.pointer ? ` (${err.pointer})` : ''}: ` : '';
    process.stderr.write(`ippbridge flash: ${where}${err.message}\n`);
    return err.code === 'ERR_USAGE' || err.code === 'ERR_CONFIG' ? 2 : 1;
  } finally {
    await mounted?.unmount();
  }
}
