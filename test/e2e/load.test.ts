// Bounded load run (issue 8 item 4): 200 concurrent clients for 20 s against the built server mixing
// Get-Printer-Attributes, Get-Jobs, Print-Job, slow readers, slow writers and mid-document disconnects. Checks
// errors, printed jobs, fds and RSS; latency percentiles are printed, never asserted. `npm run soak` runs it longer.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { runLoadMix } from '../soak/load-mix.js';
import { startServer } from '../support/server.js';

const server = await startServer();
t.teardown(() => server.stop());
let log = '';
server.proc.stdout?.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-256 * 1024)));

t.test('200 concurrent mixed clients get answers, every accepted job prints, fds and memory come back', async (t) => {
  const report = await runLoadMix(server, { connections: 200, durationMs: Number(process.env['LOAD_SECONDS'] ?? 20) * 1000, seed: 8 });
  t.comment(`requests ${JSON.stringify(report.requests)}`);
  t.comment(`latency ms p50 ${report.latencyMs.p50} p95 ${report.latencyMs.p95} p99 ${report.latencyMs.p99} max ${report.latencyMs.max}`);
  t.comment(`fds ${report.fdsBefore} -> ${report.fdsAfter}, RSS ${report.rssBeforeMiB} / peak ${report.rssPeakMiB} / after ${report.rssAfterMiB} MiB`);
  t.same(report.errors, [], 'no unexpected errors');
  t.ok(report.jobsAccepted > 20, `${report.jobsAccepted} jobs accepted`);
  t.equal(report.jobsCompleted, report.jobsAccepted, 'every accepted job printed');
  t.ok(report.fdsAfter <= report.fdsBefore + 4, `fds back near the baseline (${report.fdsBefore} -> ${report.fdsAfter})`);
  t.ok(report.rssPeakMiB < 512, `peak RSS ${report.rssPeakMiB} MiB under 512 MiB`);
  t.ok(report.rssAfterMiB < report.rssBeforeMiB + 200, `RSS after ${report.rssAfterMiB} MiB within 200 MiB of the start (${report.rssBeforeMiB})`);
  t.ok(report.stillAnswers, 'the printer still answers Get-Printer-Attributes');
  t.notMatch(log, /"msg":"request failed"|"level":60/, 'no request failed or fatal in the server log');
});
