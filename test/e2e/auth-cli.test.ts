// `ippbridge user …` and the first-start administrator with the built binary: password from stdin, file mode 0600,
// the generated admin password printed once on stdout and never in the JSON log.
// SPDX-License-Identifier: Apache-2.0
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { cleanEnv, serverMain, startServer } from '../support/server.js';
import { tempStateDir } from '../support/fake-engine.js';
import { run } from '../security/tools.js';

function cli(args: string[], input = ''): ReturnType<typeof run> {
  return run(process.execPath, [serverMain(), 'user', ...args], { input, env: cleanEnv(), timeoutMs: 30_000 });
}

t.test('user add reads the password from piped stdin and stores only its hash, mode 0600', async (t) => {
  const dir = await tempStateDir(t);
  const add = await cli(['add', 'erin', '--admin', '--state-dir', dir], 'erin-password-1\n');
  t.equal(add.code, 0, add.stderr);
  t.notMatch(add.stdout + add.stderr, /erin-password-1/);
  const file = join(dir, 'users.json');
  t.equal((await stat(file)).mode & 0o777, 0o600);
  t.notMatch(await readFile(file, 'utf8'), /erin-password-1/);
  const list = await cli(['list', '--state-dir', dir]);
  t.match(list.stdout, /^erin\tadmin\t/m);
});

t.test('user passwd, del and the usage errors', async (t) => {
  const dir = await tempStateDir(t);
  await cli(['add', 'root', '--admin', '--state-dir', dir], 'root-password-1\n');
  await cli(['add', 'frank', '--state-dir', dir], 'frank-password-1\n');
  t.equal((await cli(['passwd', 'frank', '--state-dir', dir], 'frank-password-2\n')).code, 0);
  t.equal((await cli(['add', 'frank', '--state-dir', dir], 'frank-password-3\n')).code, 2, 'taken name');
  t.equal((await cli(['add', 'gina', '--state-dir', dir], 'short\n')).code, 2, 'short password');
  t.equal((await cli(['del', 'root', '--state-dir', dir])).code, 2, 'last admin');
  t.equal((await cli(['del', 'frank', '--state-dir', dir])).code, 0);
  t.notMatch((await cli(['list', '--state-dir', dir])).stdout, /frank/);
});

t.test('the first start prints a generated admin password once, on stdout only, and the second start does not', async (t) => {
  const dir = await tempStateDir(t);
  const first = await startServer({ stateDir: dir });
  const out = first.output();
  await first.stop();
  const m = /ippbridge admin: created administrator "admin" with password (\S+)/.exec(out);
  t.ok(m, 'the password line is printed');
  const password = m?.[1] ?? '-';
  t.equal(out.split(password).length - 1, 1, 'printed exactly once, in no log line');
  t.notMatch(await readFile(join(dir, 'users.json'), 'utf8'), password);
  const second = await startServer({ stateDir: dir });
  const again = second.output();
  await second.stop();
  t.notMatch(again, /ippbridge admin:/);
});
