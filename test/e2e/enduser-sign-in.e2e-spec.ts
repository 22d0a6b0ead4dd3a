import { createHash, createHmac, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { decode, sign, verify } from 'jsonwebtoken';
import { Clock } from '../../src/clock/clock';
import { DELETION_SWEEP_INTERVAL_MS, AccountDeletionsService } from '../../src/dialects/enduser/account-deletions.service';
import { DomainSecretsService } from '../../src/dialects/enduser/domain-secrets.service';
import { enduserDialect } from '../../src/dialects/enduser/enduser.dialect';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';
import { PendingDeletion } from '../../src/dialects/enduser/pending-deletion.entity';
import { encryptPwd } from '../../src/dialects/enduser/pwd-cipher';
import { SigningKey } from '../../src/dialects/enduser/signing-key.entity';
import { SigningKeysService } from '../../src/dialects/enduser/signing-keys.service';
import { Tenant } from '../../src/users/entities/tenant.entity';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, makeDataDir, removeDataDir, testEnvironment, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { SmtpTestServer } from '../utils/smtp-test-server';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const DOMAIN = 'C.DM.1.1';
const API = '/v2/enduser/enduserapi';
const LOGIN = `${API}/emailPwdLogin`;
const PASSWORD = 'Tulip-Garden-42';
const EMAIL = 'alice@example.com';

type Params = Record<string, string | number>;
interface Pair {
  accessToken: { token: string; expirationTime: number };
  refreshToken: { token: string; expirationTime: number };
}

// Every test makes its RSA key pair anew (reset() empties the keys), and some start several apps.
jest.setTimeout(60_000);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const jwtOf = (token: string) => token.replace(/^Bearer /, '');
const claimsOf = (token: string) => decode(jwtOf(token), { json: true })!;
const headerOf = (token: string) => decode(jwtOf(token), { complete: true })!.header;

describe('enduser sign-in and account', () => {
  const smtp = new SmtpTestServer();
  const clock = new FakeClock();
  let t: TestApp;
  let tenant: Tenant;
  let user: User;

  const expectCode = (response: { status: number; body: unknown }, code: number) => {
    expect({ status: response.status, code: (response.body as { code: number }).code }).toEqual({ status: 200, code });
    expect(Object.keys(response.body as object).sort()).toEqual(['code', 'data', 'extMsg', 'msg']);
  };
  const secret = async (domain = tenant) => (await t.app.get(DomainSecretsService).secretOf(domain))!;
  /** emailPwdLogin's parameters, signed with the domain secret unless `signature` is given. */
  const signed = async (params: Params = {}): Promise<Params> => {
    const base: Params = { email: EMAIL, pwd: PASSWORD, userDomain: DOMAIN, ...params };
    const signature = sha256(`${base.email}${base.pwd}${base.random ?? ''}${await secret()}`);
    return { signature, ...base };
  };
  const login = async (params: Params = {}, client?: string) => {
    const request = t
      .http()
      .post(LOGIN)
      .query(await signed(params));
    return client ? request.set('X-Forwarded-For', client) : request;
  };
  const signIn = async (params: Params = {}): Promise<Pair> => {
    const response = await login(params);
    expectCode(response, 200);
    return response.body.data as Pair;
  };
  const userInfo = (token?: string) => {
    const request = t.http().get(`${API}/userInfo`);
    return token === undefined ? request : request.set('Authorization', token);
  };
  const refresh = (refreshToken?: string) =>
    t
      .http()
      .put(`${API}/refreshToken`)
      .query(refreshToken === undefined ? {} : { refreshToken });
  const put = (path: string, token: string, params: Params) => t.http().put(`${API}/${path}`).set('Authorization', token).query(params);
  const del = (path: string, token: string, params: Params = {}) =>
    t.http().delete(`${API}/${path}`).set('Authorization', token).query(params);
  const users = () => t.dataSource.getRepository(User);
  const register = (email: string, password = PASSWORD) =>
    t.app.get(UsersService).register({ tenant, email, password, registerSource: 'enduser:email' });
  /** A token signed with the current key, with claims a test chooses. */
  const forge = async (claims: Record<string, unknown>, options: { header?: Record<string, unknown>; key?: KeyObject } = {}) => {
    const { kid, privateKey } = await t.app.get(SigningKeysService).signing();
    const now = Math.floor(clock.now() / 1000);
    // A claim set to undefined is left out, as a forger would leave it out.
    const payload = Object.fromEntries(
      Object.entries({ iss: 'enduser', aud: 'Audience', iat: now, nbf: now - 120, exp: now + 600, ...claims }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const header = options.header && { alg: 'RS256' as const, kid, ...options.header };
    return `Bearer ${sign(payload, options.key ?? privateKey, { algorithm: 'RS256', keyid: kid, ...(header ? { header } : {}) })}`;
  };

  beforeAll(async () => {
    // The sweep runs only when a test calls it, so that its timer never races a test's own call. Counters
    // stay in memory even when the suite runs with Redis: freezes here end by the fake clock, Redis's by its own.
    t = await createTestApp({ SMTP_URL: await smtp.start(), TRUST_PROXY: 'loopback', REDIS_URL: '' }, (builder) =>
      builder
        .overrideProvider(Clock)
        .useValue(clock)
        .overrideProvider(DELETION_SWEEP_INTERVAL_MS)
        .useValue(2 ** 31 - 1),
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    tenant = await t.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: DOMAIN, name: DOMAIN, settings: {} });
    user = await register(EMAIL);
  });

  describe('emailPwdLogin', () => {
    it("answers Quectel's token pair: RS256 JWTs with its claims, 2 hours and 30 days", async () => {
      const now = Math.floor(clock.now() / 1000);
      const response = await login();
      expectCode(response, 200);
      const { accessToken, refreshToken } = response.body.data as Pair;
      expect(accessToken.token).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(refreshToken.token).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(headerOf(accessToken.token)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      expect(claimsOf(accessToken.token)).toMatchObject({
        iss: 'enduser',
        aud: 'Audience',
        uid: `C${user.id}`,
        type: 'AccessToken',
        jti: expect.any(String),
        iat: now,
        nbf: now - 120,
        exp: now + 7200,
      });
      expect(claimsOf(refreshToken.token)).toMatchObject({ uid: `C${user.id}`, type: 'RefreshToken', exp: now + 30 * 86400 });
      expect(accessToken.expirationTime).toBe(now + 7200);
      expect(refreshToken.expirationTime).toBe(now + 30 * 86400);
      expect(claimsOf(accessToken.token).jti).not.toBe(claimsOf(refreshToken.token).jti);

      // Any verifier can check them with the JWKS alone.
      const { keys } = (await t.http().get('/.well-known/jwks.json')).body as { keys: (JsonWebKey & { kid: string })[] };
      const jwk = keys.find(({ kid }) => kid === headerOf(accessToken.token).kid)!;
      expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(jwk).not.toHaveProperty('d');
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      expect(verify(jwtOf(accessToken.token), publicKey, { algorithms: ['RS256'], clockTimestamp: now })).toMatchObject({
        uid: `C${user.id}`,
      });
    });

    it('signs the AES cipher text as sent when random is given', async () => {
      const random = 'j1acpdj2bmtqZXVb';
      expectCode(await login({ pwd: encryptPwd(PASSWORD, random), random }), 200);
      // A signature over the decrypted password is not the vendor's and fails.
      const params = await signed({ pwd: encryptPwd(PASSWORD, random), random });
      params.signature = sha256(`${EMAIL}${PASSWORD}${random}${await secret()}`);
      expectCode(await t.http().post(LOGIN).query(params), 5420);
    });

    it('reads the parameters from a form or JSON body too, and takes an upper-case hex signature', async () => {
      const params = await signed();
      expectCode(await t.http().post(LOGIN).type('form').send(params), 200);
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .send({ ...params, signature: String(params.signature).toUpperCase() }),
        200,
      );
    });

    it('checks required parameters in the table order, then formats, then the domain, the signature and the account', async () => {
      const valid = await signed();
      const without = (name: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name));
      expectCode(await t.http().post(LOGIN).query({}), 5022);
      expectCode(await t.http().post(LOGIN).query(without('pwd')), 5022);
      expectCode(await t.http().post(LOGIN).query(without('userDomain')), 5023);
      expectCode(await t.http().post(LOGIN).query(without('email')), 5026);
      expectCode(await t.http().post(LOGIN).query(without('signature')), 5550);
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .query({ ...valid, userDomain: 'C.DM.x' }),
        5013,
      );
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .query({ ...valid, email: 'not-an-email' }),
        5040,
      );
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .query({ ...valid, random: 'r', pwd: 'bm90IEFFUw==' }),
        5353,
      );
      expectCode(await login({ pwd: 'short' }), 5056);
      expectCode(await login({ mcc: 1 }), 6085);
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .query({ ...valid, userDomain: 'C.DM.9.9' }),
        5015,
      );
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .query({ ...valid, signature: sha256('forged') }),
        5420,
      );
      expectCode(
        await t
          .http()
          .post(LOGIN)
          .query({ ...valid, signature: 'zz' }),
        5420,
      );
      expectCode(await login({ email: 'nobody@example.com' }), 5031);
      await t.app.get(TenantsService).setEnabled(ENDUSER_TENANT_KIND, DOMAIN, false);
      expectCode(await login(), 5104);
    });

    it('answers in Chinese when asked', async () => {
      const response = await t
        .http()
        .post(LOGIN)
        .set('Accept-Language', 'zh-CN')
        .query(await signed({ email: 'nobody@example.com' }));
      expect(response.body).toMatchObject({ code: 5031, msg: '邮箱未注册' });
    });

    it('counts wrong passwords down from 4 tries, freezes the account for this client for 20 minutes after the fifth', async () => {
      const codes = [];
      for (let i = 0; i < 6; i++) {
        codes.push((await login({ pwd: 'Wrong-Garden-42' }, '192.0.2.1')).body.code);
      }
      expect(codes).toEqual([5586, 5585, 5584, 5583, 5147, 5147]);
      const frozen = await login({}, '192.0.2.1');
      expectCode(frozen, 5147);
      expect(frozen.body.msg).toBe('Account frozen, please try again after 20 minutes');
      expect(frozen.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
      // Another client still signs in: the lock is per account and client.
      expectCode(await login({}, '198.51.100.1'), 200);
      clock.advance(20 * 60 + 1);
      expectCode(await login({}, '192.0.2.1'), 200);
    });

    it('lets no more than five concurrent wrong tries through before the freeze', async () => {
      const responses = await Promise.all(Array.from({ length: 10 }, () => login({ pwd: 'Wrong-Garden-42' }, '192.0.2.2')));
      expect(responses.map(({ body }) => body.code as number).sort()).toEqual([5147, 5147, 5147, 5147, 5147, 5147, 5583, 5584, 5585, 5586]);
      expectCode(await login({}, '192.0.2.2'), 5147);
    });

    it('locks the account for every client after 21 failures within 15 minutes, from many addresses', async () => {
      const codes = [];
      for (let i = 0; i < 21; i++) {
        codes.push((await login({ pwd: 'Wrong-Garden-42' }, `203.0.113.${i}`)).body.code as number);
      }
      // Each address has tries left, but the account runs out at the 21st failure.
      expect(codes.slice(0, 17)).toEqual(Array(17).fill(5586));
      expect(codes.slice(17)).toEqual([5585, 5584, 5583, 5147]);
      const locked = await login({}, '198.51.100.7');
      expectCode(locked, 5147);
      expect(locked.body.msg).toBe('Account frozen, please try again after 15 minutes');
      clock.advance(15 * 60 + 1);
      expectCode(await login({}, '198.51.100.7'), 200);
    });

    it('refuses a disabled or deleted user; a disabled one loses its tokens at once', async () => {
      const { accessToken } = await signIn();
      await t.app.get(UsersService).setStatus(user.id, { status: UserStatus.Disabled, source: 'test' });
      expectCode(await userInfo(accessToken.token), 5032);
      expectCode(await login(), 5000);
      await users().delete({ id: user.id });
      expectCode(await login(), 5031);
    });
  });

  describe('access tokens', () => {
    it('userInfo answers the signed-in user; 5106 without a token, 5032 for a forged or ended one', async () => {
      const { accessToken } = await signIn();
      const response = await userInfo(accessToken.token);
      expectCode(response, 200);
      expect(response.body.data).toMatchObject({
        uid: `C${user.id}`,
        email: EMAIL,
        status: 1,
        registerTime: user.createdAt,
        lastLoginTime: clock.now(),
        nikeName: '',
      });
      // The token without its "Bearer " works too.
      expectCode(await userInfo(jwtOf(accessToken.token)), 200);
      expectCode(await userInfo(), 5106);
      expectCode(await userInfo(''), 5106);
      expectCode(await userInfo('Bearer '), 5106);
      expectCode(await userInfo('Bearer not.a.jwt'), 5032);
    });

    it.each([
      ['a wrong issuer', { iss: 'unireg' }],
      ['a wrong audience', { aud: 'other' }],
      ['the refresh type', { type: 'RefreshToken' }],
      ['no type', { type: undefined }],
      ['an nbf ahead of now', { nbf: 'future' }],
      ['an expired exp', { exp: 'past' }],
      ['no exp', { exp: undefined }],
      ['an older token epoch', { epoch: -1 }],
      ['another family', { sid: '00000000-0000-4000-8000-000000000000' }],
      ['another user', { uid: 'C999999' }],
      ['another user domain', { userDomain: 'C.DM.9.9' }],
    ])('refuses a token signed with the real key but %s', async (_label, change) => {
      const { accessToken } = await signIn();
      const claims = { ...claimsOf(accessToken.token), jti: 'forged' } as Record<string, unknown>;
      const now = Math.floor(clock.now() / 1000);
      const values = { ...change } as Record<string, unknown>;
      if (values.nbf === 'future') values.nbf = now + 60;
      if (values.exp === 'past') values.exp = now - 1;
      expectCode(await userInfo(await forge({ ...claims, ...values })), 5032);
      // The same claims unchanged pass, so the refusal is the change's doing.
      expectCode(await userInfo(await forge(claims)), 200);
    });

    it('refuses alg none, HS256 keyed with the public key, another key pair, and a critical header', async () => {
      const { accessToken } = await signIn();
      const claims = claimsOf(accessToken.token) as Record<string, unknown>;
      const { kid } = headerOf(accessToken.token);
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      expectCode(await userInfo(`Bearer ${unsigned}`), 5032);

      const publicPem = (await t.dataSource.getRepository(SigningKey).findOneByOrFail({ kid: kid! })).publicKey;
      const confused = `Bearer ${createHmacJwt({ alg: 'HS256', typ: 'JWT', kid }, claims, publicPem)}`;
      expectCode(await userInfo(confused), 5032);

      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expectCode(await userInfo(await forge(claims, { key: other })), 5032);
      expectCode(await userInfo(await forge(claims, { header: { crit: ['exp'] } })), 5032);
    });

    it('refuses a refresh token as an access token, and an access token as a refresh token', async () => {
      const { accessToken, refreshToken } = await signIn();
      expectCode(await userInfo(refreshToken.token), 5032);
      expectCode(await refresh(accessToken.token), 5032);
    });

    it('ends with its 2 hours', async () => {
      const { accessToken } = await signIn();
      clock.advance(7200 - 1);
      expectCode(await userInfo(accessToken.token), 200);
      clock.advance(1);
      expectCode(await userInfo(accessToken.token), 5032);
    });

    it('is not accepted by another dialect, nor are its tokens here', async () => {
      const { accessToken } = await signIn();
      const registered = await t
        .http()
        .post('/api/register')
        .set('Content-Type', 'application/vnd.api+json')
        .send(JSON.stringify({ data: { type: 'users', attributes: { username: 'crossuser', password: PASSWORD } } }));
      expect(registered.status).toBe(200);
      const { id, attributes } = registered.body.data as { id: string; attributes: { access_token: string } };
      const foreign = await t
        .http()
        .get(`/api/users/${id}`)
        .set('Authorization', `Bearer ${jwtOf(accessToken.token)}`);
      expect(foreign.status).toBe(401);
      expectCode(await userInfo(`Bearer ${attributes.access_token}`), 5032);
      expect((await t.http().get(`/api/users/${id}`).set('Authorization', `Bearer ${attributes.access_token}`)).status).toBe(200);
    });
  });

  describe('refreshToken', () => {
    it('rotates: a new pair of the same family; a retry within the window gets a working pair of the same family', async () => {
      const first = await signIn();
      const rotated = await refresh(first.refreshToken.token);
      expectCode(rotated, 200);
      const second = rotated.body.data as Pair;
      expect(claimsOf(second.refreshToken.token).jti).not.toBe(claimsOf(first.refreshToken.token).jti);
      expectCode(await userInfo(second.accessToken.token), 200);

      clock.advance(5);
      const retried = await refresh(first.refreshToken.token);
      expectCode(retried, 200);
      const third = retried.body.data as Pair;
      expect(claimsOf(third.refreshToken.token).jti).toBe(claimsOf(second.refreshToken.token).jti);
      expectCode(await userInfo(third.accessToken.token), 200);
      expectCode(await refresh(third.refreshToken.token), 200);
    });

    it('takes the token without its "Bearer " and from a body; 5115 without one', async () => {
      const { refreshToken } = await signIn();
      expectCode(
        await t
          .http()
          .put(`${API}/refreshToken`)
          .send({ refreshToken: jwtOf(refreshToken.token) }),
        200,
      );
      expectCode(await refresh(), 5115);
      expectCode(await refresh(''), 5115);
    });

    it('ends the family and its access tokens when a used refresh token comes back after the window', async () => {
      const first = await signIn();
      const other = await signIn();
      const second = (await refresh(first.refreshToken.token)).body.data as Pair;
      clock.advance(11);
      expectCode(await refresh(first.refreshToken.token), 5032);
      expectCode(await userInfo(first.accessToken.token), 5032);
      expectCode(await userInfo(second.accessToken.token), 5032);
      expectCode(await refresh(second.refreshToken.token), 5032);
      // Another sign-in's family is untouched.
      expectCode(await userInfo(other.accessToken.token), 200);
    });

    it('ends with its 30 days', async () => {
      const { refreshToken } = await signIn();
      clock.advance(30 * 86400);
      expectCode(await refresh(refreshToken.token), 5032);
    });
  });

  describe('signing keys', () => {
    it('rotation adds a current key; tokens of the old one verify until they expire, and JWKS lists both meanwhile', async () => {
      const before = await signIn();
      const oldKid = headerOf(before.accessToken.token).kid!;
      const { kid, retired } = await t.app.get(SigningKeysService).rotate();
      expect(retired).toBe(oldKid);
      const after = await signIn();
      expect(headerOf(after.accessToken.token).kid).toBe(kid);
      expectCode(await userInfo(before.accessToken.token), 200);
      expectCode(await refresh(before.refreshToken.token), 200);
      const jwks = async () => ((await t.http().get('/.well-known/jwks.json')).body.keys as { kid: string }[]).map((key) => key.kid);
      expect(await jwks()).toEqual([kid, oldKid]);
      clock.advance(30 * 86400 + 300);
      expect(await jwks()).toEqual([kid]);
    });

    it('makes one first key when many sign-ins race for it', async () => {
      const pairs = await Promise.all(Array.from({ length: 5 }, () => signIn()));
      expect(new Set(pairs.map(({ accessToken }) => headerOf(accessToken.token).kid)).size).toBe(1);
      expect(await t.dataSource.getRepository(SigningKey).count()).toBe(1);
      const stored = await t.dataSource.getRepository(SigningKey).findOneByOrFail({ generation: 1 });
      expect(stored.privateKeySealed).not.toContain('PRIVATE KEY');
    });
  });

  describe('setUserInfo', () => {
    it('sets the fields given, which userInfo shows; absent ones stay, empty text clears', async () => {
      const { accessToken } = await signIn();
      const fields = { nikeName: '小明', sex: 1, address: 'No. 1 Road', province: 'Anhui', city: 'Hefei', signature: 'hi', remark: 'r' };
      expectCode(await put('setUserInfo', accessToken.token, { ...fields, lang: 1, nationality: 1, timezone: 1 }), 200);
      expectCode(await put('setUserInfo', accessToken.token, { headImage: 'https://example.com/a.png', remark: '' }), 200);
      const { data } = (await userInfo(accessToken.token)).body;
      expect(data).toMatchObject({
        ...fields,
        sex: '1',
        remark: '',
        headimg: 'https://example.com/a.png',
        lang: '1',
        nationality: '1',
        timezone: '1',
      });
      expectCode(await put('setUserInfo', accessToken.token, { lang: 0 }), 200);
      expect((await userInfo(accessToken.token)).body.data).toMatchObject({ lang: '', nationality: '1' });
    });

    it.each([
      [{ nikeName: 'x'.repeat(51) }, 5060],
      [{ sex: 3 }, 5061],
      [{ sex: 'male' }, 5061],
      [{ address: 'x'.repeat(255) }, 5076],
      [{ province: 'x'.repeat(65) }, 5473],
      [{ city: 'x'.repeat(65) }, 5474],
      [{ signature: 'x'.repeat(255) }, 5475],
      [{ remark: 'x'.repeat(255) }, 5476],
      [{ nikeName: 'a\u0000b' }, 5060],
      [{ nikeName: 'evil\u202Egnp.exe' }, 5060],
      [{ address: 'a\u200Bb' }, 5076],
      [{ city: 'a\u2028b' }, 5474],
      [{ signature: 'a\uE000b' }, 5475],
      [{ headImage: 'javascript:alert(1)' }, 5034],
      [{ timezone: 99999 }, 5171],
      [{ nationality: 'x' }, 5172],
      [{ lang: 99999 }, 5173],
    ])('refuses %j with %i and changes nothing', async (params, code) => {
      const { accessToken } = await signIn();
      expectCode(await put('setUserInfo', accessToken.token, { ...params, nikeName: (params as Params).nikeName ?? 'kept' }), code);
      expect((await users().findOneByOrFail({ id: user.id })).profile).not.toHaveProperty('nikeName');
    });

    it('refuses a lone surrogate, which only a JSON body can carry; keeps joiners that join and emoji', async () => {
      const { accessToken } = await signIn();
      const send = (json: string) =>
        t.http().put(`${API}/setUserInfo`).set('Authorization', accessToken.token).set('Content-Type', 'application/json').send(json);
      expectCode(await send('{"remark":"a\\ud800b"}'), 5476);
      expect((await users().findOneByOrFail({ id: user.id })).profile).not.toHaveProperty('remark');
      expectCode(await put('setUserInfo', accessToken.token, { nikeName: 'می\u200Cخواهم ❤️ 👩\u200D💻' }), 200);
      expect((await userInfo(accessToken.token)).body.data).toMatchObject({ nikeName: 'می\u200Cخواهم ❤️ 👩\u200D💻' });
    });

    it('needs a token', async () => {
      expectCode(await t.http().put(`${API}/setUserInfo`).query({ nikeName: 'x' }), 5106);
    });
  });

  describe('setUserPwd', () => {
    it('changes the password and ends every token of the user, this one too', async () => {
      const { accessToken } = await signIn();
      const other = await signIn();
      expectCode(await put('setUserPwd', accessToken.token, { oldPwd: PASSWORD, newPwd: 'Maple-River-77' }), 200);
      expectCode(await userInfo(accessToken.token), 5032);
      expectCode(await userInfo(other.accessToken.token), 5032);
      expectCode(await refresh(other.refreshToken.token), 5032);
      expectCode(await login(), 5586);
      expectCode(await login({ pwd: 'Maple-River-77' }), 200);
    });

    it('takes both passwords AES-encrypted with random', async () => {
      const { accessToken } = await signIn();
      const random = 'j1acpdj2bmtqZXVb';
      const params = { oldPwd: encryptPwd(PASSWORD, random), newPwd: encryptPwd('Maple-River-77', random), random };
      expectCode(await put('setUserPwd', accessToken.token, params), 200);
      expectCode(await login({ pwd: 'Maple-River-77' }), 200);
    });

    it.each([
      [{ newPwd: 'Maple-River-77' }, 5505],
      [{ oldPwd: PASSWORD }, 5507],
      [{ oldPwd: 'bm90IEFFUw==', newPwd: encryptPwd('Maple-River-77', 'r'), random: 'r' }, 5506],
      [{ oldPwd: encryptPwd(PASSWORD, 'r'), newPwd: 'bm90IEFFUw==', random: 'r' }, 5508],
      [{ oldPwd: 'short', newPwd: 'Maple-River-77' }, 5509],
      [{ oldPwd: PASSWORD, newPwd: 'short' }, 5510],
      [{ oldPwd: PASSWORD, newPwd: 'password1' }, 5510],
      [{ oldPwd: PASSWORD, newPwd: PASSWORD }, 5063],
      [{ oldPwd: 'Wrong-Garden-42', newPwd: 'Maple-River-77' }, 5008],
    ])('refuses %j with %i, and the token keeps working', async (params, code) => {
      const { accessToken } = await signIn();
      expectCode(await put('setUserPwd', accessToken.token, params), code);
      expectCode(await userInfo(accessToken.token), 200);
      expectCode(await login(), 200);
    });
  });

  describe('setUserPwd: old-password guesses', () => {
    const guess = (token: string, client = '192.0.2.1') =>
      put('setUserPwd', token, { oldPwd: 'Wrong-Garden-42', newPwd: 'Maple-River-77' }).set('X-Forwarded-For', client);

    it('spend the login budget of the user and client: 5008 four times, then 5147 with Retry-After, also for logins', async () => {
      const { accessToken } = await signIn();
      const codes = [];
      for (let i = 0; i < 5; i++) {
        codes.push((await guess(accessToken.token)).body.code as number);
      }
      expect(codes).toEqual([5008, 5008, 5008, 5008, 5147]);
      const frozen = await put('setUserPwd', accessToken.token, { oldPwd: PASSWORD, newPwd: 'Maple-River-77' }).set(
        'X-Forwarded-For',
        '192.0.2.1',
      );
      expectCode(frozen, 5147);
      expect(frozen.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
      expectCode(await login({}, '192.0.2.1'), 5147);
      expectCode(await login({}, '198.51.100.1'), 200);
      clock.advance(20 * 60 + 1);
      expectCode(
        await put('setUserPwd', accessToken.token, { oldPwd: PASSWORD, newPwd: 'Maple-River-77' }).set('X-Forwarded-For', '192.0.2.1'),
        200,
      );
    });

    it('share one budget with wrong logins of the same user and client', async () => {
      const { accessToken } = await signIn();
      for (let i = 0; i < 4; i++) {
        await login({ pwd: 'Wrong-Garden-42' }, '192.0.2.1');
      }
      expectCode(await guess(accessToken.token), 5147);
      expectCode(await userInfo(accessToken.token), 200);
    });
  });

  describe('userPwdReset', () => {
    const SEND = '/v2/mail/enduserapi/v2/sendEmail';
    const resetCode = async (email = EMAIL) => {
      expectCode(await t.http().post(SEND).query({ email, emailType: 2, userDomain: DOMAIN }), 200);
      return smtp.lastCode(email);
    };
    const reset = (params: Params) => t.http().put(`${API}/userPwdReset`).query(params);

    it('resets with a code from sendEmail emailType 2 and ends every token of the user', async () => {
      const { accessToken } = await signIn();
      const code = await resetCode();
      expect(smtp.received.at(-1)!.raw).toContain('password reset code');
      expectCode(await reset({ email: EMAIL, code, pwd: 'Maple-River-77', userDomain: DOMAIN }), 200);
      expectCode(await userInfo(accessToken.token), 5032);
      expectCode(await login({ pwd: 'Maple-River-77' }), 200);
      // The code was spent.
      expectCode(await reset({ email: EMAIL, code, pwd: 'Cedar-Lake-19', userDomain: DOMAIN }), 5046);
    });

    it('sendEmail emailType 2 answers 5031 for an address not registered, and sends nothing', async () => {
      const before = smtp.received.length;
      expectCode(await t.http().post(SEND).query({ email: 'nobody@example.com', emailType: 2, userDomain: DOMAIN }), 5031);
      expect(smtp.received).toHaveLength(before);
    });

    it('checks parameters, then formats, then the domain, the account and the code', async () => {
      const code = await resetCode();
      const valid: Params = { email: EMAIL, code, pwd: 'Maple-River-77', userDomain: DOMAIN };
      const without = (name: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name));
      expectCode(await reset(without('userDomain')), 5023);
      expectCode(await reset(without('email')), 5044);
      expectCode(await reset(without('code')), 5064);
      expectCode(await reset(without('pwd')), 5022);
      expectCode(await reset({ ...valid, userDomain: 'x' }), 5013);
      expectCode(await reset({ ...valid, email: 'x' }), 5040);
      expectCode(await reset({ ...valid, pwd: 'short' }), 5056);
      expectCode(await reset({ ...valid, pwd: 'password1' }), 5056);
      expectCode(await reset({ ...valid, userDomain: 'C.DM.9.9' }), 5015);
      expectCode(await reset({ ...valid, email: 'nobody@example.com' }), 5031);
      expectCode(await reset({ ...valid, code: code === '000000' ? '111111' : '000000' }), 5046);
      // A registration code is not a reset code.
      await register('bob@example.com');
      expectCode(await reset({ ...valid, email: 'bob@example.com' }), 5046);
      expectCode(await reset(valid), 200);
    });
  });

  describe('userLogout', () => {
    it('ends every token of the user; 5032 for the token afterwards', async () => {
      const { accessToken, refreshToken } = await signIn();
      const other = await signIn();
      expectCode(await del('userLogout', accessToken.token), 200);
      expectCode(await userInfo(accessToken.token), 5032);
      expectCode(await userInfo(other.accessToken.token), 5032);
      expectCode(await refresh(refreshToken.token), 5032);
      expectCode(await del('userLogout', accessToken.token), 5032);
      expectCode(await login(), 200);
    });
  });

  describe('userDelete', () => {
    it('type 1 deletes the account now: its email is free again and its tokens are dead', async () => {
      const { accessToken } = await signIn();
      expectCode(await del('userDelete', accessToken.token, { type: 1 }), 200);
      expect(await users().findOneBy({ id: user.id })).toBeNull();
      expectCode(await userInfo(accessToken.token), 5032);
      expectCode(await login(), 5031);
      await register(EMAIL);
    });

    it('5152 for a type other than 1 or 2', async () => {
      const { accessToken } = await signIn();
      expectCode(await del('userDelete', accessToken.token, { type: 3 }), 5152);
      expectCode(await del('userDelete', accessToken.token, { type: 'now' }), 5152);
      expect(await users().findOneBy({ id: user.id })).not.toBeNull();
    });

    it('type 2 (the default) keeps the account 7 days, signs the user out, and deletes it when due', async () => {
      const { accessToken } = await signIn();
      expectCode(await del('userDelete', accessToken.token), 200);
      expectCode(await userInfo(accessToken.token), 5032);
      const sweep = () => t.app.get(AccountDeletionsService).sweep();
      clock.advance(7 * 86400 - 1);
      expect(await sweep()).toBe(0);
      expect(await users().findOneBy({ id: user.id })).not.toBeNull();
      clock.advance(1);
      expect(await sweep()).toBe(1);
      expect(await users().findOneBy({ id: user.id })).toBeNull();
      expect(await t.dataSource.getRepository(PendingDeletion).count()).toBe(0);
    });

    it('type 2 is cancelled by a sign-in within the 7 days', async () => {
      const { accessToken } = await signIn();
      expectCode(await del('userDelete', accessToken.token, { type: 2 }), 200);
      clock.advance(3 * 86400);
      await signIn();
      clock.advance(5 * 86400);
      expect(await t.app.get(AccountDeletionsService).sweep()).toBe(0);
      expect(await users().findOneBy({ id: user.id })).not.toBeNull();
    });
  });

  it('redacts passwords and refresh tokens from the logged query parameters', () => {
    expect(enduserDialect.secretQueryParameters).toEqual(
      expect.arrayContaining(['pwd', 'oldPwd', 'newPwd', 'refreshToken', 'code', 'random']),
    );
  });
});

