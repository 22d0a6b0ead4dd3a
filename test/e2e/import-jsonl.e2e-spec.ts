import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { OutboxEvent } from '../../src/events/outbox-event.entity';
import { User } from '../../src/users/entities/user.entity';
import { ImportStore } from '../../src/users/import/import.store';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

/** The example of docs/migrating.md: bcrypt in every prefix, argon2id, no hash, no external id. */
const EXAMPLE = join(__dirname, '..', '..', 'docs', 'examples', 'users.jsonl');
const PASSWORDS: Record<string, string> = {
  'ada@example.com': 'Correct-Horse-2a',
  bert: 'Correct-Horse-2b',
  cleo: 'Correct-Horse-2y',
  'dora@example.com': 'Correct-Horse-argon2',
};

/** Issue 19: `users import --from jsonl`, into any tenant kind, on SQLite or MariaDB. */
describe('users import --from jsonl', () => {
  let env: Record<string, string>;
  let t: TestApp;
  /** What beforeEach made, undone in reverse order: a failed start leaves nothing behind either. */
  let cleanups: (() => Promise<void> | void)[] = [];

  beforeEach(async () => {
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'unireg.sqlite')}` };
    cleanups = [() => removeDataDir(env.DATA_DIR), () => dropDatabase(env.DB_URL)];
    t = await createTestApp(env);
    cleanups.push(() => t.close());
    expect((await runCli(env, 'userpool', 'create', '--name', 'pool', '--id', 'pool')).error).toBeUndefined();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
  });

  const importing = async (tenant: string, file: string, ...extra: string[]) => {
    const result = await runCli(env, 'users', 'import', '--tenant', tenant, '--from', 'jsonl', '--file', file, '--json', ...extra);
    expect(result.error).toBeUndefined();
    return parseJsonOutput(result.stdout);
  };
  const fileOf = (name: string, lines: string[]) => {
    const path = join(env.DATA_DIR, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const users = () => t.dataSource.getRepository(User);
  const hashOf = async (where: Partial<User>) =>
    (await users().createQueryBuilder('user').addSelect('user.passwordHash').where(where).getOneOrFail()).passwordHash;
  const poolLogin = (account: string, password: string) =>
    t.http().post('/api/v1/login/account').set('x-userpool-id', 'pool').send({ account, password });

  it('imports the documented example into a userpool; every hash form signs in once and is upgraded; a re-run skips it all', async () => {
    expect(await importing('userpool:pool', EXAMPLE)).toEqual({ imported: 6, updated: 0, skipped: 0, conflicts: [] });
    expect(await users().findOneByOrFail({ email: 'ada@example.com' })).toMatchObject({
      externalId: 'u-1001',
      emailVerified: true,
      createdAt: Date.parse('2021-03-04T05:06:07Z'),
      profile: { nickname: 'Ada' },
      registerSource: 'import:jsonl',
    });
    expect(await users().findOneByOrFail({ email: 'eve@example.com' })).toMatchObject({ phoneNormalized: '+8613800138005' });
    expect(await users().findOneByOrFail({ email: 'finn@example.com' })).toMatchObject({
      externalId: 'email:finn@example.com',
      createdAt: 1609459200000,
    });
    expect(await hashOf({ email: 'dora@example.com' })).toMatch(/^\$argon2id\$/);

    for (const [account, password] of Object.entries(PASSWORDS)) {
      const response = await poolLogin(account, password);
      expect({ account, status: response.status, code: response.body.code }).toEqual({ account, status: 200, code: 0 });
      const where = account.includes('@') ? { email: account } : { username: account };
      expect(await hashOf(where)).toMatch(/^\$2b\$04\$/);
      expect((await poolLogin(account, password)).body.code).toBe(0);
    }
    // No hash: the user signs in by code or resets.
    expect((await poolLogin('eve@example.com', '')).body.code).not.toBe(0);
    expect(await hashOf({ email: 'eve@example.com' })).toBeNull();

    const events = await t.dataSource.getRepository(OutboxEvent).findBy({ type: 'user.created' });
    expect(events.map((event) => (JSON.parse(event.payload) as { data: { source: string } }).data.source)).toEqual(
      Array(6).fill('import:jsonl'),
    );

    expect(await importing('userpool:pool', EXAMPLE)).toEqual({ imported: 0, updated: 0, skipped: 6, conflicts: [] });
    const changed = readFileSync(EXAMPLE, 'utf8').replace('"nickname":"Ada"', '"nickname":"Ada L."');
    expect(await importing('userpool:pool', fileOf('changed.jsonl', [changed.trimEnd()]))).toEqual({
      imported: 0,
      updated: 1,
      skipped: 5,
      conflicts: [],
    });
    expect((await users().findOneByOrFail({ email: 'ada@example.com' })).profile).toEqual({ nickname: 'Ada L.' });
    // Ada has signed in here since: her upgraded hash is unireg's now, and a re-run keeps it.
    expect(await hashOf({ email: 'ada@example.com' })).toMatch(/^\$2b\$04\$/);
    expect(await users().count()).toBe(6);
  });

  it('reports each malformed line with its number and imports the rest', async () => {
    const good = (n: number) => JSON.stringify({ external_id: `g${n}`, email: `good${n}@example.com` });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10; i++) {
      deep = { deeper: deep };
    }
    const file = fileOf('mixed.jsonl', [
      good(1),
      '{"email": "broken@example.com"',
      '["an", "array"]',
      '{"email":"x@example.com","role":"admin"}',
      '{"email":42}',
      '{"email":"not-an-address"}',
      JSON.stringify({ username: 'zero\u200bwidth' }),
      '{"phone":"+442071838750"}',
      '{"email":"md5@example.com","password_hash":"5f4dcc3b5aa765d61d8327deb882cf99"}',
      '{"email":"proto@example.com","profile":{"__proto__":{"admin":true}}}',
      JSON.stringify({ email: 'deep@example.com', profile: deep }),
      JSON.stringify({ email: 'huge@example.com', profile: { note: 'x'.repeat(70_000) } }),
      '',
      '{"email":"late@example.com","created_at":"2021-03-04 05:06:07"}',
      '{}',
      good(2).replace('good2', 'good1'),
      good(3),
      JSON.stringify({ external_id: 'g3', email: 'again@example.com' }),
      '{"email":"flag@example.com","email_verified":"yes"}',
    ]);
    expect(await importing('userpool:pool', file)).toEqual({
      imported: 2,
      updated: 0,
      skipped: 0,
      conflicts: [
        { line: 2, reason: 'not JSON' },
        { line: 3, reason: 'not a JSON object' },
        { line: 4, reason: 'unknown field "role"' },
        { line: 5, reason: 'email must be a string' },
        { line: 6, reason: 'invalid email' },
        { line: 7, reason: 'invalid username' },
        { line: 8, reason: 'phone is not a mobile number (E.164, or 11 mainland digits)' },
        { line: 9, reason: 'unsupported password hash (bcrypt $2a$/$2b$/$2y$ or argon2 PHC)' },
        { line: 10, reason: 'profile holds the key "__proto__"' },
        { line: 11, reason: 'profile nested deeper than 8 levels' },
        { line: 12, reason: 'line longer than 65536 bytes' },
        { line: 14, reason: 'created_at must be ISO 8601 with a time zone, or epoch milliseconds' },
        { line: 15, reason: 'no email, username or phone' },
        { line: 18, reason: 'external id g3 repeats line 17' },
        { line: 19, reason: 'email_verified must be true or false' },
        { line: 16, reason: expect.stringMatching(/^email taken by (user \d+|the record imported as g1)$/) },
      ],
    });
    expect((await users().find({ order: { id: 'ASC' } })).map((user) => user.email)).toEqual(['good1@example.com', 'good3@example.com']);
  });

  it('lists identities taken by users registered here, never merging; a run without external ids is idempotent by identity', async () => {
    const registered = await t
      .http()
      .post('/api/v1/register/email')
      .set('x-userpool-id', 'pool')
      .send({ email: 'Native@Example.com', password: 'Tulip-Garden-42' });
    expect(registered.status).toBe(200);
    const file = fileOf('plain.jsonl', [
      '{"email":"native@example.com","password_hash":null}',
      '{"email":"nаtive@example.com"}',
      '{"email":"new@example.com","username":"newbie"}',
      '{"username":"NEWBIE"}',
    ]);
    const first = await importing('userpool:pool', file, '--dry-run');
    expect(first).toEqual({
      imported: 1,
      updated: 0,
      skipped: 0,
      dryRun: true,
      conflicts: [
        { line: 1, reason: expect.stringMatching(/^email taken by user \d+$/) },
        { line: 2, reason: expect.stringMatching(/^email looks like that of user \d+$/) },
        { line: 4, reason: 'username taken by the record imported as email:new@example.com' },
      ],
    });
    expect(await users().count()).toBe(1);
    const second = await importing('userpool:pool', file);
    expect(second).toMatchObject({ imported: 1, skipped: 0 });
    expect(await importing('userpool:pool', file)).toMatchObject({ imported: 0, updated: 0, skipped: 1 });
    expect(await users().count()).toBe(2);
  });

  it('a registration racing a batch to an identity makes that batch go record by record: only the loser is listed', async () => {
    const { owners } = Object.getOwnPropertyDescriptors(ImportStore.prototype);
    // The registration lands after the batch's look-up and before its INSERT, as a real race would.
    const race = jest.spyOn(ImportStore.prototype, 'owners').mockImplementation(async function (this: ImportStore, ...args) {
      const found = await (owners.value as ImportStore['owners']).apply(this, args);
      const registered = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'pool')
        .send({ email: 'racer@example.com', password: 'Tulip-Garden-42' });
      expect(registered.status).toBe(200);
      return found;
    });
    try {
      const file = fileOf('race.jsonl', ['{"email":"first@example.com"}', '{"email":"Racer@example.com"}', '{"email":"last@example.com"}']);
      expect(await importing('userpool:pool', file)).toEqual({
        imported: 2,
        updated: 0,
        skipped: 0,
        conflicts: [{ line: 2, reason: 'email taken meanwhile' }],
      });
    } finally {
      race.mockRestore();
    }
    expect((await users().find({ order: { id: 'ASC' } })).map((user) => [user.email, user.registerSource])).toEqual([
      ['racer@example.com', expect.not.stringMatching(/^import:/)],
      ['first@example.com', 'import:jsonl'],
      ['last@example.com', 'import:jsonl'],
    ]);
    expect(await t.dataSource.getRepository(OutboxEvent).countBy({ type: 'user.created' })).toBe(3);
  });

  it('imports into any tenant kind: a Discuz! Q site signs its users in by name with the imported hash', async () => {
    await t.app.get(SiteService).seedDemo();
    expect(await importing('site:site', EXAMPLE)).toMatchObject({ imported: 6, conflicts: [] });
    const response = await t
      .http()
      .post('/api/login')
      .set('Content-Type', 'application/json')
      .send({ data: { attributes: { username: 'cleo', password: 'Correct-Horse-2y' } } });
    expect(response.status).toBe(200);
    expect(await hashOf({ username: 'cleo' })).toMatch(/^\$2b\$04\$/);
    const failure = await runCli(
      env,
      'users',
      'import',
      '--tenant',
      'site:site',
      '--from',
      'jsonl',
      '--file',
      join(env.DATA_DIR, 'none.jsonl'),
    );
    expect(failure.error?.message).toBe(`cannot read ${join(env.DATA_DIR, 'none.jsonl')}`);
    const noFile = await runCli(env, 'users', 'import', '--tenant', 'site:site', '--from', 'jsonl');
    expect(noFile.error?.message).toBe('--from jsonl needs --file <path>');
  });

  it('reads a pipe once and a file with a byte order mark; refuses costly hashes and impossible times line by line', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const output = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
    const file = fileOf('hostile.jsonl', [
      '\ufeff{"email":"bom@example.com"}',
      JSON.stringify({ email: 'slow@example.com', password_hash: `$argon2id$v=19$m=19456,t=4294967295,p=1$${salt}$${output}` }),
      JSON.stringify({ email: 'huge@example.com', password_hash: `$argon2id$v=19$m=4194304,t=1000,p=1$${salt}$${output}` }),
      '{"email":"garbage@example.com","password_hash":"$argon2id$garbage"}',
      '{"email":"cost@example.com","password_hash":"$2y$31$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi"}',
      '{"email":"far@example.com","created_at":8640000000000001}',
      '{"email":"max@example.com","created_at":9007199254740991}',
      '{"email":"feb@example.com","created_at":"2021-02-30T00:00:00Z"}',
      '{"email":"zero@example.com","created_at":"0000-01-01T00:00:00Z"}',
      '{"email":"last@example.com","created_at":"2021-02-28T00:00:00Z"}',
    ]);
    const unsupported = 'unsupported password hash (bcrypt $2a$/$2b$/$2y$ or argon2 PHC)';
    const time = 'created_at must be a real time from 1970-01-01T00:00:00Z to a day from now';
    const expected = {
      imported: 2,
      updated: 0,
      skipped: 0,
      conflicts: [
        { line: 2, reason: unsupported },
        { line: 3, reason: unsupported },
        { line: 4, reason: unsupported },
        { line: 5, reason: unsupported },
        { line: 6, reason: time },
        { line: 7, reason: time },
        { line: 8, reason: time },
        { line: 9, reason: time },
      ],
    };
    expect(await importing('userpool:pool', file, '--dry-run')).toEqual({ ...expected, dryRun: true });
    const fifo = join(env.DATA_DIR, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', file, fifo], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.on('exit', resolve));
    expect(await importing('userpool:pool', fifo)).toEqual(expected);
    expect(await written).toBe(0);
    expect((await users().find({ order: { id: 'ASC' } })).map((user) => [user.email, user.createdAt])).toEqual([
      ['bom@example.com', expect.any(Number)],
      ['last@example.com', Date.parse('2021-02-28T00:00:00Z')],
    ]);

    const device = await runCli(env, 'users', 'import', '--tenant', 'userpool:pool', '--from', 'jsonl', '--file', '/dev/zero');
    expect(device.error?.message).toBe('/dev/zero is not a file or a pipe');
  });
});
