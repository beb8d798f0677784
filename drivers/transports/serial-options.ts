// Settings of a serial engine link, from `serial:///dev/ttyUSB0?baud=…&parity=…&data=…&stop=…&flow=…` and the
// engine options (the URI query wins).
// SPDX-License-Identifier: Apache-2.0
import { localPath, UriOptions } from './uri-options.js';

export type SerialParity = 'none' | 'even' | 'odd';
export type SerialFlow = 'none' | 'rtscts' | 'xonxoff';

/** Line settings of one serial port. */
export interface SerialSettings {
  readonly path: string;
  readonly baudRate: number;
  readonly parity: SerialParity;
  readonly dataBits: 7 | 8;
  readonly stopBits: 1 | 2;
  readonly flow: SerialFlow;
  /** write stall limit in ms (0: wait as long as the engine holds the line, e.g. paper out under RTS/CTS) */
  readonly writeTimeoutMs: number;
  /** how long read() waits for a reply when the caller gives no signal */
  readonly readTimeoutMs: number;
}

/** Query keys a serial URI accepts. */
export const SERIAL_KEYS = ['baud', 'parity', 'data', 'stop', 'flow', 'timeout', 'read-timeout'] as const;

/** Baud rate when none is given. */
export const DEFAULT_BAUD = 115200;

/** Parse and validate; every bad value is a ConfigError naming the key. */
export function serialSettings(uri: URL, options: Readonly<Record<string, unknown>>): SerialSettings {
  const opts = new UriOptions(uri, options, SERIAL_KEYS);
  return {
    path: localPath(uri),
    baudRate: opts.integer('baud', 50, 16_000_000, DEFAULT_BAUD),
    parity: opts.choice('parity', ['none', 'even', 'odd'] as const, 'none'),
    dataBits: opts.choice('data', [7, 8] as const, 8),
    stopBits: opts.choice('stop', [1, 2] as const, 1),
    flow: opts.choice('flow', ['none', 'rtscts', 'xonxoff'] as const, 'none'),
    writeTimeoutMs: opts.seconds('timeout', 86_400, 0),
    readTimeoutMs: opts.seconds('read-timeout', 600, 2000),
  };
}

/** Bytes per write: about 1/20 s of the line rate (8N1 = 10 bits per byte), at least 64. */
export function serialChunk(baudRate: number): number {
  return Math.max(64, Math.round(baudRate / 10 / 20));
}
