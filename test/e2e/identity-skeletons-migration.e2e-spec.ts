import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations';
import { IdentitySkeletons1764100000000 } from '../../src/database/migrations/1764100000000-identity-skeletons';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { User } from '../../src/users/entities/user.entity';
import { emailSkeleton, usernameSkeleton } from '../../src/users/identity';
import { normalizeEmail, normalizeUsername } from '../../src/users/normalization';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, makeDataDir, removeDataDir, TestApp } from '../utils/create-test-app';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const PASSWORD = 'Tulip-Garden-42';
/** Latin, then the same name with a Cyrillic о, then with a Cyrillic ј: one skeleton, three spellings. */
const [LATIN, CYRILLIC_O, CYRILLIC_JE] = ['john', 'j\u043ehn', '\u0458ohn'];
const EARLIER = { username: LATIN, email: `${LATIN}@example.com` };
const LATER = { username: CYRILLIC_O, email: `${CYRILLIC_O}@example.com` };

/** What users made before skeletons existed hold: names only, and two look-alikes side by side. */
const skeletonsOf = async (dataSource: DataSource) =>
  (await dataSource.getRepository(User).find({ order: { id: 'ASC' } })).map(({ username, email, usernameSkeleton, emailSkeleton }) => ({
    username,
    email,
    usernameSkeleton,
    emailSkeleton,
  }));

const afterFill = [
  { ...EARLIER, usernameSkeleton: usernameSkeleton(LATIN), emailSkeleton: emailSkeleton(EARLIER.email) },
  { ...LATER, usernameSkeleton: null, emailSkeleton: null },
  { username: 'mary', email: null, usernameSkeleton: usernameSkeleton('mary'), emailSkeleton: null },
];

/** A look-alike of the earlier user, spelled unlike either stored one, registered after the fill. */
const expectLookAlikesRefused = async (t: TestApp) => {
  const register = (route: 'email' | 'username', body: object) =>
    t
      .http()
      .post(`/api/v1/register/${route}`)
      .set('x-userpool-id', 'pool')
      .send({ ...body, password: PASSWORD });
  for (const [route, body] of [
    ['username', { username: CYRILLIC_JE }],
    ['email', { email: `${CYRILLIC_JE}@example.com` }],
  ] as const) {
    const response = await register(route, body);
    expect([route, response.status, response.body.code]).toEqual([route, 409, 2026]);
  }
  expect((await register('username', { username: 'peter' })).status).toBe(200);
};

const describeOnMysql = isMysql ? describe : describe.skip;
const describeOnSqlite = isMysql ? describe.skip : describe;

describeOnMysql('migration 1764100000000 on a database with look-alike users', () => {
  let url: string;
  let t: TestApp | undefined;

  beforeAll(async () => {
    url = await freshDatabaseUrl();
    const previous = await new DataSource({
      type: 'mysql',
      url,
      migrations: MIGRATIONS.filter((migration) => migration !== IdentitySkeletons1764100000000),
      timezone: 'Z',
      supportBigNumbers: true,
      extra: { connectionLimit: 1 },
    }).initialize();
    await previous.runMigrations();
    await previous.query(
      "INSERT INTO tenants (kind, code, name, settings, created_at, updated_at) VALUES (?, 'pool', 'Pool', '{\"passwordStrength\":1}', 0, 0)",
      [USERPOOL_TENANT_KIND],
    );
    for (const { username, email } of [EARLIER, LATER, { username: 'mary', email: null }]) {
      await previous.query(
        'INSERT INTO users (tenant_id, email, email_normalized, username, username_normalized, password_hash, register_source, profile, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0, 0)',
        [email, email === null ? null : normalizeEmail(email), username, normalizeUsername(username), 'hash', 'test', '{}'],
      );
    }
    await previous.destroy();
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase(url);
  });

  it('keeps both names, gives the skeleton to the earlier user, and refuses a new look-alike after', async () => {
    t = await createTestApp({ DB_URL: url });
    expect(await skeletonsOf(t.dataSource)).toEqual(afterFill);
    await expectLookAlikesRefused(t);
  });
});

describeOnSqlite('IdentitySkeletonsService on an SQLite file whose users have no skeletons', () => {
  // Made in beforeAll: a skipped describe still runs its body, and would leave the folder behind.
  let dir: string;
  let env: Record<string, string>;
  let t: TestApp | undefined;

  beforeAll(() => {
    dir = makeDataDir();
    env = { DATA_DIR: dir, DB_URL: `sqlite:${join(dir, 'old.sqlite')}` };
  });
  afterAll(async () => {
    await t?.close();
    removeDataDir(dir);
  });

  it('fills them at start: the earlier look-alike holds the skeleton, the later keeps its name, a new one is refused', async () => {
    const before = await createTestApp(env);
    try {
      const pool = await before.app
        .get(TenantsService)
        .create({ kind: USERPOOL_TENANT_KIND, code: 'pool', name: 'Pool', settings: { passwordStrength: 1 } });
      for (const { username, email } of [EARLIER, LATER, { username: 'mary', email: null }]) {
        await before.dataSource.getRepository(User).insert({
          tenantId: pool.id,
          email,
          emailNormalized: email === null ? null : normalizeEmail(email),
          username,
          usernameNormalized: normalizeUsername(username),
          emailSkeleton: null,
          usernameSkeleton: null,
          passwordHash: 'hash',
          registerSource: 'test',
          profile: {},
          createdAt: 0,
          updatedAt: 0,
        });
      }
    } finally {
      await before.close();
    }

    t = await createTestApp(env);
    expect(await skeletonsOf(t.dataSource)).toEqual(afterFill);
    await expectLookAlikesRefused(t);
  });
});
