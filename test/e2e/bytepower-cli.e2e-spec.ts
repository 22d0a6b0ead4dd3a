import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { ServerKey } from '../../src/dialects/bytepower/server-key.entity';
import { createTestApp, makeDataDir, removeDataDir, testEnvironment, TestApp } from '../utils/create-test-app';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl } from '../utils/test-database';

/** The operator's side of the bytepower dialect: apps and keys made with the CLI, used over HTTP. */
describe('admin CLI: bytepower apps and keys', () => {
  const dir = makeDataDir();
  let env: Record<string, string>;
  let t: TestApp;

  const cli = (...args: string[]) => runCli(env, ...args);
  const json = async (...args: string[]) => {
    const { stdout, error } = await cli(...args, '--json');
    expect(error).toBeUndefined();
    return parseJsonOutput(stdout);
  };
  const signup = (keyName: string, keySecret: string, name: string, password = 'Tulip-Garden-42') =>
    t
      .http()
      .post('/bp/server/user/signup')
      .set('Accept', 'application/vnd.bytepower.v1+json')
      .set('X-BytePower-Auth-Token', sign({ key_name: keyName, iat: Date.now() }, keySecret, { algorithm: 'HS256' }))
      .send({ email_password: { email: `${name}@example.com`, password } });

  beforeAll(async () => {
    const url = await freshDatabaseUrl();
    const dbUrl = url.startsWith('mysql:') ? url : `sqlite:${join(dir, 'cli.sqlite')}`;
    env = testEnvironment({ DB_URL: dbUrl, DATA_DIR: dir });
    t = await createTestApp({ DB_URL: dbUrl, DATA_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    await dropDatabase(env.DB_URL);
    removeDataDir(dir);
  });

  it('app create prints the app id, key name and secret once; the secret is stored sealed', async () => {
    const created = await json('bytepower', 'app', 'create', '--name', 'Shop', '--id', 'shop');
    expect(created).toEqual({
      appId: 'shop',
      keyName: expect.stringMatching(/^bpk_[0-9a-f]{24}$/),
      keySecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const row = await t.dataSource.getRepository(ServerKey).findOneByOrFail({ keyName: created.keyName as string });
    expect(row.secretSealed).not.toContain(created.keySecret);
    expect((await signup(created.keyName as string, created.keySecret as string, 'shop')).status).toBe(200);
  });

  it('app create without --id makes one up', async () => {
    expect(await json('bytepower', 'app', 'create', '--name', 'Anonymous')).toMatchObject({
      appId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('key create adds a second key, key revoke stops the first at once, key list shows both without secrets', async () => {
    const first = await json('bytepower', 'app', 'create', '--name', 'Rotating', '--id', 'rotating');
    const second = await json('bytepower', 'key', 'create', '--app', 'rotating');
    expect(second).toMatchObject({ appId: 'rotating', keyName: expect.any(String), keySecret: expect.any(String) });
    expect(await json('bytepower', 'key', 'revoke', '--key', first.keyName as string)).toEqual({ ok: true, keyName: first.keyName });
    expect((await signup(first.keyName as string, first.keySecret as string, 'r1')).status).toBe(401);
    expect((await signup(second.keyName as string, second.keySecret as string, 'r2')).status).toBe(200);
    const listed = await json('bytepower', 'key', 'list', '--app', 'rotating');
    expect(listed).toEqual({
      keys: [
        { keyName: first.keyName, createdAt: expect.any(String), revokedAt: expect.any(String) },
        { keyName: second.keyName, createdAt: expect.any(String), revokedAt: null },
      ],
    });
    expect(JSON.stringify(listed)).not.toContain(first.keySecret as string);
  });

  it('app set turns sign-up verification on and off, seen by the next request', async () => {
    const key = await json('bytepower', 'app', 'create', '--name', 'Verified', '--id', 'verified', '--signup-verification');
    const response = await signup(key.keyName as string, key.keySecret as string, 'v1');
    expect(response.body).toMatchObject({ error: { error_type: 'invalid_verify_code' } });
    expect(await json('bytepower', 'app', 'set', '--app', 'verified', '--signup-verification', 'off')).toEqual({
      ok: true,
      appId: 'verified',
      signupVerification: false,
    });
    expect((await signup(key.keyName as string, key.keySecret as string, 'v2')).status).toBe(200);
  });

  it('app create and app set --common-passwords decide whether the app takes passwords from the common list', async () => {
    const lenient = await json('bytepower', 'app', 'create', '--name', 'Lenient', '--id', 'lenient', '--common-passwords', 'allowed');
    expect((await signup(lenient.keyName as string, lenient.keySecret as string, 'l1', '123456')).status).toBe(200);

    const strict = await json('bytepower', 'app', 'create', '--name', 'Strict', '--id', 'strict');
    const refused = await signup(strict.keyName as string, strict.keySecret as string, 's1', '123456');
    expect(refused.body).toEqual({
      error: { error_type: 'invalid_parameter', message: 'email_password.password: is a commonly used password.' },
    });
    expect(await json('bytepower', 'app', 'set', '--app', 'strict', '--common-passwords', 'allowed')).toEqual({
      ok: true,
      appId: 'strict',
      allowCommonPasswords: true,
    });
    expect((await signup(strict.keyName as string, strict.keySecret as string, 's2', '123456')).status).toBe(200);
    expect(
      await json('bytepower', 'app', 'set', '--app', 'strict', '--common-passwords', 'refused', '--signup-verification', 'off'),
    ).toEqual({
      ok: true,
      appId: 'strict',
      signupVerification: false,
      allowCommonPasswords: false,
    });
    expect((await signup(strict.keyName as string, strict.keySecret as string, 's3', '123456')).status).toBe(400);
  });

  it('users list finds the users of an app', async () => {
    const key = await json('bytepower', 'app', 'create', '--name', 'Listed', '--id', 'listed');
    await signup(key.keyName as string, key.keySecret as string, 'listed');
    const listed = await json('users', 'list', '--tenant', 'bytepower-app:listed');
    expect(listed.users).toEqual([expect.objectContaining({ tenant: 'listed', tenantKind: 'bytepower-app', email: 'listed@example.com' })]);
  });

  it('seed demo adds the demo app and prints the same usable key on every run', async () => {
    const first = await json('seed', 'demo');
    expect(first).toMatchObject({ bytepowerApp: 'demo', bytepowerKeyName: expect.any(String), bytepowerKeySecret: expect.any(String) });
    expect(await json('seed', 'demo')).toEqual(first);
    expect((await signup(first.bytepowerKeyName as string, first.bytepowerKeySecret as string, 'demo')).status).toBe(200);
  });

  it.each([
    [['bytepower', 'app', 'create', '--name', 'Dup', '--id', 'dup'], /already exists/, true],
    [['bytepower', 'app', 'create', '--name', 'Bad', '--id', 'has space'], /--id must be 1 to 64/, false],
    [['bytepower', 'app', 'set', '--app', 'nope', '--signup-verification', 'on'], /no bytepower-app named nope/, false],
    [['bytepower', 'app', 'set', '--app', 'dup', '--signup-verification', 'maybe'], /--signup-verification must be on or off/, false],
    [['bytepower', 'app', 'set', '--app', 'dup'], /name a setting: --signup-verification/, false],
    [['bytepower', 'app', 'set', '--app', 'dup', '--common-passwords', 'on'], /--common-passwords must be allowed or refused/, false],
    [['bytepower', 'app', 'create', '--name', 'Bad', '--common-passwords', ''], /--common-passwords must be allowed or refused/, false],
    [['bytepower', 'key', 'create', '--app', 'nope'], /no bytepower-app named nope/, false],
    [['bytepower', 'key', 'revoke', '--key', 'bpk_nope'], /no active server key named bpk_nope/, false],
  ])('fails with the reason and prints nothing: %j', async (args, reason, needsApp) => {
    if (needsApp) {
      await json('bytepower', 'app', 'create', '--name', 'Dup', '--id', 'dup');
    }
    const { stdout, error } = await cli(...args, '--json');
    expect(stdout).toBe('');
    expect(error?.message).toMatch(reason);
  });
});
