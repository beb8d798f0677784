// `ippbridge update BUNDLE`, `ippbridge rollback` and `ippbridge keygen`: the command-line side of signed A/B updates.
// On a board (no --root) the service is restarted with systemctl and probed with `ippbridge health`'s check.
// SPDX-License-Identifier: Apache-2.0
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ConfigError, FirmwareError } from '../errors.js';
import type { BoardArch } from './board-hardware.js';
import { waitHealthy } from './health.js';
import { LAYOUT, inactiveSlot } from './layout.js';
import { writeSigningKeyPair } from './signing.js';
import { applyUpdate, rollBack, type ServiceControl } from './update.js';
import { activeSlot } from './update-slots.js';

const run = promisify(execFile);

export const UPDATE_USAGE = `Usage: ippbridge update BUNDLE.tar.gz [--root DIR] [--public-key FILE] [--port N] [--timeout S]
       ippbridge rollback [--root DIR]
       ippbridge keygen --out DIR

update    verifies the bundle's Ed25519 signature (against /etc/ippbridge/update.pub, or --public-key) and every
          file's sha256, unpacks it into the inactive slot of /opt/ippbridge, switches /opt/ippbridge/current,
          restarts ippbridge.service and waits up to --timeout seconds (default 90) for it to answer IPP on
          127.0.0.1 (port: the board drop-in's IPPBRIDGE_IPP_PORT, or --port); if it does not, switches back and
          restarts the previous version (exit code 3). With --root DIR it installs into DIR and restarts nothing.
rollback  switches back to the other slot and restarts the service.
keygen    writes DIR/update.key (secret; for npm run firmware -- --sign-key) and DIR/update.pub.
`;

const SERVICE = 'ippbridge.service';

/** Node's arch as a bundle arch. */
export function hostBundleArch(arch: string = process.arch): BoardArch | undefined {
  return arch === 'x64' || arch === 'arm64' ? arch : arch === 'arm' ? 'armv7' : undefined;
}

/** systemctl restart of the unit; waits for READY=1 (Type=notify), so the old version no longer answers after it. */
export const systemdService: ServiceControl = {
  async restart(): Promise<void> {
    await run('systemctl', ['restart', SERVICE]);
  },
};

/** The IPP port the board's drop-in gives the service (631 without one). */
async function servicePort(root: string): Promise<number> {
  const text = await readFile(join(root, LAYOUT.dropInFile), 'utf8').catch(() => '');
  const match = /^Environment=IPPBRIDGE_IPP_PORT=(\d+)\s*$/m.exec(text);
  return match?.[1] === undefined ? 631 : Number(match[1]);
}

function usage(message: string): ConfigError {
  return new ConfigError(message, { code: 'ERR_USAGE' });
}

async function update(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { root: { type: 'string' }, 'public-key': { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string' } },
  });
  if (positionals.length !== 1 || positionals[0] === undefined) throw usage('update needs exactly one BUNDLE.tar.gz');
  const onBoard = values.root === undefined;
  const root = resolve(values.root ?? '/');
  const port = values.port === undefined ? await servicePort(root) : Number(values.port);
  const timeout = Number(values.timeout ?? '90');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage('--port must be 1..65535');
  if (!(timeout > 0)) throw usage('--timeout must be a positive number of seconds');
  const outcome = await applyUpdate({
    root,
    bundle: resolve(positionals[0]),
    ...(values['public-key'] === undefined ? {} : { publicKey: resolve(values['public-key']) }),
    hostArch: onBoard ? hostBundleArch() : undefined,
    service: onBoard ? systemdService : undefined,
    waitHealthy: () => waitHealthy({ host: '127.0.0.1', port, timeoutMs: 3000 }, timeout * 1000),
    settleMs: 5000,
    progress: (line) => out.write(`update: ${line}\n`),
  });
  switch (outcome.kind) {
    case 'switched':
      out.write(`update: ippbridge ${outcome.version} runs from slot ${outcome.slot}\n`);
      return 0;
    case 'installed':
      out.write(`update: ippbridge ${outcome.version} installed in slot ${outcome.slot}; nothing restarted (--root)\n`);
      return 0;
    case 'rolled-back':
      out.write(`update: rolled back to slot ${outcome.slot}; ${outcome.version} stays in slot ${outcome.failed} for inspection\n`);
      return 3;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

async function rollback(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { root: { type: 'string' } } });
  const root = resolve(values.root ?? '/');
  const active = await activeSlot(root);
  if (active === undefined) throw new ConfigError(`nothing is installed under ${join(root, LAYOUT.installDir)}`);
  const other = inactiveSlot(active);
  const manifest = await readFile(join(root, LAYOUT.installDir, other, 'manifest.json'), 'utf8').catch(() => undefined);
  if (manifest === undefined) throw new ConfigError(`slot ${other} holds no bundle to roll back to`);
  await rollBack(root, other, values.root === undefined ? systemdService : undefined);
  out.write(`rollback: current -> ${other}\n`);
  return 0;
}

async function keygen(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { out: { type: 'string' } } });
  if (values.out === undefined) throw usage('keygen needs --out DIR');
  const made = await writeSigningKeyPair(resolve(values.out));
  out.write(`keygen: ${made.privateFile} (secret) and ${made.publicFile}, fingerprint ${made.fingerprint}\n`);
  return 0;
}

/** Run `ippbridge update|rollback|keygen ARGS`; returns the exit code (2 usage, 1 refused or failed, 3 rolled back). */
export async function runUpdateCommand(command: 'update' | 'rollback' | 'keygen', argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(UPDATE_USAGE);
    return 0;
  }
  try {
    if (command === 'update') return await update(argv, out);
    if (command === 'rollback') return await rollback(argv, out);
    return await keygen(argv, out);
  } catch (e) {
    if (e instanceof FirmwareError) {
      err.write(`ippbridge ${command}: ${e.message}\n`);
      return e.code === 'ERR_USAGE' ? 2 : 1;
    }
    if ((e as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      err.write(`ippbridge ${command}: ${(e as Error).message}\n${UPDATE_USAGE}`);
      return 2;
    }
    throw e;
  }
}
