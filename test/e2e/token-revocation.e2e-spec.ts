import { join } from 'node:path';
import { decode, sign } from 'jsonwebtoken';
import { IsNull, Not } from 'typeorm';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { RefreshToken } from '../../src/tokens/entities/refresh-token.entity';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const JSONAPI = 'application/vnd.api+json';
const BYTEPOWER = 'application/vnd.bytepower.v1+json';
const PASSWORD = 'correct-horse-7';

interface TokenPair {
  id: string;
  access: string;
  refresh: string;
}

/** The HTTP calls of jsonapi-users and bytepower that these tests need, on one test app whose clock says `now`. */
function clientOf(app: () => TestApp, now: () => number) {
  const jsonapi = (path: string, attributes: Record<string, unknown>) =>
    app().http().post(path).set('Content-Type', JSONAPI).set('Accept', JSONAPI).send({ data: { attributes } });
  const pairOf = (response: { status: number; body: any }): TokenPair => {
    expect(response.status).toBe(200);
    const { id, attributes } = response.body.data;
    return { id, access: attributes.access_token, refresh: attributes.refresh_token };
  };
  const mint = (key: IssuedAppKey) => sign({ key_name: key.keyName, iat: Math.floor(now() / 1000) }, key.keySecret);
  return {
    register: async (username: string) => pairOf(await jsonapi('/api/register', { username, password: PASSWORD })),
    login: async (username: string) => pairOf(await jsonapi('/api/login', { username, password: PASSWORD })),
    refresh: (refreshToken: string) => jsonapi('/api/refresh-token', { refresh_token: refreshToken }),
    pairOf,
    /** The status of GET /api/users/{id} with the access token: 200, or 401 for a refused token. */
    userStatus: async (id: string, access: string) =>
      (await app().http().get(`/api/users/${id}`).set('Accept', JSONAPI).set('Authorization', `Bearer ${access}`)).status,
    bytepowerSignup: async (key: IssuedAppKey, name: string) => {
      const response = await app()
        .http()
        .post('/bp/server/user/signup')
        .set('Accept', BYTEPOWER)
        .set('X-BytePower-Auth-Token', mint(key))
        .send({ name_password: { name, password: PASSWORD } });
      expect(response.status).toBe(200);
      const { uid, session } = response.body.user as { uid: string; session: { session_token: string } };
      return { id: uid.replace(/^u/, ''), session: session.session_token };
    },
    /** The status of GET /bp/server/user/me with the session: 200, or 401 for a refused session. */
    meStatus: async (key: IssuedAppKey, session: string) =>
      (
        await app()
          .http()
          .get('/bp/server/user/me')
          .set('Accept', BYTEPOWER)
          .set('X-BytePower-Auth-Token', mint(key))
          .set('X-BytePower-Session-Token', session)
      ).status,
  };
}

