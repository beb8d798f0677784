// The board config's `board` section: CPU arch, memory budget, ports, status LED and button lines, DNS-SD name
// pattern (board-configs/README.md, "Board section"). Pure validation; throws ConfigError naming file and field.
// SPDX-License-Identifier: Apache-2.0
import { ConfigError } from '../errors.js';

/** CPU architectures a bundle is built for (Node's `process.arch` names, armv7 for 32-bit ARM). */
export const BOARD_ARCHES = ['arm64', 'armv7', 'x64'] as const;
export type BoardArch = (typeof BOARD_ARCHES)[number];

/** One GPIO line on a GPIO character device (`/dev/gpiochipN`). */
export interface GpioLine {
  /** chip device name (`gpiochip0`) or label (`pinctrl-bcm2711`), as `gpiodetect` prints them */
  readonly chip: string;
  /** line offset on that chip */
  readonly line: number;
  readonly activeLow: boolean;
}

/** The hardware a board config describes. */
export interface BoardHardware {
  readonly model: string;
  readonly arch: BoardArch;
  /** memory the ippbridge service may use (systemd MemoryMax), in MiB */
  readonly memoryBudgetMb: number;
  /** V8 old-space cap derived from the budget (`--max-old-space-size`), in MiB */
  readonly heapMb: number;
  readonly ports: { readonly ipp: number; readonly snmp: number };
  readonly statusLed: GpioLine | undefined;
  readonly button: GpioLine | undefined;
  /** DNS-SD instance name pattern; placeholders {serial4}, {serial}, {hostname} */
  readonly dnssdName: string;
}

/** Smallest memory budget a board may give the service. */
export const MIN_MEMORY_BUDGET_MB = 96;

/** Placeholders a DNS-SD name pattern may use. */
export const NAME_PLACEHOLDERS = ['serial4', 'serial', 'hostname'] as const;

const KEYS = new Set(['model', 'arch', 'memory-budget-mb', 'ports', 'status-led', 'button', 'dnssd-name']);
const PORT_KEYS = new Set(['ipp', 'snmp']);
const GPIO_KEYS = new Set(['chip', 'line', 'active-low']);

/** The V8 heap cap for a memory budget: two thirds of it, the rest is code, buffers and native memory. */
export function heapCapMb(memoryBudgetMb: number): number {
  return Math.floor((memoryBudgetMb * 2) / 3);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(file: string, pointer: string, expected: string): never {
  throw new ConfigError(`${pointer} must be ${expected}`, { file, pointer });
}

function checkKeys(obj: Record<string, unknown>, allowed: Set<string>, file: string, pointer: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      throw new ConfigError(`unknown field ${pointer}/${key} (expected one of ${[...allowed].join(', ')})`, { file, pointer: `${pointer}/${key}` });
    }
  }
}

function integer(v: unknown, min: number, max: number, file: string, pointer: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(file, pointer, `an integer ${min}..${max}`);
  return v;
}

function parsePorts(v: unknown, file: string): BoardHardware['ports'] {
  if (v === undefined) return { ipp: 631, snmp: 161 };
  if (!isRecord(v)) fail(file, '/board/ports', 'an object like {"ipp": 631, "snmp": 161}');
  checkKeys(v, PORT_KEYS, file, '/board/ports');
  return {
    ipp: integer(v['ipp'] ?? 631, 1, 65535, file, '/board/ports/ipp'),
    snmp: integer(v['snmp'] ?? 161, 1, 65535, file, '/board/ports/snmp'),
  };
}

function parseGpio(v: unknown, file: string, pointer: string): GpioLine | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) fail(file, pointer, 'null or an object like {"chip": "gpiochip0", "line": 17}');
  checkKeys(v, GPIO_KEYS, file, pointer);
  const chip = v['chip'];
  if (typeof chip !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(chip)) {
    fail(file, `${pointer}/chip`, 'a GPIO chip name such as "gpiochip0" or a chip label such as "pinctrl-bcm2711"');
  }
  const activeLow = v['active-low'] ?? false;
  if (typeof activeLow !== 'boolean') fail(file, `${pointer}/active-low`, 'true or false');
  return { chip, line: integer(v['line'], 0, 1023, file, `${pointer}/line`), activeLow };
}

function parseNamePattern(v: unknown, file: string): string {
  const pointer = '/board/dnssd-name';
  if (v === undefined) return 'ippbridge-{serial4}';
  if (typeof v !== 'string' || v.trim() === '') fail(file, pointer, 'a non-empty name pattern such as "ippbridge-{serial4}"');
  for (const match of v.matchAll(/\{([^}]*)\}/g)) {
    if (!(NAME_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) {
      fail(file, pointer, `a pattern whose placeholders are ${NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} (found {${match[1] ?? ''}})`);
    }
  }
  if (v.replace(/\{[^}]*\}/g, '').length > 48) fail(file, pointer, 'a pattern with at most 48 fixed characters');
  return v;
}

/** Validate the `board` section of a board config document. */
export function parseBoardHardware(v: unknown, file: string): BoardHardware {
  if (!isRecord(v)) fail(file, '/board', 'an object');
  checkKeys(v, KEYS, file, '/board');
  const model = v['model'];
  if (typeof model !== 'string' || model.trim() === '' || model.length > 127) fail(file, '/board/model', 'a 1-127 character string');
  const arch = v['arch'];
  if (typeof arch !== 'string' || !(BOARD_ARCHES as readonly string[]).includes(arch)) {
    fail(file, '/board/arch', `one of ${BOARD_ARCHES.join(', ')}`);
  }
  const memoryBudgetMb = integer(v['memory-budget-mb'], MIN_MEMORY_BUDGET_MB, 65536, file, '/board/memory-budget-mb');
  return {
    model,
    arch: arch as BoardArch,
    memoryBudgetMb,
    heapMb: heapCapMb(memoryBudgetMb),
    ports: parsePorts(v['ports'], file),
    statusLed: parseGpio(v['status-led'], file, '/board/status-led'),
    button: parseGpio(v['button'], file, '/board/button'),
    dnssdName: parseNamePattern(v['dnssd-name'], file),
  };
}

/** Fill a DNS-SD name pattern; the result is cut to 63 octets (RFC 6763 §4.1.1 instance label limit). */
export function expandNamePattern(pattern: string, values: { readonly serial: string; readonly hostname: string }): string {
  const serial = values.serial.replace(/[^A-Za-z0-9]/g, '');
  const filled = pattern.replace(/\{(serial4|serial|hostname)\}/g, (_m, key: string) =>
    key === 'serial4' ? serial.slice(-4).toLowerCase() : key === 'serial' ? serial.toLowerCase() : values.hostname,
  );
  let out = filled;
  while (Buffer.byteLength(out, 'utf8') > 63) out = out.slice(0, -1);
  return out;
}
