import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as bcrypt from 'bcrypt';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { UserWechat } from '../../src/dialects/jsonapi-users/wechat/user-wechat.entity';
import { OutboxEvent } from '../../src/events/outbox-event.entity';
import { User } from '../../src/users/entities/user.entity';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { DiscuzqSource, DiscuzqUserFixture, LARAVEL_PASSWORD_HASH } from '../utils/discuzq-source';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

/** Issue 19: `users import --from discuzq` from a Discuz! Q-shaped MariaDB database, into SQLite or MariaDB. */
describe('users import --from discuzq', () => {
  let env: Record<string, string>;
  let t: TestApp;
  let source: DiscuzqSource;
  /** What beforeEach made, undone in reverse order: a failed start leaves nothing behind either. */
  let cleanups: (() => Promise<void> | void)[] = [];
  /** `$2y$` hashes as Laravel makes them (bcrypt, PHP's prefix), of "bob-pass" and "密码123abc". */
  let bobHash: string;
  let hanHash: string;

  const laravelHash = async (password: string) => (await bcrypt.hash(password, 10)).replace(/^\$2b\$/, '$2y$');

  beforeAll(async () => {
    bobHash = await laravelHash('bob-pass');
    hanHash = await laravelHash('密码123abc');
  });

  beforeEach(async () => {
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'unireg.sqlite')}` };
    cleanups = [() => removeDataDir(env.DATA_DIR), () => dropDatabase(env.DB_URL)];
    source = await DiscuzqSource.create('pre_');
    cleanups.push(() => source.drop());
    t = await createTestApp(env);
    cleanups.push(() => t.close());
    await t.app.get(SiteService).seedDemo();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
  });

  const importing = async (...extra: string[]) => {
    const result = await runCli(
      env,
      'users',
      'import',
      '--tenant',
      'site:site',
      '--from',
      'discuzq',
      '--db',
      source.url,
      '--prefix',
      'pre_',
      '--json',
      ...extra,
    );
    expect(result.error).toBeUndefined();
    return parseJsonOutput(result.stdout) as { imported: number; updated: number; skipped: number; conflicts: object[]; dryRun?: boolean };
  };
  const cliError = async (...args: string[]) => (await runCli(env, 'users', 'import', ...args)).error?.message;

  const users = () => t.dataSource.getRepository(User);
  const userNamed = (username: string) =>
    users().createQueryBuilder('user').addSelect('user.passwordHash').where({ username }).getOneOrFail();
  const events = () => t.dataSource.getRepository(OutboxEvent).find({ order: { id: 'ASC' } });

  const post = (path: string, attributes: Record<string, unknown>) =>
    t.http().post(path).set('Content-Type', 'application/json').send({ data: { attributes } });
  const login = (username: string, password: string) => post('/api/login', { username, password });

  /** A forum with every status, a phone user, a WeChat user, a Chinese name, and two look-alikes of its own. */
  const FORUM: DiscuzqUserFixture[] = [
    {
      id: 1,
      username: 'alice',
      password: LARAVEL_PASSWORD_HASH,
      mobile: '13800138001',
      register_reason: '想参与讨论',
      login_at: '2020-11-18 09:30:00',
      last_login_ip: '203.0.113.5',
      created_at: '2020-11-17 10:00:00',
      pay_password: LARAVEL_PASSWORD_HASH,
      realname: '张三',
    },
    { id: 2, username: 'bob', password: '', status: 1 },
    { id: 3, username: 'carol', password: LARAVEL_PASSWORD_HASH, status: 2, register_reason: '我想加入' },
    { id: 4, username: 'dave', password: LARAVEL_PASSWORD_HASH, status: 3 },
    { id: 5, username: 'erin', password: LARAVEL_PASSWORD_HASH, status: 4 },
    { id: 6, username: 'frank', password: '', mobile: '13800138006' },
    { id: 7, username: '中文用户', password: '' },
    { id: 8, username: 'wechatuser', password: '' },
    { id: 9, username: 'Taken', password: LARAVEL_PASSWORD_HASH },
    { id: 10, username: 'jоhn', password: LARAVEL_PASSWORD_HASH },
    { id: 11, username: 'grace', password: LARAVEL_PASSWORD_HASH },
    { id: 12, username: 'paypal', password: LARAVEL_PASSWORD_HASH },
    { id: 13, username: 'paypaI', password: LARAVEL_PASSWORD_HASH },
  ];

  const seedForum = async () => {
    await source.addUsers(
      FORUM.map((user) => (user.id === 2 ? { ...user, password: bobHash } : user.id === 7 ? { ...user, password: hanHash } : user)),
    );
    await source.addWechats([
      {
        user_id: 8,
        mp_openid: 'oMP_wechatuser',
        unionid: 'oUN_wechatuser',
        nickname: '微信用户',
        sex: 2,
        city: '深圳',
        headimgurl: 'https://example.com/a.png',
      },
      { user_id: 11, mp_openid: 'oMP_taken', nickname: 'grace' },
      { user_id: null, mp_openid: 'oMP_unbound', nickname: 'nobody' },
    ]);
  };

  /** unireg's own users before the import: `taken`, `john`, and a user bound to the WeChat id grace brings. */
  const seedUnireg = async () => {
    for (const username of ['taken', 'john', 'owner']) {
      expect((await post('/api/register', { username, password: 'Tulip-Garden-42' })).status).toBe(200);
    }
    const owner = await userNamed('owner');
    await t.dataSource.getRepository(UserWechat).insert({
      tenantId: owner.tenantId,
      userId: owner.id,
      mpOpenid: 'oMP_taken',
      devOpenid: null,
      minOpenid: null,
      unionid: null,
      nickname: 'owner',
      sex: 0,
      province: '',
      city: '',
      country: '',
      headimgurl: '',
      createdAt: 1,
      updatedAt: 1,
    });
  };

  it('brings usernames, hashes, mobiles, statuses, reasons, times and WeChat bindings, lists conflicts, and never writes the source', async () => {
    await seedForum();
    await seedUnireg();
    const before = await source.checksum();

    const summary = await importing();

    expect(summary).toEqual({
      imported: 11,
      updated: 0,
      skipped: 0,
      conflicts: [
        { id: '9', reason: expect.stringMatching(/^username taken by user \d+$/) },
        { id: '10', reason: expect.stringMatching(/^username looks like that of user \d+$/) },
        { id: '11', reason: 'WeChat mp_openid oMP_taken is bound to another user: binding left out' },
      ],
    });
    expect(await source.checksum()).toBe(before);

    const alice = await userNamed('alice');
    expect(alice).toMatchObject({
      externalId: 'discuzq:1',
      passwordHash: LARAVEL_PASSWORD_HASH,
      phone: '13800138001',
      phoneNormalized: '+8613800138001',
      status: 'active',
      registerSource: 'import:discuzq',
      profile: { registerReason: '想参与讨论' },
      createdAt: Date.parse('2020-11-17T10:00:00+08:00'),
      lastLoginAt: Date.parse('2020-11-18T09:30:00+08:00'),
      lastIp: '203.0.113.5',
      loginsCount: 0,
    });
    expect(alice.profile).toEqual({ registerReason: '想参与讨论' });
    const statuses = Object.fromEntries((await users().find()).map((user) => [user.username, user.status]));
    expect(statuses).toMatchObject({ bob: 'disabled', carol: 'pending_review', dave: 'rejected', erin: 'pending_review', frank: 'active' });
    expect((await userNamed('frank')).passwordHash).toBeNull();
    const wechatUser = await userNamed('wechatuser');
    expect(await t.dataSource.getRepository(UserWechat).findOneByOrFail({ userId: wechatUser.id })).toMatchObject({
      mpOpenid: 'oMP_wechatuser',
      devOpenid: null,
      minOpenid: null,
      unionid: 'oUN_wechatuser',
      nickname: '微信用户',
      sex: 2,
      city: '深圳',
    });
    expect(await t.dataSource.getRepository(UserWechat).countBy({ mpOpenid: 'oMP_unbound' })).toBe(0);
    const grace = await userNamed('grace');
    expect(await t.dataSource.getRepository(UserWechat).findOneBy({ userId: grace.id })).toBeNull();
    // Two look-alikes of the forum's own both come over: the earlier keeps the skeleton.
    expect((await userNamed('paypal')).usernameSkeleton).not.toBeNull();
    expect((await userNamed('paypaI')).usernameSkeleton).toBeNull();

    const created = (await events()).filter((event) => event.type === 'user.created' && event.payload.includes('import:discuzq'));
    expect(created).toHaveLength(11);
    expect(JSON.parse(created[0].payload)).toMatchObject({
      data: { user: { username: 'alice', mobile: '+8613800138001' }, source: 'import:discuzq' },
    });
  });

  it('imported users sign in with their old passwords, by name or mobile; banned and review users hear the dialect; hashes upgrade once', async () => {
    await seedForum();
    await importing();

    const signedIn = await login('alice', 'password');
    expect(signedIn.status).toBe(200);
    const own = await t
      .http()
      .get(`/api/users/${signedIn.body.data.id}`)
      .set('Authorization', `Bearer ${signedIn.body.data.attributes.access_token}`);
    expect(own.body.data.attributes).toMatchObject({ username: 'alice', registerReason: '想参与讨论' });
    const upgraded = (await userNamed('alice')).passwordHash;
    expect(upgraded).toMatch(/^\$2b\$04\$/);
    expect(await bcrypt.compare('password', upgraded!)).toBe(true);
    expect((await login('13800138001', 'password')).status).toBe(200);
    expect((await userNamed('alice')).passwordHash).toBe(upgraded);
    expect((await login('alice', 'wrong')).body.errors[0].code).toBe('login_failed');

    expect((await login('中文用户', '密码123abc')).status).toBe(200);
    expect((await userNamed('中文用户')).passwordHash).toMatch(/^\$2b\$04\$/);

    const answers: Record<string, string> = {
      bob: 'ban_user',
      carol: 'register_validate',
      dave: 'validate_reject',
      erin: 'register_validate',
    };
    for (const [username, code] of Object.entries(answers)) {
      const refused = await login(username, username === 'bob' ? 'bob-pass' : 'password');
      expect({ username, status: refused.status, code: refused.body.errors[0].code }).toEqual({ username, status: 401, code });
    }
    expect((await login('bob', 'wrong')).body.errors[0].code).toBe('login_failed');
    // No hash: no password matches; the user signs in by SMS code or resets.
    expect((await login('frank', '')).status).not.toBe(200);
    expect((await login('frank', 'password')).body.errors[0].code).toBe('login_failed');
  });

  it('a re-run skips what did not change, updates a changed row once, and --dry-run writes nothing', async () => {
    await seedForum();
    const dry = await importing('--dry-run');
    expect(dry).toEqual({ imported: 13, updated: 0, skipped: 0, conflicts: [], dryRun: true });
    expect(await users().count()).toBe(0);
    expect(await events()).toEqual([]);
    expect(await t.dataSource.getRepository(UserWechat).count()).toBe(0);

    expect(await importing()).toMatchObject({ imported: 13, updated: 0, skipped: 0, conflicts: [] });
    expect(await importing()).toEqual({ imported: 0, updated: 0, skipped: 13, conflicts: [] });

    await source.execute("UPDATE pre_users SET mobile = '13900139000', status = 1, register_reason = '换了' WHERE id = 1");
    await source.execute("UPDATE pre_user_wechats SET nickname = '新昵称', dev_openid = 'oDEV_wechatuser' WHERE user_id = 8");
    expect(await importing('--dry-run')).toEqual({ imported: 0, updated: 2, skipped: 11, conflicts: [], dryRun: true });
    expect((await userNamed('alice')).phone).toBe('13800138001');
    expect(await importing()).toEqual({ imported: 0, updated: 2, skipped: 11, conflicts: [] });
    expect(await userNamed('alice')).toMatchObject({
      phone: '13900139000',
      phoneNormalized: '+8613900139000',
      status: 'disabled',
      tokenEpoch: 1,
      profile: { registerReason: '换了' },
    });
    const wechatUser = await userNamed('wechatuser');
    expect(await t.dataSource.getRepository(UserWechat).findOneByOrFail({ userId: wechatUser.id })).toMatchObject({
      nickname: '新昵称',
      devOpenid: 'oDEV_wechatuser',
      mpOpenid: 'oMP_wechatuser',
    });
    expect((await events()).filter((event) => event.type === 'user.updated')).toHaveLength(2);
    expect(await importing()).toEqual({ imported: 0, updated: 0, skipped: 13, conflicts: [] });
    expect(await users().count()).toBe(13);
  });

  it('reads the prefix and time zone it is given, and refuses what it cannot read with one reason', async () => {
    await source.addUsers([{ id: 1, username: 'zed', password: LARAVEL_PASSWORD_HASH, created_at: '2020-01-01 00:00:00', status: 9 }]);
    await source.addUsers([{ id: 2, username: 'amy', password: 'md5$abc', created_at: '2020-01-01 00:00:00' }]);
    await source.addUsers([
      { id: 3, username: 'ann', password: LARAVEL_PASSWORD_HASH, mobile: '12345', created_at: '2020-01-01 00:00:00' },
    ]);
    await source.addUsers([{ id: 4, username: 'ivy', password: LARAVEL_PASSWORD_HASH, created_at: '2020-01-01 00:00:00' }]);
    expect(await importing('--timezone', '-05:00')).toEqual({
      imported: 1,
      updated: 0,
      skipped: 0,
      conflicts: [
        { id: '1', reason: 'status 9 is none Discuz! Q defines' },
        { id: '2', reason: 'unsupported password hash (bcrypt $2a$/$2b$/$2y$ or argon2 PHC)' },
        { id: '3', reason: 'phone is not a mobile number (E.164, or 11 mainland digits)' },
      ],
    });
    expect((await userNamed('ivy')).createdAt).toBe(Date.parse('2020-01-01T00:00:00-05:00'));

    const site = ['--tenant', 'site:site', '--from', 'discuzq'];
    expect(await cliError(...site)).toBe('--from discuzq needs --db mysql://user:password@host:port/database');
    expect(await cliError(...site, '--db', source.url)).toMatch(
      /^the database has no table users: is it a Discuz! Q database, and is --prefix right\?$/,
    );
    expect(await cliError(...site, '--db', source.url, '--prefix', 'pre_', '--timezone', 'Asia/Shanghai')).toBe(
      '--timezone must be an offset such as +08:00',
    );
    expect(await cliError(...site, '--db', 'postgres://x/y')).toBe('--db must be a mysql:// URL');
    expect(await cliError(...site, '--db', 'mysql://root@127.0.0.1:1/none')).toMatch(/^cannot connect to the Discuz! Q database: /);
    expect(await cliError('--tenant', 'site:site', '--from', 'nope', '--db', source.url)).toBe('--from must be one of jsonl, discuzq');
    expect(await cliError(...site, '--db', source.url, '--batch', '0')).toBe('--batch must be a whole number from 1 to 5000');
    await runCli(env, 'userpool', 'create', '--name', 'pool', '--id', 'pool');
    expect(await cliError('--tenant', 'userpool:pool', '--from', 'discuzq', '--db', source.url)).toBe(
      '--from discuzq imports into site tenants, not userpool:pool',
    );
  });

  it('a run killed mid-way leaves whole batches, and a re-run finishes with exact totals', async () => {
    const total = 30_000;
    const forum: DiscuzqUserFixture[] = Array.from({ length: total }, (_, i) => ({
      id: i + 1,
      username: `member${i + 1}`,
      password: LARAVEL_PASSWORD_HASH,
      mobile: i % 3 === 0 ? `139${String(i).padStart(8, '0')}` : '',
    }));
    await source.addUsers(forum);
    const batch = 500;
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'src/cli.ts',
        'users',
        'import',
        '--tenant',
        'site:site',
        '--from',
        'discuzq',
        '--db',
        source.url,
        '--prefix',
        'pre_',
        '--batch',
        String(batch),
        '--json',
      ],
      { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let seen = 0;
    const counter = await userCounter(env.DB_URL);
    try {
      while (seen === 0) {
        seen = await counter.count();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill('SIGKILL');
      await exited;
      seen = await counter.count();
    } finally {
      await counter.close();
    }
    expect(seen % batch).toBe(0);
    expect(seen).toBeLessThan(total);
    expect((await events()).length).toBe(seen);

    expect(await importing()).toEqual({ imported: total - seen, updated: 0, skipped: seen, conflicts: [] });
    expect(await users().count()).toBe(total);
    expect((await events()).length).toBe(total);
  }, 180_000);
});

/** Counts the users of the app's database from outside the app, as the CLI process writes them. */
async function userCounter(dbUrl: string): Promise<{ count(): Promise<number>; close(): Promise<void> }> {
  if (dbUrl.startsWith('mysql://')) {
    const connection = await createConnection(dbUrl);
    return {
      count: async () => {
        const [rows] = await connection.query('SELECT COUNT(*) AS n FROM users');
        return Number((rows as { n: number }[])[0].n);
      },
      close: () => connection.end(),
    };
  }
  const database = new Database(dbUrl.slice('sqlite:'.length), { readonly: true, timeout: 5000 });
  return {
    count: () => Promise.resolve(Number((database.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n)),
    close: () => {
      database.close();
      return Promise.resolve();
    },
  };
}
