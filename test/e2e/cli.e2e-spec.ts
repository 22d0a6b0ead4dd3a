import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const run = promisify(execFile);

describe('admin CLI', () => {
  let env: Record<string, string>;

  // Every test gets an empty database and data folder of its own, so none depends on another's data.
  beforeEach(async () => {
    const url = await freshDatabaseUrl();
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? url : `sqlite:${join(base.DATA_DIR, 'cli.sqlite')}` };
  });
  afterEach(async () => {
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });

  const cli = (...args: string[]) => runCli(env, ...args);

  const json = (stdout: string) => parseJsonOutput(stdout) as any;

  const createPool = async (id: string, ...options: string[]) => {
    const result = await cli('userpool', 'create', '--name', id, '--id', id, ...options, '--json');
    expect(result.error).toBeUndefined();
    expect(json(result.stdout)).toEqual({ id });
  };

  /** The service on the CLI's database, for as long as `work` runs. */
  const withApp = async (work: (t: TestApp) => Promise<void>) => {
    const t = await createTestApp({ DB_URL: env.DB_URL });
    try {
      await work(t);
    } finally {
      await t.close();
    }
  };

  const registerUser = (t: TestApp, pool: string, email: string) =>
    t.http().post('/api/v1/register/email').set('x-userpool-id', pool).send({ email, password: 'abc12!' }).expect(200);

  it('seed demo is idempotent and prints one JSON object', async () => {
    const first = await cli('seed', 'demo', '--json');
    expect(first.error).toBeUndefined();
    expect(json(first.stdout)).toMatchObject({ ok: true, userpool: 'demo', userDomain: 'C.DM.1.1' });
    const second = await cli('seed', 'demo', '--json');
    expect(json(second.stdout)).toEqual(json(first.stdout));
  });

  it('userpool create prints the id, and the pool takes registrations over HTTP with its settings', async () => {
    const generated = json((await cli('userpool', 'create', '--name', 'Generated', '--json')).stdout);
    expect(generated.id).toMatch(/^[0-9a-f]{24}$/);
    await createPool('strict', '--password-strength', '3');
    await createPool('closed', '--registration', 'disabled');

    await withApp(async (t) => {
      const register = (pool: string, password: string) =>
        t.http().post('/api/v1/register/email').set('x-userpool-id', pool).send({ email: 'cli@example.com', password });
      expect((await register('strict', 'tulip42')).body.code).toBe(2029);
      expect((await register('closed', 'abc12!')).body.code).toBe(2031);
      expect((await register('strict', 'abc12!')).status).toBe(200);
      expect((await register(generated.id, 'tulip42')).status).toBe(200);
    });
  });

  it('userpool create --common-passwords allowed lets a pool take passwords from the common list; refused is the default', async () => {
    await createPool('lenient', '--common-passwords', 'allowed');
    await createPool('default');
    await createPool('explicit', '--common-passwords', 'refused');
    await withApp(async (t) => {
      const register = (pool: string) =>
        t.http().post('/api/v1/register/email').set('x-userpool-id', pool).send({ email: 'cli@example.com', password: '123456' });
      expect((await register('lenient')).status).toBe(200);
      for (const pool of ['default', 'explicit']) {
        const refused = await register(pool);
        expect([refused.status, refused.body.code, refused.body.msg]).toEqual([400, 2029, 'Password is too common']);
      }
    });
  });

  it('user-domain create --common-passwords allowed lets the domain take passwords from the common list', async () => {
    await cli('user-domain', 'create', '--domain', 'C.DM.7.7', '--common-passwords', 'allowed', '--json');
    await cli('user-domain', 'create', '--domain', 'C.DM.8.8', '--json');
    await withApp(async (t) => {
      const registerCode = async (userDomain: string) =>
        (
          await t
            .http()
            .post('/v2/enduser/enduserapi/emailPwdRegister')
            .query({ userDomain, email: 'u@example.com', pwd: 'password1', code: '000000' })
        ).body.code;
      // Past the password check, the made-up code is what fails (5046); a refused password fails first (5056).
      expect(await registerCode('C.DM.7.7')).toBe(5046);
      expect(await registerCode('C.DM.8.8')).toBe(5056);
    });
  });

  it('userpool set and user-domain set change whether an existing tenant takes common passwords', async () => {
    await createPool('existing');
    await cli('user-domain', 'create', '--domain', 'C.DM.6.6', '--json');
    expect(json((await cli('userpool', 'set', '--id', 'existing', '--common-passwords', 'allowed', '--json')).stdout)).toEqual({
      ok: true,
      id: 'existing',
      commonPasswords: 'allowed',
    });
    expect(json((await cli('user-domain', 'set', '--domain', 'C.DM.6.6', '--common-passwords', 'allowed', '--json')).stdout)).toEqual({
      ok: true,
      domain: 'C.DM.6.6',
      commonPasswords: 'allowed',
    });
    await withApp(async (t) => {
      const pool = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'existing')
        .send({ email: 'set@example.com', password: '123456' });
      expect(pool.status).toBe(200);
      const domain = await t
        .http()
        .post('/v2/enduser/enduserapi/emailPwdRegister')
        .query({ userDomain: 'C.DM.6.6', email: 'u@example.com', pwd: 'password1', code: '000000' });
      // Past the password check, the made-up code is what fails (5046).
      expect(domain.body.code).toBe(5046);
    });
    await cli('userpool', 'set', '--id', 'existing', '--common-passwords', 'refused');
    await withApp(async (t) => {
      const refused = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'existing')
        .send({ email: 'again@example.com', password: '123456' });
      expect([refused.status, refused.body.code]).toEqual([400, 2029]);
    });
    expect((await cli('userpool', 'set', '--id', 'existing', '--json')).error?.message).toMatch(/nothing to set/);
    expect((await cli('userpool', 'set', '--id', 'missing', '--common-passwords', 'allowed')).error?.message).toMatch(
      /no userpool named missing/,
    );
    expect((await cli('user-domain', 'set', '--domain', 'C.DM.9.9', '--common-passwords', 'allowed')).error?.message).toMatch(
      /no user-domain named/,
    );
  });

  it('users list prints the users, filtered by tenant', async () => {
    await createPool('strict');
    await createPool('other');
    await createPool('closed');
    await withApp(async (t) => {
      await registerUser(t, 'strict', 'cli@example.com');
      await registerUser(t, 'other', 'cli@example.com');
    });

    const all = json((await cli('users', 'list', '--json')).stdout);
    expect(all.users).toHaveLength(2);
    expect(all.users).toContainEqual({
      id: expect.stringMatching(/^\d+$/),
      tenant: 'strict',
      tenantKind: 'userpool',
      email: 'cli@example.com',
      username: null,
      status: 'active',
      createdAt: expect.any(String),
    });
    const strict = json((await cli('users', 'list', '--tenant', 'strict', '--json')).stdout);
    expect(strict.users.map((user: { tenant: string }) => user.tenant)).toEqual(['strict']);
    expect(new Date(strict.users[0].createdAt).toISOString()).toBe(strict.users[0].createdAt);
    expect(json((await cli('users', 'list', '--tenant', 'userpool:closed', '--json')).stdout)).toEqual({ users: [] });
  });

  it('reports failures instead of printing a result', async () => {
    await createPool('strict');
    const duplicate = await cli('userpool', 'create', '--name', 'Again', '--id', 'strict', '--json');
    expect(duplicate.stdout).toBe('');
    expect(duplicate.error?.message).toMatch(/already exists/);
    expect((await cli('users', 'list', '--tenant', 'nope', '--json')).error?.message).toMatch(/no tenant named nope/);
    expect((await cli('users', 'approve', '999999', '--json')).error?.message).toMatch(/no user/);
    for (const args of [
      ['userpool', 'create', '--name', 'X', '--common-passwords', 'yes'],
      ['user-domain', 'create', '--domain', 'C.DM.7.7', '--common-passwords', 'on'],
    ]) {
      const refused = await cli(...args, '--json');
      expect([refused.stdout, refused.error?.message]).toEqual([
        '',
        expect.stringMatching(/--common-passwords must be allowed or refused/),
      ]);
    }
  });

  it('user-domain create, disable and enable, seen through the enduser API', async () => {
    expect(json((await cli('user-domain', 'create', '--domain', 'C.DM.7.7', '--json')).stdout)).toEqual({ domain: 'C.DM.7.7' });
    expect(json((await cli('user-domain', 'create', '--domain', 'C.DM.8.8', '--disabled', '--json')).stdout)).toEqual({
      domain: 'C.DM.8.8',
    });
    expect((await cli('user-domain', 'create', '--domain', 'bad-domain', '--json')).error?.message).toMatch(/not a user domain/);

    await withApp(async (t) => {
      const registerCode = async (userDomain: string) =>
        (
          await t
            .http()
            .post('/v2/enduser/enduserapi/emailPwdRegister')
            .query({ userDomain, email: 'u@example.com', pwd: 'china1234', code: '000000' })
        ).body.code;
      expect(await registerCode('C.DM.7.7')).toBe(5046);
      expect(await registerCode('C.DM.8.8')).toBe(5104);
      expect(json((await cli('user-domain', 'disable', '--domain', 'C.DM.7.7', '--json')).stdout)).toMatchObject({ ok: true });
      expect(await registerCode('C.DM.7.7')).toBe(5104);
      expect(json((await cli('user-domain', 'enable', '--domain', 'C.DM.8.8', '--json')).stdout)).toMatchObject({ ok: true });
      expect(await registerCode('C.DM.8.8')).toBe(5046);
    });
    expect((await cli('user-domain', 'disable', '--domain', 'C.DM.9.9')).error?.message).toMatch(/no user-domain named C\.DM\.9\.9/);
  });

  it('migrate answers in JSON', async () => {
    expect(json((await cli('migrate', '--json')).stdout)).toMatchObject({ ok: true, applied: expect.any(Array) });
  });

  describe('as a process', () => {
    const cliProcess = (...args: string[]) =>
      run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', ...args], {
        env: { ...env, PATH: process.env.PATH ?? '' },
      });

    it('prints exactly one JSON object on stdout with --json', async () => {
      await createPool('strict');
      await withApp(async (t) => {
        await registerUser(t, 'strict', 'process@example.com');
      });
      const { stdout, stderr } = await cliProcess('users', 'list', '--tenant', 'strict', '--json');
      expect(JSON.parse(stdout).users).toMatchObject([{ tenant: 'strict', email: 'process@example.com' }]);
      expect(stdout.trim().split('\n')).toHaveLength(1);
      expect(stderr).toBe('');
    }, 60_000);

    it('exits non-zero with the reason on stderr when the pool already exists', async () => {
      await createPool('strict');
      await expect(cliProcess('userpool', 'create', '--name', 'X', '--id', 'strict', '--json')).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/already exists/),
      });
    }, 60_000);

    it.each([
      [['userpool', 'create', '--name', 'X', '--password-strength', '7'], /--password-strength must be/],
      [['userpool', 'create'], /--name/],
      [['userpool', 'create', '--name', 'X', '--registration', 'maybe'], /--registration must be enabled or disabled/],
      [['userpool', 'create', '--name', ''], /--name must not be empty/],
      [['no-such-command'], /unknown command/],
    ])(
      'exits non-zero with the reason on stderr: %j',
      async (args, reason) => {
        await expect(cliProcess(...args)).rejects.toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(reason) });
      },
      60_000,
    );

    it('refuses to start with an invalid environment variable, naming it', async () => {
      const failed = run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'users', 'list'], {
        env: { ...env, BCRYPT_COST: 'lots', PATH: process.env.PATH ?? '' },
      });
      await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/BCRYPT_COST/) });
    }, 60_000);
  });
});
