// Command line of `ippbridge flash`: target (a disk image or a mounted root), bundle, board and first-boot settings.
// SPDX-License-Identifier: Apache-2.0
import { parseArgs } from 'node:util';
import { usageError } from '../cli-args.js';

/** Where `flash` writes: a disk image it loop-mounts, or the root directory of an already mounted system. */
export type FlashTarget = { readonly kind: 'image'; readonly image: string } | { readonly kind: 'root'; readonly root: string };

/** Wi-Fi settings for the first boot. */
export interface WifiSettings {
  /** ISO 3166-1 alpha-2 regulatory country, upper case */
  readonly country: string;
  readonly ssid: string | undefined;
  readonly psk: string | undefined;
}

/** Everything `ippbridge flash` needs. */
export interface FlashOptions {
  readonly target: FlashTarget;
  readonly bundle: string;
  /** board config file; default: the bundle's board-configs/virtual.json */
  readonly board: string | undefined;
  readonly hostname: string | undefined;
  readonly wifi: WifiSettings | undefined;
  readonly adminPasswordFile: string | undefined;
}

/** RFC 1123 host name label rules for a single-label host name. */
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function parseWifi(country: string | undefined, ssid: string | undefined, psk: string | undefined): WifiSettings | undefined {
  if (country === undefined) {
    if (ssid !== undefined || psk !== undefined) throw usageError('--wifi-ssid and --wifi-psk need --wifi-country CC');
    return undefined;
  }
  if (!/^[A-Za-z]{2}$/.test(country)) throw usageError(`--wifi-country must be a two-letter country code such as DE or US, not '${country}'`);
  if ((ssid === undefined) !== (psk === undefined)) throw usageError('--wifi-ssid and --wifi-psk go together');
  if (ssid !== undefined && (ssid.length === 0 || Buffer.byteLength(ssid, 'utf8') > 32)) throw usageError('--wifi-ssid must have 1 to 32 octets');
  // WPA2-Personal pass phrase: 8-63 printable ASCII characters (IEEE 802.11i H.4.1), or 64 hex digits.
  if (psk !== undefined && !/^[\x20-\x7e]{8,63}$/.test(psk) && !/^[0-9a-fA-F]{64}$/.test(psk)) {
    throw usageError('--wifi-psk must be 8 to 63 printable ASCII characters or 64 hex digits');
  }
  return { country: country.toUpperCase(), ssid, psk };
}

/** Parse the arguments after `flash`; throws ConfigError (ERR_USAGE) naming the bad flag. */
export function parseFlashArgs(argv: readonly string[]): FlashOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        image: { type: 'string' },
        root: { type: 'string' },
        bundle: { type: 'string' },
        board: { type: 'string' },
        hostname: { type: 'string' },
        'wifi-country': { type: 'string' },
        'wifi-ssid': { type: 'string' },
        'wifi-psk': { type: 'string' },
        'admin-password-file': { type: 'string' },
      },
    }));
  } catch (err) {
    throw usageError(`flash: ${(err as Error).message.split('\n')[0] ?? 'bad command line'}`);
  }
  if ((values.image === undefined) === (values.root === undefined)) throw usageError('flash needs exactly one of --image FILE.img or --root DIR');
  if (values.bundle === undefined) throw usageError('flash needs --bundle ippbridge-<version>-linux-<arch>.tar.gz (built with npm run firmware)');
  if (values.hostname !== undefined && !HOSTNAME.test(values.hostname)) {
    throw usageError(`--hostname must be 1-63 letters, digits and inner hyphens, not '${values.hostname}'`);
  }
  return {
    target: values.image !== undefined ? { kind: 'image', image: values.image } : { kind: 'root', root: values.root ?? '' },
    bundle: values.bundle,
    board: values.board,
    hostname: values.hostname,
    wifi: parseWifi(values['wifi-country'], values['wifi-ssid'], values['wifi-psk']),
    adminPasswordFile: values['admin-password-file'],
  };
}