describe('access tokens and sessions that end with their family, their user and the token epoch', () => {
  const clock = new FakeClock();
  let t: TestApp;
  const client = clientOf(
    () => t,
    () => clock.now(),
  );
  const { register, login, refresh, pairOf, userStatus } = client;
  const claimsOf = (token: string) => decode(token, { json: true })!;
  const window = () => t.config.tokens.refreshReuseSeconds;

  beforeAll(async () => {
    t = await createTestApp({}, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('a refresh token replayed after the retry window ends its family: both access tokens of the family answer 401', async () => {
    await register('alice');
    const first = await login('alice');
    const second = pairOf(await refresh(first.refresh));
    expect(await userStatus(first.id, first.access)).toBe(200);
    expect(await userStatus(first.id, second.access)).toBe(200);
    clock.advance(window() + 1);
    const replayed = await refresh(first.refresh);
    expect({ status: replayed.status, code: replayed.body.errors[0].code }).toEqual({ status: 401, code: 'invalid_refresh_token' });
    const refused = await t.http().get(`/api/users/${first.id}`).set('Authorization', `Bearer ${first.access}`);
    expect({ status: refused.status, body: refused.body }).toEqual({
      status: 401,
      body: { errors: [{ status: '401', code: 'access_denied', detail: ['拒绝访问。'] }] },
    });
    expect(await userStatus(first.id, second.access)).toBe(401);
    expect((await refresh(second.refresh)).status).toBe(401);
    const other = await login('alice');
    expect(await userStatus(other.id, other.access)).toBe(200);
  });

  it('a refresh token presented again within REFRESH_REUSE_SECONDS of its first use is a retry: the same refresh token, a new access token', async () => {
    const first = await register('alice');
    const rotated = pairOf(await refresh(first.refresh));
    clock.advance(window());
    const retried = pairOf(await refresh(first.refresh));
    expect(retried.refresh).toBe(rotated.refresh);
    expect(retried.access).not.toBe(rotated.access);
    expect(claimsOf(retried.access).sid).toBe(claimsOf(first.access).sid);
    for (const pair of [first, rotated, retried]) {
      expect(await userStatus(pair.id, pair.access)).toBe(200);
    }
    const next = pairOf(await refresh(rotated.refresh));
    expect(pairOf(await refresh(retried.refresh)).refresh).toBe(next.refresh);
    expect(await t.dataSource.getRepository(RefreshToken).count()).toBe(3);
  });

  it("a copy used within the retry window shares the client's one chain, and the first later replay of a spent token ends the family", async () => {
    const first = await register('alice');
    const thief = pairOf(await refresh(first.refresh));
    const client = pairOf(await refresh(first.refresh));
    expect(thief.refresh).toBe(client.refresh);
    clock.advance(window() + 1);
    const clientNext = pairOf(await refresh(client.refresh));
    clock.advance(window() + 1);
    const refused = await refresh(thief.refresh);
    expect({ status: refused.status, code: refused.body.errors[0].code }).toEqual({ status: 401, code: 'invalid_refresh_token' });
    for (const pair of [first, thief, client, clientNext]) {
      expect(await userStatus(pair.id, pair.access)).toBe(401);
    }
    expect((await refresh(clientNext.refresh)).status).toBe(401);
  });

  it('a spent token presented again after one of its children went on is reuse, even within the retry window', async () => {
    const first = await register('alice');
    const next = pairOf(await refresh(first.refresh));
    const after = pairOf(await refresh(next.refresh));
    expect((await refresh(first.refresh)).status).toBe(401);
    expect(await userStatus(after.id, after.access)).toBe(401);
    expect((await refresh(after.refresh)).status).toBe(401);
  });

  it('10 concurrent refreshes with one token all get the same refresh token and working access tokens; every tab goes on with that one chain', async () => {
    const first = await register('alice');
    const tabs = (await Promise.all(Array.from({ length: 10 }, () => refresh(first.refresh)))).map(pairOf);
    expect(new Set(tabs.map((pair) => pair.refresh)).size).toBe(1);
    expect(new Set(tabs.map((pair) => pair.access)).size).toBe(10);
    expect(await t.dataSource.getRepository(RefreshToken).count()).toBe(2);
    for (const pair of [first, ...tabs]) {
      expect(await userStatus(pair.id, pair.access)).toBe(200);
    }
    let current = tabs[0].refresh;
    for (let round = 0; round < 3; round++) {
      clock.advance(window() + 1);
      const next = (await Promise.all(Array.from({ length: 10 }, () => refresh(current)))).map(pairOf);
      expect(new Set(next.map((pair) => pair.refresh)).size).toBe(1);
      for (const pair of next) {
        expect(await userStatus(pair.id, pair.access)).toBe(200);
      }
      current = next[0].refresh;
    }
    expect(await t.dataSource.getRepository(RefreshToken).count()).toBe(5);
    expect(await t.dataSource.getRepository(RefreshToken).countBy({ revokedAt: Not(IsNull()) })).toBe(0);
    expect((await refresh(tabs[7].refresh)).status).toBe(401);
    expect(await t.dataSource.getRepository(RefreshToken).countBy({ revokedAt: IsNull() })).toBe(0);
    expect((await refresh(current)).status).toBe(401);
  });

  it('two access tokens issued in the same second for one user differ, each with a jti, the epoch and its family', async () => {
    await register('alice');
    const [a, b] = [await login('alice'), await login('alice')];
    const [claimsA, claimsB] = [claimsOf(a.access), claimsOf(b.access)];
    expect(claimsA.iat).toBe(claimsB.iat);
    expect(a.access).not.toBe(b.access);
    expect(claimsA).toMatchObject({ sub: a.id, epoch: 0, jti: expect.stringMatching(/^[0-9a-f-]{36}$/), sid: expect.any(String) });
    expect(claimsA.jti).not.toBe(claimsB.jti);
    expect(claimsA.sid).not.toBe(claimsB.sid);
    const retried = pairOf(await refresh(a.refresh));
    expect(claimsOf(retried.access).sid).toBe(claimsA.sid);
  });

  it("userpool's forceLogin tokens carry a jti and the epoch too", async () => {
    await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'pool1', name: 'pool', settings: {} });
    const registerInPool = async (email: string) => {
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'pool1')
        .send({ email, password: PASSWORD, forceLogin: true });
      expect(response.status).toBe(200);
      return claimsOf(response.body.data.token as string);
    };
    const [first, second] = [await registerInPool('a@example.com'), await registerInPool('b@example.com')];
    expect(first).toMatchObject({ epoch: 0, jti: expect.any(String), aud: 'userpool:pool1' });
    expect(first.jti).not.toBe(second.jti);
  });

  it('refuses a token signed with the secret but without a jti, epoch or family, as issued before epochs, like a forged one', async () => {
    const { id, access } = await register('alice');
    const bob = await register('bob');
    const secret = t.config.security.jwtSecret;
    const base = { sub: id, aud: 'site:site', iss: 'unireg' };
    const sid = claimsOf(access).sid as string;
    expect(await userStatus(id, sign({ ...base, jti: 'x', epoch: 0, sid }, secret))).toBe(200);
    for (const payload of [
      base,
      { ...base, jti: 'x', sid },
      { ...base, epoch: 0, sid },
      { ...base, jti: 'x', epoch: '0', sid },
      { ...base, jti: 'x', epoch: 0, sid: 7 },
      { ...base, jti: 'x', epoch: 0 },
    ]) {
      expect(await userStatus(id, sign(payload, secret))).toBe(401);
    }
    for (const foreign of ['no-such-family', '', claimsOf(bob.access).sid as string]) {
      expect(await userStatus(id, sign({ ...base, jti: 'x', epoch: 0, sid: foreign }, secret))).toBe(401);
    }
  });

  it('refuses a token signed with the secret that marks a header extension critical (RFC 7515 §4.1.11)', async () => {
    const { id, access } = await register('alice');
    const payload = { ...claimsOf(access) };
    delete payload.exp;
    const secret = t.config.security.jwtSecret;
    expect(await userStatus(id, sign(payload, secret, { expiresIn: 60 }))).toBe(200);
    for (const crit of [['exp'], [], ['b64']]) {
      expect(await userStatus(id, sign(payload, secret, { expiresIn: 60, header: { alg: 'HS256', crit } }))).toBe(401);
    }
  });

  it('UsersService.endSessions ends every access token, refresh token and session of the user, and only of that user', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({
      name: 'App',
      id: 'app1',
    });
    const carol = await client.bytepowerSignup(key, 'carol');
    await t.app.get(UsersService).endSessions(Number(alice.id));
    await t.app.get(UsersService).endSessions(Number(carol.id));
    expect(await userStatus(alice.id, alice.access)).toBe(401);
    expect((await refresh(alice.refresh)).status).toBe(401);
    expect(await client.meStatus(key, carol.session)).toBe(401);
    expect(await userStatus(bob.id, bob.access)).toBe(200);
    const again = await login('alice');
    expect(claimsOf(again.access).epoch).toBe(1);
    expect(await userStatus(again.id, again.access)).toBe(200);
  });

  it('refuses the tokens of a user waiting for review, and a refresh says so', async () => {
    const alice = await register('alice');
    await t.dataSource.getRepository(User).update({ id: Number(alice.id) }, { status: UserStatus.PendingReview });
    expect(await userStatus(alice.id, alice.access)).toBe(401);
    const refused = await refresh(alice.refresh);
    expect({ status: refused.status, code: refused.body.errors[0].code }).toEqual({ status: 401, code: 'register_validate' });
  });
});

