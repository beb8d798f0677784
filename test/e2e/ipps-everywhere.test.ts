// Conformance over TLS: CUPS ipptool ipp-everywhere.test against ipps:// (same port as ipp://, self-signed
// certificate), with the same zero-failure bar as the ipp:// run in ipptool-everywhere.test.ts. ipptool runs
// without -T here: with a request timeout, CUPS 2.4's GnuTLS client misreads a TLS 1.3 session ticket that
// arrives after its request and reconnects until it gives up (seen with Debian's cups-ipp-utils 2.4).
// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { IPPTOOL, IPPTOOL_SUITES, requireIpptool, summarisePlists } from '../support/ipptool.js';
import { samplesDir } from '../support/samples.js';
import { startServer } from '../support/server.js';

const SUITE = fileURLToPath(new URL('../fixtures/ipptool/ipp-everywhere.test', import.meta.url));
const DOCUMENT = 'pwg-raster-samples-300dpi/black-1/onepage-a4-black-1-300dpi.pwg';

t.test('ipp-everywhere.test passes over ipps:// with a PWG raster document', async (t) => {
  if (!requireIpptool(t)) return;
  const server = await startServer();
  t.teardown(() => server.stop());
  const work = await mkdtemp(join(tmpdir(), 'ipptool-ipps-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  // The suite INCLUDEs ipp-2.0.test by bare name: link it beside the samples in a private working directory.
  const samples = samplesDir();
  const cwd = join(work, 'cwd');
  await mkdir(cwd);
  for (const entry of await readdir(samples)) await symlink(join(samples, entry), join(cwd, entry));
  for (const inc of ['ipp-2.0.test', 'ipp-1.1.test']) await symlink(join(IPPTOOL_SUITES, inc), join(cwd, basename(inc)));
  const plist = join(work, 'report.plist');
  const uri = server.uri.replace(/^ipp:/, 'ipps:');
  const proc = spawn(IPPTOOL, ['-P', plist, '-I', '-V', '2.0', '-f', join(samples, DOCUMENT), uri, SUITE], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let report = '';
  proc.stdout.on('data', (c: Buffer) => (report += c.toString('utf8')));
  proc.stderr.on('data', (c: Buffer) => (report += c.toString('utf8')));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 360_000);
  t.teardown(() => clearTimeout(timer));
  const code = await new Promise<number | null>((resolve) => proc.once('close', resolve));
  const summary = summarisePlists(existsSync(plist) ? await readFile(plist, 'utf8') : '');
  t.comment(`${uri}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped, exit ${code}`);
  t.ok(summary.passed >= 130, `at least 130 tests passed (${summary.passed})`, { report: report.slice(-1500) });
  t.equal(summary.failed, 0, `no failures\n${summary.failures.map((f) => `  - ${f.name}: ${f.reason}`).join('\n')}`);
  t.ok(server.proc.exitCode === null, 'the server is still running');
});
