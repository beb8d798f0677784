// Command-line parsing for `ippbridge serve` (usage text, flags, defaults).
// SPDX-License-Identifier: Apache-2.0
import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import type { LevelWithSilent } from 'pino';
import { ConfigError } from './errors.js';
import { isLogLevel } from './log.js';

export const USAGE = `Usage: ippbridge serve [options]
       ippbridge --help | --version

Runs an IPP Everywhere printer for the print engine described by a board config.

Options:
  --board FILE       board config (default: board-configs/virtual.json, the built-in virtual engine)
  --listen ADDR      address to listen on (default: all addresses, :: and 0.0.0.0)
  --port N           TCP port for ipp:// and http:// (default: 8631)
  --state-dir DIR    where jobs, spool, identity and engine state live (default: ./var)
  --name NAME        printer name and DNS-SD instance name (default: the board config's name)
  --no-dnssd         do not advertise with DNS-SD (multicast DNS)
  --snmp-port N      UDP port of the SNMP agent (default: 8161; 161 on a board)
  --no-snmp          do not run the SNMP agent
  --log-level L      fatal, error, warn, info, debug, trace or silent (default: info)
  -h, --help         print this help and exit
  -v, --version      print the version and exit
`;

/** Everything `serve` needs from the command line. */
export interface ServeOptions {
  readonly board: string | undefined;
  readonly listen: string | undefined;
  readonly port: number;
  readonly stateDir: string;
  readonly name: string | undefined;
  readonly dnssd: boolean;
  /** UDP port of the SNMP agent, or undefined when it is off */
  readonly snmpPort: number | undefined;
  readonly logLevel: LevelWithSilent;
}

export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'serve'; readonly options: ServeOptions };

function usageError(message: string): ConfigError {
  return new ConfigError(message, { code: 'ERR_USAGE' });
}

function parsePort(flag: string, text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`${flag} must be 0..65535, not '${text}'`);
  return port;
}

/** Parse argv (without node and script); throws ConfigError (ERR_USAGE) naming the bad flag. */
export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        board: { type: 'string' },
        listen: { type: 'string' },
        port: { type: 'string' },
        'state-dir': { type: 'string' },
        name: { type: 'string' },
        'no-dnssd': { type: 'boolean' },
        'snmp-port': { type: 'string' },
        'no-snmp': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw usageError((err as Error).message.split('\n')[0] ?? 'bad command line');
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (positionals.length === 0) throw usageError("missing command: use 'ippbridge serve' (see --help)");
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    throw usageError(`unknown command '${positionals.join(' ')}' (see --help)`);
  }
  const port = parsePort('--port', values.port ?? '8631');
  const snmpPort = parsePort('--snmp-port', values['snmp-port'] ?? '8161');
  if (values['no-snmp'] && values['snmp-port'] !== undefined) throw usageError('--no-snmp and --snmp-port contradict each other');
  if (values.listen !== undefined && isIP(values.listen) === 0 && values.listen !== 'localhost') {
    throw usageError(`--listen must be an IP address, not '${values.listen}'`);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw usageError(`--log-level must be one of fatal, error, warn, info, debug, trace, silent`);
  if (values.name !== undefined && (values.name.trim() === '' || values.name.length > 63)) {
    throw usageError('--name must be 1 to 63 characters');
  }
  return {
    kind: 'serve',
    options: {
      board: values.board,
      listen: values.listen,
      port,
      stateDir: values['state-dir'] ?? './var',
      name: values.name,
      dnssd: !values['no-dnssd'],
      snmpPort: values['no-snmp'] ? undefined : snmpPort,
      logLevel,
    },
  };
}
