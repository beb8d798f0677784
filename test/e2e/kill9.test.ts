// kill -9 at random moments while jobs are submitted and printed (issue 8 item 2): nothing accepted is lost, job ids
// never repeat, no state file is ever damaged. The harness is in test/support/kill-harness.ts (also used by the soak run).
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { runKillHarness } from '../support/kill-harness.js';

t.test('55 random kill -9s lose no accepted job, repeat no job id and damage no state file', async (t) => {
  const report = await runKillHarness({ kills: 55, seed: 20240801 });
  t.comment(JSON.stringify({ ...report, violations: report.violations.length }));
  t.same(report.violations, [], 'no rule was broken');
  t.ok(report.kills >= 50, `at least 50 kills (${report.kills})`);
  t.ok(report.startupKills > 0, 'some kills hit start-up recovery');
  t.equal(report.idsRepeated, 0, 'no job id was handed out twice');
  t.equal(report.corruptFiles, 0, 'every state file parses');
  t.equal(report.quarantinedFiles, 0, 'the server never found a torn file to move aside');
  t.equal(report.lost, 0, 'no accepted job vanished');
  t.equal(report.unfinished, 0, 'every accepted job finished');
  t.equal(report.retired, 0, 'every job was seen ending before retention dropped it');
  t.equal(report.accepted, report.completed + report.abortedLost, 'accepted = completed + aborted (document never confirmed)');
  t.ok(report.accepted >= report.kills, `jobs were accepted throughout (${report.accepted})`);
  t.ok(report.survivedKill > 0, `jobs cut off by a kill completed after the restart (${report.survivedKill})`);
  t.ok(report.documentsConfirmed > report.abortedLost, 'most documents were confirmed');
});
