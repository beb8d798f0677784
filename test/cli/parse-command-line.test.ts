// parseCommandLine: every flag, the defaults, help/version, and the usage errors (ConfigError ERR_USAGE).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { parseCommandLine, USAGE, type ServeOptions } from '../../src/cli.js';
import { ConfigError } from '../../src/errors.js';

function serve(argv: readonly string[]): ServeOptions {
  const cmd = parseCommandLine(argv);
  if (cmd.kind !== 'serve') throw new Error(`expected serve, got ${cmd.kind}`);
  return cmd.options;
}

function usageError(argv: readonly string[]): ConfigError {
  try {
    parseCommandLine(argv);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

t.test('serve without flags uses the documented defaults', async (t) => {
  t.same(serve(['serve']), {
    board: undefined,
    listen: undefined,
    port: 8631,
    stateDir: './var',
    name: undefined,
    dnssd: true,
    snmpPort: 8161,
    logLevel: 'info',
  });
});

t.test('--snmp-port sets the SNMP port and --no-snmp turns the agent off', async (t) => {
  t.equal(serve(['serve', '--snmp-port', '161']).snmpPort, 161);
  t.equal(serve(['serve', '--no-snmp']).snmpPort, undefined);
  t.match(usageError(['serve', '--snmp-port', '70000']).message, /--snmp-port must be 0\.\.65535/);
  t.match(usageError(['serve', '--no-snmp', '--snmp-port', '161']).message, /contradict/);
});

t.test('every flag is taken', async (t) => {
  t.same(
    serve([
      'serve',
      '--board',
      'b.json',
      '--listen',
      '127.0.0.1',
      '--port',
      '0',
      '--state-dir',
      '/tmp/s',
      '--name',
      'Office',
      '--no-dnssd',
      '--log-level',
      'debug',
    ]),
    { board: 'b.json', listen: '127.0.0.1', port: 0, stateDir: '/tmp/s', name: 'Office', dnssd: false, snmpPort: 8161, logLevel: 'debug' },
  );
});

t.test('flags may come before the command and use the = form', async (t) => {
  const o = serve(['--port=9100', '--listen=::1', 'serve']);
  t.equal(o.port, 9100);
  t.equal(o.listen, '::1');
});

t.test('--listen accepts localhost', async (t) => {
  t.equal(serve(['serve', '--listen', 'localhost']).listen, 'localhost');
});

t.test('--help and -h ask for help, even without a command', async (t) => {
  t.same(parseCommandLine(['--help']), { kind: 'help' });
  t.same(parseCommandLine(['-h']), { kind: 'help' });
  t.same(parseCommandLine(['serve', '--port', '1', '-h']), { kind: 'help' });
});

t.test('--version and -v ask for the version', async (t) => {
  t.same(parseCommandLine(['--version']), { kind: 'version' });
  t.same(parseCommandLine(['-v']), { kind: 'version' });
});

t.test('the usage text documents every flag', async (t) => {
  for (const flag of ['--board', '--listen', '--port', '--state-dir', '--name', '--no-dnssd', '--log-level', '--help', '--version']) {
    t.match(USAGE, flag, flag);
  }
});

t.test('a missing command is a usage error', async (t) => {
  const err = usageError([]);
  t.equal(err.code, 'ERR_USAGE');
  t.match(err.message, /missing command/);
});

t.test('an unknown command is a usage error', async (t) => {
  const err = usageError(['print']);
  t.equal(err.code, 'ERR_USAGE');
  t.match(err.message, /print/);
});

t.test('an extra positional argument is a usage error', async (t) => {
  t.equal(usageError(['serve', 'now']).code, 'ERR_USAGE');
});

t.test('an unknown flag is a usage error naming the flag', async (t) => {
  const err = usageError(['serve', '--colour']);
  t.equal(err.code, 'ERR_USAGE');
  t.match(err.message, /--colour/);
});

t.test('a flag without its value is a usage error', async (t) => {
  t.equal(usageError(['serve', '--port']).code, 'ERR_USAGE');
});

for (const bad of ['-1', '65536', 'http', '80.5', '0x50', '']) {
  t.test(`--port '${bad}' is a usage error naming --port`, async (t) => {
    const err = usageError(['serve', '--port', bad]);
    t.equal(err.code, 'ERR_USAGE');
    t.match(err.message, /--port/);
  });
}

t.test('--port accepts the extremes 0 and 65535', async (t) => {
  t.equal(serve(['serve', '--port', '65535']).port, 65535);
  t.equal(serve(['serve', '--port', '0']).port, 0);
});

t.test('a bad log level is a usage error naming --log-level', async (t) => {
  const err = usageError(['serve', '--log-level', 'verbose']);
  t.equal(err.code, 'ERR_USAGE');
  t.match(err.message, /--log-level/);
});

t.test('every pino level is accepted by --log-level', async (t) => {
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(serve(['serve', '--log-level', level]).logLevel, level);
  }
});

t.test('--listen with a host name that is not an address is a usage error', async (t) => {
  const err = usageError(['serve', '--listen', 'printer.example']);
  t.equal(err.code, 'ERR_USAGE');
  t.match(err.message, /--listen/);
});

t.test('an empty or over-long --name is a usage error', async (t) => {
  t.equal(usageError(['serve', '--name', ' ']).code, 'ERR_USAGE');
  t.equal(usageError(['serve', '--name', 'x'.repeat(64)]).code, 'ERR_USAGE');
  t.equal(serve(['serve', '--name', 'x'.repeat(63)]).name, 'x'.repeat(63));
});
