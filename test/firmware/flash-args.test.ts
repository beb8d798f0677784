// `ippbridge flash` command line: target, bundle, host name and Wi-Fi rules.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { parseCommandLine } from '../../src/cli.js';
import { parseFlashArgs } from '../../src/firmware/flash-args.js';

t.test('flash --root with every setting parses', async (t) => {
  const cmd = parseCommandLine(['flash', '--root', '/mnt', '--bundle', 'b.tar.gz', '--hostname', 'printer-1', '--wifi-country', 'de',
    '--wifi-ssid', 'Net', '--wifi-psk', 'pass phrase', '--admin-password-file', 'pw', '--board', 'x.json']);
  t.same(cmd, {
    kind: 'flash',
    options: { target: { kind: 'root', root: '/mnt' }, bundle: 'b.tar.gz', board: 'x.json', hostname: 'printer-1',
      wifi: { country: 'DE', ssid: 'Net', psk: 'pass phrase' }, adminPasswordFile: 'pw' },
  });
});

t.test('bad flash command lines name the flag', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--bundle', 'b'], /exactly one of --image/],
    [['--image', 'i', '--root', 'r', '--bundle', 'b'], /exactly one of --image/],
    [['--root', 'r'], /needs --bundle/],
    [['--root', 'r', '--bundle', 'b', '--hostname', 'bad_name'], /--hostname/],
    [['--root', 'r', '--bundle', 'b', '--wifi-country', 'DEU'], /--wifi-country/],
    [['--root', 'r', '--bundle', 'b', '--wifi-country', 'DE', '--wifi-ssid', 'x'], /go together/],
    [['--root', 'r', '--bundle', 'b', '--wifi-country', 'DE', '--wifi-ssid', 'x', '--wifi-psk', 'short'], /--wifi-psk/],
    [['--root', 'r', '--bundle', 'b', '--port', '1'], /flash: Unknown option '--port'/],
  ];
  for (const [argv, message] of cases) t.throws(() => parseFlashArgs(argv), { code: 'ERR_USAGE', message }, argv.join(' '));
});
