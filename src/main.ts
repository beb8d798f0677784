#!/usr/bin/env node
// CLI entry: parse flags, start the System, print the printer URI, stop cleanly on SIGTERM/SIGINT.
// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { ConfigError, FirmwareError } from './errors.js';
import { parseCommandLine, USAGE } from './cli.js';
import { createRootLogger, flushLogger } from './log.js';
import { System } from './system.js';

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && typeof (pkg as { version?: unknown }).version === 'string'
    ? (pkg as { version: string }).version
    : '0.0.0';
}

async function main(argv: readonly string[]): Promise<number> {
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
  const log = createRootLogger(command.options.logLevel);
  let system: System;
  try {
    system = await System.start(command.options, packageVersion(), log);
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
  if (system.snmpPort !== undefined) process.stdout.write(`ippbridge snmp: udp port ${system.snmpPort}\n`);
  log.info({ port: system.port, snmpPort: system.snmpPort }, 'printer ready');
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      resolveStop();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  const forced = setTimeout(() => process.exit(1), 10_000);
  forced.unref();
  await system.stop();
  flushLogger(log);
  return 0;
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
