import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

  describe('in an empty DATA_DIR with the embedded defaults', () => {
    const dirs: string[] = [];
    const emptyDataDir = () => {
      dirs.push(makeDataDir());
      return dirs[dirs.length - 1];
    };
    const embedded = (dataDir: string, ...args: string[]) =>
      run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', ...args], {
        env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PATH: process.env.PATH ?? '' },
      });

    afterAll(() => dirs.forEach(removeDataDir));

    it.each([[['--help']], [['help']], [['help', 'users']], [['users', '--help']], [['users', 'list', '-h']], [['--version']]])(
      'answers %j without creating the JWT secret or the database',
      async (args) => {
        const dataDir = emptyDataDir();
        await expect(embedded(dataDir, ...args)).resolves.toMatchObject({ stdout: expect.stringMatching(/\S/) as unknown });
        expect(readdirSync(dataDir)).toEqual([]);
      },
      60_000,
    );

    it('shows the help of a call without a command on stderr, exit 1, and touches nothing', async () => {
      const dataDir = emptyDataDir();
      await expect(embedded(dataDir)).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^Usage: unireg /) as unknown,
      });
      expect(readdirSync(dataDir)).toEqual([]);
    }, 60_000);

    it('refuses a mistyped command without touching anything', async () => {
      const dataDir = emptyDataDir();
      await expect(embedded(dataDir, 'users', 'lsit')).rejects.toMatchObject({
        code: 1,
        stderr: "unireg: unknown command 'lsit' for 'users'\n",
      });
      expect(readdirSync(dataDir)).toEqual([]);
    }, 60_000);

    it('still creates both when a command runs', async () => {
      const dataDir = emptyDataDir();
      await expect(embedded(dataDir, 'users', 'list')).resolves.toMatchObject({ stdout: 'ID\tTENANT\tEMAIL\tUSERNAME\tSTATUS\tCREATED\n' });
      expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['jwt-secret', 'unireg.sqlite']));
    }, 60_000);
  });

  it('prints a header row above the users table', async () => {
    const { stdout } = await cli('users', 'list');
    expect(stdout).toBe('ID\tTENANT\tEMAIL\tUSERNAME\tSTATUS\tCREATED\n');
  }, 60_000);
});
