import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeDataDir, removeDataDir, testEnvironment } from '../utils/create-test-app';

const run = promisify(execFile);

/** The admin CLI as a person meets it: a real process, its exit code, stdout and stderr. */
describe('admin CLI as a program', () => {
  const dir = makeDataDir();
  const env = { ...testEnvironment({ DB_URL: `sqlite:${join(dir, 'cli.sqlite')}`, DATA_DIR: dir }), PATH: process.env.PATH ?? '' };
  const cli = (...args: string[]) => run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', ...args], { env });

  afterAll(() => removeDataDir(dir));

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    await expect(cli('--version')).resolves.toMatchObject({ stdout: `${version}\n` });
  }, 60_000);

  it('calls itself unireg in its help', async () => {
    const { stdout } = await cli('--help');
    expect(stdout).toMatch(/^Usage: unireg /);
    expect(stdout).toMatch(/bytepower/);
  }, 60_000);

  it.each([
    [['frobnicate'], "unireg: unknown command 'frobnicate'\n"],
    [['users', 'frobnicate'], "unireg: unknown command 'frobnicate' for 'users'\n"],
    [['bytepower', 'key', 'frobnicate'], "unireg: unknown command 'frobnicate' for 'key'\n"],
    [['users', 'list', 'extra'], "unireg: too many arguments for 'list'. Expected 0 arguments but got 1.\n"],
    [['users', 'approve', '1', '2'], "unireg: too many arguments for 'approve'. Expected 1 argument but got 2.\n"],
    [['userpool', 'create', '--name', 'X', '--bogus'], "unireg: unknown option '--bogus'\n"],
  ])(
    'refuses %j with one prefixed line on stderr and exit 1',
    async (args, stderr) => {
      await expect(cli(...args)).rejects.toMatchObject({ code: 1, stdout: '', stderr });
    },
    60_000,
  );

  it('prints a header row above the users table', async () => {
    const { stdout } = await cli('users', 'list');
    expect(stdout).toBe('ID\tTENANT\tEMAIL\tUSERNAME\tSTATUS\tCREATED\n');
  }, 60_000);
});
