// Tests for what each security mode advertises: the parallel URI arrays (RFC 8011 §5.4.1-5.4.3), the DNS-SD
// service list, the board config field and the --security flag.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { identityAttributes } from '../../src/printer/description-identity.js';
import { buildServices, type DnssdPrinterInfo } from '../../src/dnssd/txt.js';
import { parseBoardConfig } from '../../src/config.js';
import { parseCommandLine } from '../../src/cli.js';
import { ConfigError } from '../../src/errors.js';
import type { IppAttribute } from '../../src/ipp/types.js';
import type { SecurityMode } from '../../src/security/policy.js';
import { FAKE_CAPABILITIES, fakePrinterConfig } from '../support/fake-engine.js';

function uriArrays(mode: SecurityMode | undefined, secure = false): Record<string, unknown[]> {
  const cfg = fakePrinterConfig(mode === undefined ? {} : { securityMode: mode });
  const attrs = identityAttributes(FAKE_CAPABILITIES, cfg, { host: 'printer.local:631', secure, port: 631, tlsAvailable: false });
  const pick = (name: string): unknown[] =>
    (attrs.find((a: IppAttribute) => a.name === name)?.values ?? []).map((v) => ('value' in v ? v.value : undefined));
  return {
    'printer-uri-supported': pick('printer-uri-supported'),
    'uri-security-supported': pick('uri-security-supported'),
    'uri-authentication-supported': pick('uri-authentication-supported'),
  };
}

t.test('open and tls-required list ipps (tls) then ipp (none), parallel, on the client host', async (t) => {
  for (const mode of ['open', 'tls-required'] as const) {
    t.same(uriArrays(mode), {
      'printer-uri-supported': ['ipps://printer.local:631/ipp/print', 'ipp://printer.local:631/ipp/print'],
      'uri-security-supported': ['tls', 'none'],
      'uri-authentication-supported': ['none', 'none'],
    }, mode);
  }
});

t.test('tls-only lists only the ipps URI', async (t) => {
  t.same(uriArrays('tls-only', true), {
    'printer-uri-supported': ['ipps://printer.local:631/ipp/print'],
    'uri-security-supported': ['tls'],
    'uri-authentication-supported': ['none'],
  });
});

t.test('without a mode the arrays follow tlsAvailable as before (ipp only)', async (t) => {
  t.same(uriArrays(undefined)['printer-uri-supported'], ['ipp://printer.local:631/ipp/print']);
});

const info: DnssdPrinterInfo = {
  makeAndModel: 'Acme',
  location: '',
  uuid: 'urn:uuid:0b6c4a8e-1d2f-4c3b-9a7e-5f6d7e8f9a0b',
  adminUrl: 'https://printer.local:631/',
  documentFormats: ['image/pwg-raster'],
  color: false,
  duplex: false,
  urfSupported: [],
  kind: [],
  mediaSupported: [],
  tls: '1.2',
  air: 'none',
};

t.test('DNS-SD registers _ipps with TLS=1.2 and air=none, and _ipp only where plaintext is offered', async (t) => {
  const open = buildServices(info, 631);
  t.same(open.map((s) => s.type), ['_ipp._tcp', '_ipps._tcp', '_printer._tcp', '_http._tcp']);
  const ipps = open.find((s) => s.type === '_ipps._tcp');
  t.equal(ipps?.txt['TLS'], '1.2');
  t.equal(ipps?.txt['air'], 'none');
  t.same(ipps?.subtypes, ['_print', '_universal']);
  const only = buildServices(info, 631, { plain: false });
  t.same(only.map((s) => s.type), ['_ipps._tcp', '_printer._tcp', '_http._tcp']);
});

const board = { name: 'P', engine: { driver: 'virtual', uri: 'virtual:' } };

t.test('the board config security.mode defaults to open and refuses unknown modes and fields', async (t) => {
  t.same(parseBoardConfig(board, 'b.json').security, { mode: 'open' });
  t.same(parseBoardConfig({ ...board, security: { mode: 'tls-only' } }, 'b.json').security, { mode: 'tls-only' });
  const pointerOf = (doc: unknown): string | undefined => {
    try {
      parseBoardConfig(doc, 'b.json');
    } catch (err) {
      return err instanceof ConfigError ? err.pointer : 'not a ConfigError';
    }
    return undefined;
  };
  t.equal(pointerOf({ ...board, security: { mode: 'strict' } }), '/security/mode');
  t.equal(pointerOf({ ...board, security: { tls: true } }), '/security/tls');
  t.equal(pointerOf({ ...board, security: 'open' }), '/security');
});

t.test('serve --security takes the three modes and nothing else', async (t) => {
  const cmd = parseCommandLine(['serve', '--security', 'tls-required']);
  t.equal(cmd.kind === 'serve' ? cmd.options.security : 'wrong', 'tls-required');
  const none = parseCommandLine(['serve']);
  t.equal(none.kind === 'serve' ? none.options.security : 'wrong', undefined);
  t.throws(() => parseCommandLine(['serve', '--security', 'tls']), { code: 'ERR_USAGE' });
});
