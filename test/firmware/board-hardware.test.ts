// The board section: every board file's hardware, errors naming file, field and expected value, name patterns, drop-in.
// SPDX-License-Identifier: Apache-2.0
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoardConfig, parseBoardConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { expandNamePattern, heapCapMb } from '../../src/firmware/board-hardware.js';
import { serviceDropIn } from '../../src/firmware/service-dropin.js';

const DIR = fileURLToPath(new URL('../../board-configs/', import.meta.url));
const BOARDS = { 'pi-zero-2w': 'arm64', 'pi-3b-plus': 'armv7', 'pi-4b': 'arm64', 'pi-5': 'arm64', 'x86-64': 'x64' } as const;

function doc(board: unknown): Record<string, unknown> {
  return { name: 'P', engine: { driver: 'virtual', uri: 'virtual:' }, board };
}

const GOOD = { model: 'Test board', arch: 'arm64', 'memory-budget-mb': 192 };

function fails(t: Test, board: unknown, pointer: string, expected: RegExp): void {
  try {
    parseBoardConfig(doc(board), 'b.json');
  } catch (err) {
    t.type(err, ConfigError);
    const e = err as ConfigError;
    t.equal(e.file, 'b.json');
    t.equal(e.pointer, pointer);
    t.match(e.message, expected);
    return;
  }
  t.fail(`no error for ${pointer}`);
}

t.test('every board file describes its hardware', async (t) => {
  for (const [name, arch] of Object.entries(BOARDS)) {
    const board = (await loadBoardConfig(join(DIR, `${name}.json`))).board;
    t.ok(board, `${name} has a board section`);
    t.equal(board?.arch, arch, `${name} arch`);
    t.same(board?.ports, { ipp: 631, snmp: 161 });
    t.equal(board?.dnssdName, 'ippbridge-{serial4}');
    if (arch === 'x64') t.equal(board?.statusLed, undefined, 'no LED on a PC');
    else t.ok(board?.statusLed && board.button, `${name} has LED and button lines`);
  }
});

t.test('the Zero 2 W heap cap fits a 512 MB board', async (t) => {
  const board = (await loadBoardConfig(join(DIR, 'pi-zero-2w.json'))).board;
  t.equal(board?.heapMb, 128);
  t.equal(heapCapMb(384), 256);
});

t.test('a config without a board section has none', async (t) => {
  t.equal(parseBoardConfig(doc(undefined), 'b.json').board, undefined);
});

t.test('bad board fields name the field and the expected value', async (t) => {
  fails(t, 'pi', '/board', /must be an object/);
  fails(t, { ...GOOD, arch: 'riscv64' }, '/board/arch', /one of arm64, armv7, x64/);
  fails(t, { ...GOOD, 'memory-budget-mb': 64 }, '/board/memory-budget-mb', /integer 96\.\.65536/);
  fails(t, { ...GOOD, ports: { ipp: 70000 } }, '/board/ports/ipp', /integer 1\.\.65535/);
  fails(t, { ...GOOD, ports: { http: 80 } }, '/board/ports/http', /unknown field.*expected one of ipp, snmp/);
  fails(t, { ...GOOD, 'status-led': { chip: 'gpiochip0' } }, '/board/status-led/line', /integer 0\.\.1023/);
  fails(t, { ...GOOD, button: { chip: '/dev/gpiochip0', line: 3 } }, '/board/button/chip', /GPIO chip name/);
  fails(t, { ...GOOD, button: { chip: 'gpiochip0', line: 3, 'active-low': 'yes' } }, '/board/button/active-low', /true or false/);
  fails(t, { ...GOOD, 'dnssd-name': 'printer-{mac}' }, '/board/dnssd-name', /\{serial4\}.*found \{mac\}/);
  fails(t, { ...GOOD, colour: 'red' }, '/board/colour', /unknown field/);
});

t.test('name patterns fill serial and host name and stay within 63 octets', async (t) => {
  t.equal(expandNamePattern('ippbridge-{serial4}', { serial: '10000000ABCD1234', hostname: 'h' }), 'ippbridge-1234');
  t.equal(expandNamePattern('{hostname} ({serial})', { serial: 'ab:cd', hostname: 'pi' }), 'pi (abcd)');
  t.equal(Buffer.byteLength(expandNamePattern('{serial}', { serial: 'x'.repeat(80), hostname: '' })), 63);
});

t.test('the drop-in carries heap cap, memory limit and ports, and refuses another arch', async (t) => {
  const file = join(DIR, 'pi-zero-2w.json');
  const board = await loadBoardConfig(file);
  const text = serviceDropIn(board, '/etc/ippbridge/board.json', 'arm64');
  t.match(text, /^\[Service\]$/m);
  t.match(text, /^Environment=NODE_OPTIONS=--max-old-space-size=128$/m);
  t.match(text, /^Environment=IPPBRIDGE_IPP_PORT=631$/m);
  t.match(text, /^MemoryMax=192M$/m);
  t.throws(() => serviceDropIn(board, file, 'x64'), { pointer: '/board/arch', message: /bundle is for x64/ });
});