async function sequentially<T>(work: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (const step of work) {
    results.push(await step());
  }
  return results;
}

/** An HS256 JWT keyed with `secret`, made by hand: jsonwebtoken itself refuses to sign with a PEM public key as an HMAC secret. */
function createHmacJwt(header: object, claims: object, secret: string): string {
  const body = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('enduser account deletion across instances and restarts', () => {
  const clock = new FakeClock();
  const dir = makeDataDir();
  let dbUrl: string;

  beforeAll(async () => {
    const url = await freshDatabaseUrl();
    dbUrl = url.startsWith('mysql:') ? url : `sqlite:${join(dir, 'shared.sqlite')}`;
  });
  afterAll(async () => {
    await dropDatabase(dbUrl);
    removeDataDir(dir);
  });

  const app = (sweepMs = 60_000) =>
    createTestApp({ DB_URL: dbUrl, DATA_DIR: dir }, (builder) =>
      builder.overrideProvider(Clock).useValue(clock).overrideProvider(DELETION_SWEEP_INTERVAL_MS).useValue(sweepMs),
    );

  it('survives a restart and deletes each due user exactly once when two instances sweep at once', async () => {
    const first = await app();
    const tenant = await first.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.7.7', name: 'x', settings: {} });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const user = await first.app
        .get(UsersService)
        .register({ tenant, email: `u${i}@example.com`, password: PASSWORD, registerSource: 'enduser:email' });
      await first.app.get(AccountDeletionsService).deleteLater(user);
      ids.push(user.id);
    }
    await first.close();

    const [a, b] = [await app(), await app()];
    try {
      clock.advance(7 * 86400);
      const sweeps = [a, b, a, b].map((x) => () => x.app.get(AccountDeletionsService).sweep());
      // Two apps in one process on one SQLite file would block each other (its busy wait is synchronous): there
      // they take turns; on MySQL they race.
      const counts = isMysql ? await Promise.all(sweeps.map((sweep) => sweep())) : await sequentially(sweeps);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(5);
      expect(await a.dataSource.getRepository(User).countBy(ids.map((id) => ({ id })))).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('runs the sweep by itself in the HTTP app, at the injected interval', async () => {
    const t = await app(20);
    try {
      const tenant = await t.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.8.8', name: 'x', settings: {} });
      const user = await t.app
        .get(UsersService)
        .register({ tenant, email: 'timer@example.com', password: PASSWORD, registerSource: 'enduser:email' });
      await t.app.get(AccountDeletionsService).deleteLater(user);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await t.dataSource.getRepository(User).findOneBy({ id: user.id })).not.toBeNull();
      clock.advance(7 * 86400);
      for (let i = 0; i < 100 && (await t.dataSource.getRepository(User).findOneBy({ id: user.id })); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await t.dataSource.getRepository(User).findOneBy({ id: user.id })).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('admin CLI: enduser secrets and keys', () => {
  const dir = makeDataDir();
  let env: Record<string, string>;
  let t: TestApp;

  const json = async (...args: string[]) => {
    const { stdout, error } = await runCli(env, ...args, '--json');
    expect(error).toBeUndefined();
    return parseJsonOutput(stdout);
  };

  beforeAll(async () => {
    const url = await freshDatabaseUrl();
    const dbUrl = url.startsWith('mysql:') ? url : `sqlite:${join(dir, 'cli.sqlite')}`;
    env = testEnvironment({ DB_URL: dbUrl, DATA_DIR: dir });
    t = await createTestApp({ DB_URL: dbUrl, DATA_DIR: dir });
    await json('seed', 'demo');
  });
  afterAll(async () => {
    await t.close();
    await dropDatabase(env.DB_URL);
    removeDataDir(dir);
  });

  it('user-domain secret prints the demo domain secret, the same each time; a login signed with it works', async () => {
    const shown = await json('user-domain', 'secret', '--domain', DOMAIN);
    expect(shown).toEqual({ domain: DOMAIN, secret: expect.stringMatching(/^[A-Za-z0-9]{44}$/) });
    expect(await json('user-domain', 'secret', '--domain', DOMAIN)).toEqual(shown);
    const tenant = (await t.app.get(TenantsService).find(ENDUSER_TENANT_KIND, DOMAIN))!;
    await t.app.get(UsersService).register({ tenant, email: 'cli@example.com', password: PASSWORD, registerSource: 'enduser:email' });
    const query = { email: 'cli@example.com', pwd: PASSWORD, userDomain: DOMAIN };
    const signature = sha256(`cli@example.com${PASSWORD}${shown.secret as string}`);
    expect(
      (
        await t
          .http()
          .post(LOGIN)
          .query({ ...query, signature })
      ).body.code,
    ).toBe(200);

    const rotated = await json('user-domain', 'secret', '--domain', DOMAIN, '--rotate');
    expect(rotated.secret).not.toBe(shown.secret);
    expect(
      (
        await t
          .http()
          .post(LOGIN)
          .query({ ...query, signature })
      ).body.code,
    ).toBe(5420);
    const fresh = sha256(`cli@example.com${PASSWORD}${rotated.secret as string}`);
    expect(
      (
        await t
          .http()
          .post(LOGIN)
          .query({ ...query, signature: fresh })
      ).body.code,
    ).toBe(200);
  });

  it('user-domain secret fails on stderr for an unknown domain', async () => {
    const { error } = await runCli(env, 'user-domain', 'secret', '--domain', 'C.DM.404.1', '--json');
    expect(error?.message).toMatch(/C\.DM\.404\.1/);
  });

  it('enduser keys rotate adds a current key that JWKS lists before the old one', async () => {
    const before = ((await t.http().get('/.well-known/jwks.json')).body.keys as { kid: string }[]).map(({ kid }) => kid);
    const rotated = await json('enduser', 'keys', 'rotate');
    expect(rotated).toEqual({ ok: true, kid: expect.any(String), retired: before[0] });
    const after = ((await t.http().get('/.well-known/jwks.json')).body.keys as { kid: string }[]).map(({ kid }) => kid);
    expect(after).toEqual([rotated.kid, ...before]);
  });
});