describe('users approve, reject and end-sessions from the CLI', () => {
  let env: Record<string, string>;
  let t: TestApp;
  let key: IssuedAppKey;
  const client = clientOf(
    () => t,
    () => Date.now(),
  );

  const cli = async (...args: string[]) => {
    const result = await runCli(env, ...args, '--json');
    return { error: result.error?.message, output: result.error ? undefined : parseJsonOutput(result.stdout) };
  };
  const userRow = (id: string) => t.dataSource.getRepository(User).findOneByOrFail({ id: Number(id) });
  const setRowStatus = (id: string, status: UserStatus) => t.dataSource.getRepository(User).update({ id: Number(id) }, { status });

  beforeEach(async () => {
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'cli.sqlite')}` };
    t = await createTestApp(env);
    key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({ name: 'App', id: 'app1' });
  });
  afterEach(async () => {
    await t.close();
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });

  it('refuses to approve or reject an active user, changes nothing, and its session and tokens keep working', async () => {
    const bp = await client.bytepowerSignup(key, 'happymumu');
    const site = await client.register('alice');
    for (const [command, id] of [
      ['reject', bp.id],
      ['approve', bp.id],
      ['reject', site.id],
      ['approve', site.id],
    ]) {
      expect(await cli('users', command, id)).toEqual({
        error: `user ${id} is active, not waiting for review: nothing changed`,
        output: undefined,
      });
    }
    expect(await userRow(bp.id)).toMatchObject({ status: UserStatus.Active, tokenEpoch: 0 });
    expect(await client.meStatus(key, bp.session)).toBe(200);
    expect(await client.userStatus(site.id, site.access)).toBe(200);
  });

  it('reject ends every session and token in every dialect; a pending user is refused before that, and a rejected one after', async () => {
    const bp = await client.bytepowerSignup(key, 'happymumu');
    const site = await client.register('alice');
    await setRowStatus(bp.id, UserStatus.PendingReview);
    await setRowStatus(site.id, UserStatus.PendingReview);
    expect(await client.meStatus(key, bp.session)).toBe(401);
    expect(await client.userStatus(site.id, site.access)).toBe(401);

    for (const id of [bp.id, site.id]) {
      expect(await cli('users', 'reject', id)).toEqual({ error: undefined, output: { ok: true, id, status: 'rejected' } });
      expect(await userRow(id)).toMatchObject({ status: UserStatus.Rejected, tokenEpoch: 1 });
      expect((await cli('users', 'reject', id)).error).toBe(`user ${id} is rejected, not waiting for review: nothing changed`);
      expect((await cli('users', 'approve', id)).error).toBe(`user ${id} is rejected, not waiting for review: nothing changed`);
      // Even made active again by hand, the user's earlier credentials stay ended.
      await setRowStatus(id, UserStatus.Active);
    }
    expect(await client.meStatus(key, bp.session)).toBe(401);
    expect(await client.userStatus(site.id, site.access)).toBe(401);
    expect((await client.refresh(site.refresh)).status).toBe(401);
  });

  it('approve activates a user waiting for review and leaves the epoch alone', async () => {
    await t.app.get(SiteService).update({ registerMode: 'review' });
    const response = await t
      .http()
      .post('/api/register')
      .set('Content-Type', JSONAPI)
      .set('Accept', JSONAPI)
      .send({ data: { attributes: { username: 'walker', password: PASSWORD, register_reason: 'hi' } } });
    expect(response.status).toBe(401);
    const { id } = await t.dataSource.getRepository(User).findOneByOrFail({ usernameNormalized: 'walker' });
    expect(await cli('users', 'approve', String(id))).toEqual({ error: undefined, output: { ok: true, id: String(id), status: 'active' } });
    expect(await userRow(String(id))).toMatchObject({ status: UserStatus.Active, tokenEpoch: 0 });
  });

  it('disable refuses sign-in in every dialect and ends every session and token at once; enable lets the user log in anew', async () => {
    const bp = await client.bytepowerSignup(key, 'happymumu');
    const site = await client.register('alice');
    const bytepowerLogin = () =>
      t
        .http()
        .post('/bp/server/user/login')
        .set('Accept', BYTEPOWER)
        .set('X-BytePower-Auth-Token', sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret))
        .send({ name_password: { name: 'happymumu', password: PASSWORD } });
    const jsonapiLogin = () =>
      t
        .http()
        .post('/api/login')
        .set('Content-Type', JSONAPI)
        .set('Accept', JSONAPI)
        .send({ data: { attributes: { username: 'alice', password: PASSWORD } } });
    const jsonapiCode = (response: { status: number; body: any }) => ({ status: response.status, code: response.body.errors[0].code });

    for (const id of [bp.id, site.id]) {
      expect(await cli('users', 'disable', id)).toEqual({ error: undefined, output: { ok: true, id, status: 'disabled' } });
      expect(await userRow(id)).toMatchObject({ status: UserStatus.Disabled, tokenEpoch: 1 });
    }
    expect(await client.meStatus(key, bp.session)).toBe(401);
    expect(await client.userStatus(site.id, site.access)).toBe(401);
    expect(jsonapiCode(await client.refresh(site.refresh))).toEqual({ status: 401, code: 'ban_user' });
    expect(jsonapiCode(await jsonapiLogin())).toEqual({ status: 401, code: 'ban_user' });
    const refused = await bytepowerLogin();
    expect({ status: refused.status, type: refused.body.error.error_type }).toEqual({ status: 403, type: 'forbidden' });
    expect(jsonapiCode(await jsonapiLogin())).toEqual({ status: 401, code: 'ban_user' });
    const listed = (await cli('users', 'list')).output as { users: { id: string; status: string }[] };
    expect(listed.users.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: bp.id, status: 'disabled' },
      { id: site.id, status: 'disabled' },
    ]);
    expect((await cli('users', 'disable', site.id)).error).toBe(`user ${site.id} is disabled, not active: nothing changed`);
    expect((await cli('users', 'approve', site.id)).error).toBe(`user ${site.id} is disabled, not waiting for review: nothing changed`);
    expect((await cli('users', 'reject', site.id)).error).toBe(`user ${site.id} is disabled, not waiting for review: nothing changed`);

    for (const id of [bp.id, site.id]) {
      expect(await cli('users', 'enable', id)).toEqual({ error: undefined, output: { ok: true, id, status: 'active' } });
      expect(await userRow(id)).toMatchObject({ status: UserStatus.Active, tokenEpoch: 1 });
      expect((await cli('users', 'enable', id)).error).toBe(`user ${id} is active, not disabled: nothing changed`);
    }
    expect(await client.meStatus(key, bp.session)).toBe(401);
    expect(await client.userStatus(site.id, site.access)).toBe(401);
    expect((await client.refresh(site.refresh)).status).toBe(401);
    expect((await bytepowerLogin()).status).toBe(200);
    const again = await client.login('alice');
    expect(await client.userStatus(again.id, again.access)).toBe(200);
  });

  it('disable and enable refuse a user who is not active or not disabled, and an unknown id, changing nothing', async () => {
    const site = await client.register('alice');
    await setRowStatus(site.id, UserStatus.PendingReview);
    expect((await cli('users', 'disable', site.id)).error).toBe(`user ${site.id} is pending_review, not active: nothing changed`);
    expect((await cli('users', 'enable', site.id)).error).toBe(`user ${site.id} is pending_review, not disabled: nothing changed`);
    expect(await userRow(site.id)).toMatchObject({ status: UserStatus.PendingReview, tokenEpoch: 0 });
    for (const command of ['disable', 'enable']) {
      for (const id of ['999999', '1e3', '1.5', '__proto__']) {
        expect((await cli('users', command, id)).error).toBe(`no user with id ${id}`);
      }
    }
  });

  it('end-sessions ends the sessions and tokens of an active user, who can log in again', async () => {
    const bp = await client.bytepowerSignup(key, 'happymumu');
    const site = await client.register('alice');
    for (const id of [bp.id, site.id]) {
      expect(await cli('users', 'end-sessions', id)).toEqual({ error: undefined, output: { ok: true, id } });
    }
    expect(await client.meStatus(key, bp.session)).toBe(401);
    expect(await client.userStatus(site.id, site.access)).toBe(401);
    const again = await client.login('alice');
    expect(await client.userStatus(again.id, again.access)).toBe(200);
    expect((await cli('users', 'end-sessions', '999999')).error).toBe('no user with id 999999');
    expect((await cli('users', 'end-sessions', '1e3')).error).toBe('no user with id 1e3');
  });
});
