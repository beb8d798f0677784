// Command-line parsing for `ippbridge serve` (usage text, flags, defaults).
// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';
import type { LevelWithSilent } from 'pino';
import { parseCommandArgs, usageError } from './cli-args.js';
import { isLogLevel } from './log.js';
import { parseFlashArgs, type FlashOptions } from './firmware/flash-args.js';
import { SECURITY_MODES, isSecurityMode, type SecurityMode } from './security/policy.js';

export const USAGE = `Usage: ippbridge serve [options]
       ippbridge devices [--json]
       ippbridge cert csr|install|show [options]   (see ippbridge cert --help)
       ippbridge user add NAME [--admin] | passwd NAME | del NAME | list   [--state-dir DIR]
       ippbridge flash (--image FILE.img | --root DIR) --bundle FILE.tar.gz [--board FILE] [--hostname H]
                       [--wifi-country CC [--wifi-ssid S --wifi-psk P]] [--admin-password-file F]
       ippbridge update BUNDLE.tar.gz [--root DIR] [--public-key FILE] [--port N] [--timeout S]
       ippbridge rollback [--root DIR] | ippbridge keygen --out DIR   (see ippbridge update --help)
       ippbridge health [--port N] [--host ADDR] [--timeout S]
       ippbridge --help | --version

Runs an IPP Everywhere printer for the print engine described by a board config.

Options:
  --board FILE       board config (default: board-configs/virtual.json, the built-in virtual engine)
  --listen ADDR      address to listen on (default: all addresses, :: and 0.0.0.0)
  --port N           TCP port for ipp:// and http:// (default: 8631)
  --state-dir DIR    where jobs, spool, identity and engine state live (default: ./var)
  --name NAME        printer name and DNS-SD instance name (default: the board config's name)
  --engine URI       engine link, overriding the board config's (usb://MAKE/MODEL?serial=SN, usb:///?vid=V&pid=P,
                     serial:///dev/ttyUSB0?baud=115200, socket://HOST:9100, file:///PATH)
  --driver NAME      engine language, overriding the board config's: pcl, escpos, zpl, virtual, or auto
                     (chosen from the device's IEEE 1284 ID)
  --security MODE    open (ipp and ipps), tls-required (plaintext IPP gets 426, pages redirect to https) or
                     tls-only (only ipps advertised); default: the board config's security.mode, else open
  --no-dnssd         do not advertise with DNS-SD (multicast DNS)
  --snmp-port N      UDP port of the SNMP agent (default: 8161; 161 on a board)
  --no-snmp          do not run the SNMP agent
  --log-level L      fatal, error, warn, info, debug, trace or silent (default: info)
  -h, --help         print this help and exit
  -v, --version      print the version and exit

'ippbridge devices' lists the engines attached to this machine (USB printers with their IEEE 1284 IDs and the
driver that suits them, serial ports, /dev/usb/lp*); --json prints them as JSON.

'ippbridge flash' puts a firmware bundle (npm run firmware) on a Raspberry Pi OS or Debian system: a disk image it
loop-mounts (needs root), or the root of a mounted one. It installs the service, enables it, and writes the
first-boot settings: host name, board config, admin password (none given: one is generated and printed at the first
start) and Wi-Fi.
`;

/** Everything `serve` needs from the command line. */
export interface ServeOptions {
  readonly board: string | undefined;
  readonly listen: string | undefined;
  readonly port: number;
  readonly stateDir: string;
  readonly name: string | undefined;
  /** engine URI overriding the board config's */
  readonly engine: string | undefined;
  /** engine driver overriding the board config's */
  readonly driver: string | undefined;
  /** security mode overriding the board config's */
  readonly security: SecurityMode | undefined;
  readonly dnssd: boolean;
  /** UDP port of the SNMP agent, or undefined when it is off */
  readonly snmpPort: number | undefined;
  readonly logLevel: LevelWithSilent;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'devices'; readonly json: boolean }
  | { readonly kind: 'flash'; readonly options: FlashOptions }
  | { readonly kind: 'serve'; readonly options: ServeOptions };

function parsePort(flag: string, text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`${flag} must be 0..65535, not '${text}'`);
  return port;
}

function parseSecurityFlag(text: string | undefined): SecurityMode | undefined {
  if (text === undefined || isSecurityMode(text)) return text;
  throw usageError(`--security must be one of ${SECURITY_MODES.join(', ')}, not '${text}'`);
}

/** Parse argv (without node and script); throws ConfigError (ERR_USAGE) naming the bad flag. */
export function parseCommandLine(argv: readonly string[]): Command {
  if (argv[0] === 'flash') return { kind: 'flash', options: parseFlashArgs(argv.slice(1)) };
  const parsed = parseCommandArgs(argv, {
    board: { type: 'string' },
    listen: { type: 'string' },
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    name: { type: 'string' },
    engine: { type: 'string' },
    driver: { type: 'string' },
    json: { type: 'boolean' },
    security: { type: 'string' },
    'no-dnssd': { type: 'boolean' },
    'snmp-port': { type: 'string' },
    'no-snmp': { type: 'boolean' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (positionals.length === 0) throw usageError("missing command: use 'ippbridge serve' (see --help)");
  if (positionals[0] === 'devices' && positionals.length === 1) return { kind: 'devices', json: values.json === true };
  if (values.json) throw usageError('--json belongs to the devices command');
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
  if (values.engine !== undefined && !URL.canParse(values.engine)) throw usageError(`--engine must be a URI, not '${values.engine}'`);
  if (values.driver !== undefined && !/^[a-z][a-z0-9-]*$/.test(values.driver)) throw usageError(`--driver must be a driver name, not '${values.driver}'`);
  return {
    kind: 'serve',
    options: {
      board: values.board,
      listen: values.listen,
      port,
      stateDir: values['state-dir'] ?? './var',
      name: values.name,
      engine: values.engine,
      driver: values.driver,
      security: parseSecurityFlag(values.security),
      dnssd: !values['no-dnssd'],
      snmpPort: values['no-snmp'] ? undefined : snmpPort,
      logLevel,
    },
  };
}
