// Advertiser against a real, independent mDNS browser (python-zeroconf), only inside a private network
// namespace with multicast on loopback: the file re-runs itself under `unshare -n`; nothing reaches a real link.
// SPDX-License-Identifier: Apache-2.0

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger } from 'pino';
import t from 'tap';
import { Advertiser } from '../../src/dnssd/advertise.js';
import { buildServices } from '../../src/dnssd/txt.js';
import type { DnssdPrinterInfo } from '../../src/dnssd/txt.js';
import { ConfigError } from '../../src/errors.js';
import { startBrowser } from '../support/mdns-browser.js';
import type { BrowseEvent } from '../support/mdns-browser.js';

const INSIDE = 'IPPBRIDGE_DNSSD_NETNS';
// What the browser browses for, as a client would
const PRINT = '_print._sub._ipp._tcp.local.';
const UNIVERSAL = '_universal._sub._ipp._tcp.local.';
const IPPS_PRINT = '_print._sub._ipps._tcp.local.';
const LPD = '_printer._tcp.local.';
const WEB = '_printer._sub._http._tcp.local.';
const PYTHON = process.env['IPPBRIDGE_PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
// Loopback carries all multicast; a virtual interface with a TEST-NET address gives the A record (best effort).
const NETNS_SETUP = [
  'set -e',
  'ip link set lo up',
  'ip link set lo multicast on',
  'ip route add 224.0.0.0/4 dev lo',
  '{ ip link add ippb0 type dummy || { ip link add ippb0 type veth peer name ippb1 && ip link set ippb1 up; }; }' +
    ' 2>/dev/null && ip addr add 192.0.2.10/24 dev ippb0 && ip link set ippb0 up' +
    ' || echo "# no extra interface: no A record"',
  'exec "$@"',
].join('\n');

if (process.env[INSIDE] === '1') {
  await insideNamespace();
} else {
  outsideNamespace();
}

/** A debug-level logger whose JSON lines are kept for assertions. */
function logSink(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const write = (line: string): void => void lines.push(JSON.parse(line) as Record<string, unknown>);
  const log = pino({ level: 'debug' }, { write });
  return { log, lines };
}

/** Check the prerequisites and re-run this file in a new network namespace, as a tap subtest. */
function outsideNamespace(): void {
  const isCi = process.env['CI'] === 'true';
  const unshare = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
  const iproute = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  const zeroconf = spawnSync(PYTHON, ['-c', 'import zeroconf'], { encoding: 'utf8' });
  let missing: string | undefined;
  if (unshare.status !== 0) {
    missing = `unshare -n failed (needs root or CAP_SYS_ADMIN): ${unshare.error?.message ?? unshare.stderr.trim()}`;
  } else if (iproute.status !== 0) {
    missing = 'the ip command is missing (apt install iproute2)';
  } else if (zeroconf.status !== 0) {
    missing = `${PYTHON} cannot import zeroconf (apt install python3-zeroconf)`;
  }
  if (missing !== undefined) {
    if (isCi) t.fail(`DNS-SD namespace test cannot run in CI: ${missing}`);
    else t.plan(0, `skipped: ${missing}`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  t.spawn(
    'unshare',
    ['-n', 'sh', '-c', NETNS_SETUP, 'sh', process.execPath, ...process.execArgv, self],
    { env: { ...process.env, [INSIDE]: '1' }, timeout: 60_000 },
    'DNS-SD advertisement inside a private network namespace',
  );
}

async function insideNamespace(): Promise<void> {
  // Refuse to multicast anywhere but the namespace this file set up
  const foreign = Object.keys(networkInterfaces()).filter((iface) => !['lo', 'ippb0', 'ippb1'].includes(iface));
  if (foreign.length > 0) {
    t.fail(`not inside the private network namespace; interfaces ${foreign.join(', ')}`);
    return;
  }
  const name = 'ippbridge test';
  const port = 8631;
  const info: DnssdPrinterInfo = {
    makeAndModel: 'Acme LabelJet 400',
    location: 'Print room',
    uuid: 'urn:uuid:0b6c4a8e-1d2f-4c3b-9a7e-5f6d7e8f9a0b',
    adminUrl: `http://ippbridge.local:${port}/`,
    documentFormats: ['image/pwg-raster', 'image/urf', 'image/jpeg'],
    color: true,
    duplex: false,
    urfSupported: ['V1.4', 'W8', 'SRGB24', 'RS300'],
    kind: ['document'],
    mediaSupported: ['iso_a4_210x297mm', 'na_letter_8.5x11in'],
    tls: '1.3',
  };
  const browser = await startBrowser(PYTHON, '127.0.0.1', [PRINT, UNIVERSAL, IPPS_PRINT, LPD, WEB]);
  t.teardown(() => browser.close());
  const sink = logSink();
  const first = new Advertiser({ log: sink.log, interfaceAddress: '127.0.0.1' });
  const second = new Advertiser({ log: sink.log, interfaceAddress: '127.0.0.1' });
  t.teardown(() => Promise.all([first.stop(), second.stop()]));
  /** An event of `kind` for `instance` of `serviceType`, as reported by a browse of `browseType`. */
  const eventOf =
    (kind: BrowseEvent['event'], browseType: string, instance: string, serviceType: string) =>
    (e: BrowseEvent): boolean =>
      e.event === kind && e.type === browseType && e.name === `${instance}.${serviceType}.local.`;
  const renamed = `${name} (2)`;

  await t.test('published _ipp._tcp resolves under the _print subtype to our port with the TXT keys', async (t) => {
    const mark = browser.mark();
    await first.publish(name, buildServices(info, port));
    t.equal(first.instanceName, name);
    const found = await browser.waitFor('ipp under _print', mark, eventOf('added', PRINT, name, '_ipp._tcp'));
    t.equal(found.port, port);
    t.equal(found.txt?.['rp'], 'ipp/print');
    t.equal(found.txt?.['UUID'], '0b6c4a8e-1d2f-4c3b-9a7e-5f6d7e8f9a0b');
    t.equal(found.txt?.['ty'], 'Acme LabelJet 400');
    t.equal(found.txt?.['product'], '(Acme LabelJet 400)');
    t.equal(found.txt?.['pdl'], 'image/pwg-raster,image/urf,image/jpeg');
    t.equal(found.txt?.['Color'], 'T');
    t.equal(found.txt?.['PaperMax'], 'legal-A4');
    t.equal(found.txt?.['TLS'], '1.3');
    t.match(found.server, /\.local\.$/, 'the SRV target is a .local host name');
  });

  await t.test('the _universal subtype, ipps, the LPD reservation and the web UI are advertised too', async (t) => {
    const universal = await browser.waitFor('ipp under _universal', 0, eventOf('added', UNIVERSAL, name, '_ipp._tcp'));
    t.equal(universal.port, port);
    t.equal(universal.txt?.['rp'], 'ipp/print');
    const ipps = await browser.waitFor('ipps under _print', 0, eventOf('added', IPPS_PRINT, name, '_ipps._tcp'));
    t.equal(ipps.port, port);
    t.equal(ipps.txt?.['TLS'], '1.3');
    const lpd = await browser.waitFor('LPD reservation', 0, eventOf('added', LPD, name, '_printer._tcp'));
    t.equal(lpd.port, 0);
    const web = await browser.waitFor('http under _printer', 0, eventOf('added', WEB, name, '_http._tcp'));
    t.equal(web.port, port);
    t.equal(web.txt?.['path'], '/');
  });

  await t.test('update() with a changed TXT value is seen by the browser', async (t) => {
    const mark = browser.mark();
    await first.update(buildServices({ ...info, location: 'Room 2' }, port));
    const isNewNote = (e: BrowseEvent): boolean =>
      (eventOf('added', PRINT, name, '_ipp._tcp')(e) || eventOf('updated', PRINT, name, '_ipp._tcp')(e)) &&
      e.txt?.['note'] === 'Room 2';
    const seen = await browser.waitFor('note=Room 2', mark, isNewNote);
    t.equal(seen.port, port);
    t.equal(first.instanceName, name, 'the name does not change');
  });

  await t.test('update() with equal records announces nothing', async (t) => {
    const before = sink.lines.length;
    await first.update(buildServices({ ...info, location: 'Room 2' }, port));
    t.same(sink.lines.slice(before).map((line) => line['msg']), ['DNS-SD records unchanged']);
  });

  await t.test('a second advertiser with the same name is renamed "Name (2)" and reports it', async (t) => {
    const mark = browser.mark();
    const reported: string[] = [];
    second.onRenamed((newName) => reported.push(newName));
    await second.publish(name, buildServices(info, port + 1));
    t.equal(second.instanceName, renamed);
    t.same(reported, [renamed]);
    const found = await browser.waitFor('renamed ipp', mark, eventOf('added', PRINT, renamed, '_ipp._tcp'));
    t.equal(found.port, port + 1);
    const lostFirst = browser.since(mark).some(eventOf('removed', PRINT, name, '_ipp._tcp'));
    t.notOk(lostFirst, 'the first printer is not withdrawn by the second one');
  });

  await t.test('stop() sends goodbyes that the browser sees as removals', async (t) => {
    let mark = browser.mark();
    await second.stop();
    t.ok(await browser.waitFor('goodbye of the renamed ipp', mark, eventOf('removed', PRINT, renamed, '_ipp._tcp')));
    mark = browser.mark();
    await first.stop();
    t.ok(await browser.waitFor('goodbye of ipp', mark, eventOf('removed', PRINT, name, '_ipp._tcp')));
    t.ok(await browser.waitFor('goodbye of ipps', mark, eventOf('removed', IPPS_PRINT, name, '_ipps._tcp')));
    t.ok(await browser.waitFor('goodbye of LPD', mark, eventOf('removed', LPD, name, '_printer._tcp')));
    t.ok(await browser.waitFor('goodbye of http', mark, eventOf('removed', WEB, name, '_http._tcp')));
  });

  await t.test('an invalid service type is rejected as a ConfigError, not thrown from the responder', async (t) => {
    const advertiser = new Advertiser({ log: sink.log, interfaceAddress: '127.0.0.1' });
    t.teardown(() => advertiser.stop());
    await t.rejects(advertiser.publish(name, [{ type: 'ipp', subtypes: [], port, txt: {} }]), ConfigError);
    await t.rejects(advertiser.publish(' ', []), ConfigError);
  });
}
