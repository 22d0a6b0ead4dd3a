import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as bcrypt from 'bcrypt';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { DiscuzqImportSource } from '../../src/dialects/jsonapi-users/import/discuzq-import.source';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { UserWechat } from '../../src/dialects/jsonapi-users/wechat/user-wechat.entity';
import { OutboxEvent } from '../../src/events/outbox-event.entity';
import { User } from '../../src/users/entities/user.entity';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { Clock } from '../../src/clock/clock';
import { TransactionRunnerService } from '../../src/database/transaction-runner.service';
import { UserWechatsStore } from '../../src/dialects/jsonapi-users/wechat/user-wechats.store';
import { UserEventsService } from '../../src/events/user-events.service';
import { ImportStore } from '../../src/users/import/import.store';
import { UsersStore } from '../../src/users/users.store';
import { UsersImportService } from '../../src/users/import/users-import.service';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { DISCUZQ_SERVER_URL, DiscuzqSource, DiscuzqUserFixture, LARAVEL_PASSWORD_HASH } from '../utils/discuzq-source';
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

  type Summary = { imported: number; updated: number; skipped: number; conflicts: object[]; warnings?: object[]; dryRun?: boolean };
  const importFrom = async (from: DiscuzqSource, ...extra: string[]) => {
    const result = await runCli(
      env,
      'users',
      'import',
      '--tenant',
      'site:site',
      '--from',
      'discuzq',
      '--db',
      from.url,
      '--prefix',
      'pre_',
      ...extra,
    );
    expect(result.error).toBeUndefined();
    return result;
  };
  const importing = async (...extra: string[]) => parseJsonOutput((await importFrom(source, '--json', ...extra)).stdout) as Summary;
  /** The external id of the forum's user `id`: the source's server, database and prefix, then the id. */
  const externalId = (id: number | string, from = source) => {
    const server = new URL(DISCUZQ_SERVER_URL);
    return `discuzq:${server.hostname}:${server.port || '3306'}/${from.database}/pre_:${id}`;
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
      externalId: externalId(1),
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
      imported: 2,
      updated: 0,
      skipped: 0,
      conflicts: [
        { id: '1', reason: 'status 9 is none Discuz! Q defines' },
        { id: '2', reason: 'unsupported password hash (bcrypt $2a$/$2b$/$2y$ or argon2 PHC)' },
      ],
      warnings: [{ id: '3', reason: 'mobile "12345" is not a mobile number: imported without it' }],
    });
    expect((await userNamed('ann')).phone).toBeNull();
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

  it('a second forum imported into the same site never takes the first forum users for its own', async () => {
    await source.addUsers([
      { id: 1, username: 'alice', password: LARAVEL_PASSWORD_HASH },
      { id: 2, username: 'bob', password: LARAVEL_PASSWORD_HASH, status: 1 },
    ]);
    const other = await DiscuzqSource.create('pre_');
    cleanups.push(() => other.drop());
    await other.addUsers([
      { id: 1, username: 'zoe', password: LARAVEL_PASSWORD_HASH },
      { id: 2, username: 'bob', password: LARAVEL_PASSWORD_HASH, status: 0 },
    ]);
    expect(await importing()).toEqual({ imported: 2, updated: 0, skipped: 0, conflicts: [] });
    const alice = await userNamed('alice');

    expect(parseJsonOutput((await importFrom(other, '--json')).stdout)).toEqual({
      imported: 1,
      updated: 0,
      skipped: 0,
      conflicts: [{ id: '2', reason: `username taken by user ${(await userNamed('bob')).id}` }],
    });
    expect(await userNamed('alice')).toMatchObject({ id: alice.id, externalId: externalId(1) });
    expect(await userNamed('bob')).toMatchObject({ status: 'disabled', externalId: externalId(2) });
    expect((await userNamed('zoe')).externalId).toBe(externalId(1, other));
    expect(await importing()).toEqual({ imported: 0, updated: 0, skipped: 2, conflicts: [] });
  });

  it('reads NULL as the original default, a NULL or zero created_at as the time of the import, and a NULL status as a conflict', async () => {
    await source.allowNulls();
    await source.addUsers([
      { id: 1, username: 'nomobile', password: null, mobile: null, register_reason: null },
      { id: 2, username: null, password: LARAVEL_PASSWORD_HASH, mobile: '13800138002' },
      { id: 3, username: 'nostatus', password: LARAVEL_PASSWORD_HASH, status: null },
      { id: 4, username: 'nonick', password: '' },
      { id: 5, username: 'emptywechat', password: '' },
      { id: 6, username: 'nulldate', password: '', created_at: null },
      { id: 7, username: 'zerodate', password: '', created_at: '0000-00-00 00:00:00' },
    ]);
    await source.addWechats([
      { user_id: 4, mp_openid: 'oMP_nonick', nickname: null },
      { user_id: 5, mp_openid: null, dev_openid: '', min_openid: null, unionid: null, nickname: 'ghost' },
    ]);
    const expected = { imported: 6, updated: 0, skipped: 0, conflicts: [{ id: '3', reason: 'status NULL is none Discuz! Q defines' }] };
    expect(await importing('--dry-run')).toEqual({ ...expected, dryRun: true });
    const started = Date.now();
    expect(await importing()).toEqual(expected);

    expect(await userNamed('nomobile')).toMatchObject({ phone: null, passwordHash: null, profile: {}, status: 'active' });
    const byMobile = await users().findOneByOrFail({ phoneNormalized: '+8613800138002' });
    expect(byMobile).toMatchObject({ username: null, externalId: externalId(2) });
    const nonick = await userNamed('nonick');
    expect(await t.dataSource.getRepository(UserWechat).findOneByOrFail({ userId: nonick.id })).toMatchObject({
      mpOpenid: 'oMP_nonick',
      nickname: '',
    });
    const empty = await userNamed('emptywechat');
    expect(await t.dataSource.getRepository(UserWechat).findOneBy({ userId: empty.id })).toBeNull();
    for (const username of ['nulldate', 'zerodate']) {
      expect((await userNamed(username)).createdAt).toBeGreaterThanOrEqual(started - 60_000);
    }
    expect(await importing()).toEqual({ ...expected, imported: 0, skipped: 6 });
  });

  it('keeps ids above 2^53 exact, in any batch size', async () => {
    const ids = ['9007199254740993', '9007199254740994', '9007199254740995'];
    await source.addUsers(ids.map((id, i) => ({ id, username: `big${i}`, password: LARAVEL_PASSWORD_HASH })));
    await source.addWechats([{ user_id: ids[2], mp_openid: 'oMP_big' }]);
    expect(await importing('--batch', '1', '--dry-run')).toEqual({ imported: 3, updated: 0, skipped: 0, conflicts: [], dryRun: true });
    expect(await importing('--batch', '2')).toEqual({ imported: 3, updated: 0, skipped: 0, conflicts: [] });
    expect((await users().find({ order: { id: 'ASC' } })).map((user) => user.externalId)).toEqual(ids.map((id) => externalId(id)));
    const big2 = await userNamed('big2');
    expect(await t.dataSource.getRepository(UserWechat).countBy({ userId: big2.id, mpOpenid: 'oMP_big' })).toBe(1);
    expect(await importing('--batch', '1')).toEqual({ imported: 0, updated: 0, skipped: 3, conflicts: [] });
  });

  it('reads mobiles written with spaces or dashes, and imports a user whose mobile is none without it, with a warning', async () => {
    await source.addUsers([
      { id: 1, username: 'spaced', password: '', mobile: '+86 138 0013 8003' },
      { id: 2, username: 'dashed', password: '', mobile: '138-0013-8004' },
      { id: 3, username: 'short', password: '', mobile: '1380013800' },
      { id: 4, username: 'letters', password: '', mobile: 'abcdefg' },
    ]);
    expect(await importing()).toEqual({
      imported: 4,
      updated: 0,
      skipped: 0,
      conflicts: [],
      warnings: [
        { id: '3', reason: 'mobile "1380013800" is not a mobile number: imported without it' },
        { id: '4', reason: 'mobile "abcdefg" is not a mobile number: imported without it' },
      ],
    });
    expect((await userNamed('spaced')).phoneNormalized).toBe('+8613800138003');
    expect((await userNamed('dashed')).phoneNormalized).toBe('+8613800138004');
    expect((await userNamed('short')).phone).toBeNull();
    expect((await importFrom(source)).stdout).toContain(
      'skipped 4 unchanged; 0 conflicts, 2 warnings.\nwarning: id 3: mobile "1380013800" is not a mobile number: imported without it\n',
    );
  });

  it('a re-run never puts back the old hash of a user who has set a password here since', async () => {
    await source.addUsers([{ id: 1, username: 'alice', password: LARAVEL_PASSWORD_HASH, register_reason: 'one' }]);
    await importing();
    const alice = await userNamed('alice');
    await t.app
      .get(UsersService)
      .setPassword(alice, 'Fresh-Tulip-77', await t.app.get(TenantsService).resolve('site:site'), { source: 'test' });
    const reset = (await userNamed('alice')).passwordHash;

    await source.execute("UPDATE pre_users SET register_reason = 'two', password = ? WHERE id = 1", [bobHash]);
    expect(await importing()).toEqual({ imported: 0, updated: 1, skipped: 0, conflicts: [] });
    expect(await userNamed('alice')).toMatchObject({ passwordHash: reset, profile: { registerReason: 'two' } });
    expect((await login('alice', 'Fresh-Tulip-77')).status).toBe(200);

    await source.addUsers([{ id: 2, username: 'carl', password: LARAVEL_PASSWORD_HASH }]);
    await importing();
    await source.execute('UPDATE pre_users SET password = ? WHERE id = 2', [bobHash]);
    expect(await importing()).toEqual({ imported: 0, updated: 1, skipped: 1, conflicts: [] });
    expect((await userNamed('carl')).passwordHash).toBe(bobHash);
  });

  it('a run that loses the race to another run of the same import skips (or updates) its own records, never lists them', async () => {
    await source.addUsers([
      { id: 1, username: 'alice', password: LARAVEL_PASSWORD_HASH },
      { id: 2, username: 'bob', password: LARAVEL_PASSWORD_HASH },
    ]);
    // The CLI's import module, made of the app's providers: the HTTP app does not mount it.
    const find = <T>(type: new (...args: never[]) => T) => t.app.get(type, { strict: false });
    const store = new ImportStore(users());
    const engine = new UsersImportService(store, find(UsersStore), find(TransactionRunnerService), find(UserEventsService), find(Clock));
    const loser = await new DiscuzqImportSource(find(UserWechatsStore), find(Clock)).open({ db: source.url, prefix: 'pre_' });
    cleanups.push(() => loser.close());
    const before = jest.spyOn(store, 'importedBefore');
    // The loser looked its records up before the winner committed them: the barrier between the two runs.
    before.mockImplementationOnce(async () => {
      expect(await importing()).toMatchObject({ imported: 2 });
      return [];
    });
    const tenant = await t.app.get(TenantsService).resolve('site:site');
    const summary = await engine.run({ tenant, sourceName: 'discuzq', reader: loser, batchSize: 10, dryRun: false });

    expect(summary).toEqual({ imported: 0, updated: 0, skipped: 2, conflicts: [] });
    expect(await users().count()).toBe(2);
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
