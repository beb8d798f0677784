// Short seeded fuzz run of the HTTP front end (issue 8) against the built server on 127.0.0.1: ipptool's captured
// connections and generated requests (chunked, gzip, deflate, bad framing), mutated; the server must answer
// non-5xx or close, never hang, and still answer Get-Printer-Attributes afterwards.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { formatCrash, formatReport, runFuzz } from './engine.js';
import { httpSeeds, ippSeeds } from './seeds.js';
import { httpTarget, printerAnswers } from './targets/http.js';
import { startServer } from '../support/server.js';

const server = await startServer();
t.teardown(() => server.stop());
const target = httpTarget(server, ippSeeds());

t.test('1500 mutated and generated HTTP requests get a non-5xx answer or a close, and the printer keeps answering', async (t) => {
  const report = await runFuzz(target, httpSeeds(), { seed: 0x4854_5450, iterations: 1500, inputTimeoutMs: 15_000 });
  t.comment(formatReport(report));
  t.same(report.crashes.map(formatCrash), [], 'no crashes');
  t.ok(await printerAnswers(server), 'Get-Printer-Attributes still answers');
});
