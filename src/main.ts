#!/usr/bin/env node
// CLI entry: parse flags, start the System, print the printer URI, stop cleanly on SIGTERM/SIGINT.
// SPDX-License-Identifier: Apache-2.0
import { startDecoderThread } from './raster/decoder-thread.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, FirmwareError } from './errors.js';
import { parseCommandLine, USAGE } from './cli.js';
import { createRootLogger, flushLogger } from './log.js';
import { System } from './system.js';
import { runCertCommand } from './security/cert-cli.js';
import { provisionFirstAdmin, runUserCommand } from './security/user-cli.js';
import { formatListing, listAttached } from './devices.js';
import { SystemdNotifier } from './sd-notify.js';
import { runFlash } from './firmware/flash.js';
import { runHealthCommand } from './firmware/health.js';
import { runFirstBoot } from './firmware/first-boot.js';
import { startBoardIo, statusInfoOf } from './firmware/gpio-board.js';
import { FACTORY_RESET_EXIT_CODE, factoryReset } from './firmware/factory-reset.js';
import { runUpdateCommand } from './firmware/update-cli.js';

/** `ippbridge devices` gives up on a transport that does not answer within this. */
const DEVICES_TIMEOUT_MS = 10_000;

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && typeof (pkg as { version?: unknown }).version === 'string'
    ? (pkg as { version: string }).version
    : '0.0.0';
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'cert') return runCertCommand(argv.slice(1), process.stdout, process.stderr);
  if (argv[0] === 'user') return runUserCommand(argv.slice(1), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  if (argv[0] === 'update' || argv[0] === 'rollback' || argv[0] === 'keygen') return runUpdateCommand(argv[0], argv.slice(1), process.stdout, process.stderr);
  if (argv[0] === 'health') return runHealthCommand(argv.slice(1), process.stdout, process.stderr);
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`ippbridge: ${(err as Error).message}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (command.kind === 'flash') return runFlash(command.options, process.stdout);
  if (command.kind === 'devices') {
    const devices = await listAttached(createRootLogger('warn'), AbortSignal.timeout(DEVICES_TIMEOUT_MS));
    process.stdout.write(command.json ? `${JSON.stringify(devices, null, 2)}\n` : formatListing(devices));
    return 0;
  }
  const log = createRootLogger(command.options.logLevel);
  let system: System;
  try {
    // First boot of a flashed board: identity, TLS key, SNMP engineID, firstboot.json's admin password (then deleted).
    await runFirstBoot(resolve(command.options.stateDir), log.child({ mod: 'first-boot' }));
    // No default password: the first administrator's generated password goes to stdout once, never to the log.
    await provisionFirstAdmin(resolve(command.options.stateDir), process.stdout);
    system = await System.start(command.options, packageVersion(), log);
    // Raster is decoded on its own thread; start it now so the first job does not wait for it.
    startDecoderThread();
  } catch (err) {
    if (err instanceof ConfigError) {
      const where = err.file ? `${err.file}${err.pointer ? ` (${err.pointer})` : ''}: ` : '';
      process.stderr.write(`ippbridge: ${where}${err.message}\n`);
      flushLogger(log);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      process.stderr.write(`ippbridge: cannot listen: ${(err as Error).message}\n`);
      return 2;
    }
    log.fatal({ err }, 'start-up failed');
    flushLogger(log);
    process.stderr.write(`ippbridge: ${err instanceof FirmwareError ? err.message : String(err)}\n`);
    return 1;
  }
  const shown = command.options.listen && command.options.listen !== '::' && command.options.listen !== '0.0.0.0' ? command.options.listen : 'localhost';
  const host = shown.includes(':') ? `[${shown}]` : shown;
  process.stdout.write(`ippbridge ready: ipp://${host}:${system.port}/ipp/print\n`);
  process.stdout.write(`ippbridge tls: ipps://${host}:${system.port}/ipp/print\n`);
  if (system.snmpPort !== undefined) process.stdout.write(`ippbridge snmp: udp port ${system.snmpPort}\n`);
  log.info({ port: system.port, snmpPort: system.snmpPort }, 'printer ready');
  const notifier = SystemdNotifier.fromEnv(process.env, log.child({ mod: 'systemd' }));
  notifier?.ready(`printing to ipp://${host}:${system.port}/ipp/print`);
  // Status LED and button (board config status-led / button): a long press asks for a factory reset.
  const boardIo = await startBoardIo(system.printer, () => statusInfoOf(system.printer, system.port, packageVersion()), log.child({ mod: 'gpio' }));
  let isResetRequested = false;
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      notifier?.stopping();
      resolveStop();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    boardIo?.once('factory-reset', () => {
      isResetRequested = true;
      stop('factory-reset');
    });
  });
  const forced = setTimeout(() => process.exit(1), 10_000);
  forced.unref();
  await boardIo?.close();
  await system.stop();
  // After a factory reset the non-zero exit makes systemd (Restart=on-failure) start a fresh first boot.
  if (isResetRequested) await factoryReset(resolve(command.options.stateDir), log);
  await notifier?.close();
  flushLogger(log);
  return isResetRequested ? FACTORY_RESET_EXIT_CODE : 0;
}

process.on('uncaughtException', (err) => {
  process.stderr.write(`ippbridge: fatal: ${err.stack ?? String(err)}\n`);
  process.exit(70);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ippbridge: fatal: ${String(err)}\n`);
    process.exitCode = 70;
  },
);
