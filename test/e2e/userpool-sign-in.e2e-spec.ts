import { join } from 'node:path';
import { decode, JwtPayload, sign, verify } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { UserpoolAdminService } from '../../src/dialects/userpool/userpool-admin.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { MailService, OutgoingMail } from '../../src/mail/mail.service';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { VerificationCode } from '../../src/users/entities/verification-code.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const PASSWORD = 'Tulip-Garden-42';
const NEW_PASSWORD = 'Maple-River-77';
const TOKEN_TTL_SECONDS = 15 * 24 * 3600;
/** The default LOGIN_FAILURES_PER_15_MIN. */
const GLOBAL_LIMIT = 5;

type Call = { pool?: string | null; token?: string; from?: string };

/** Issue 18, userpool part: the Authing v2 sign-in siblings (docs/dialects/userpool.md), on SQLite or MariaDB, counting in Redis with TEST_REDIS_URL. */
describe('userpool sign-in: login, codes, me, refresh, logout, password reset and change', () => {
  const clock = new FakeClock();
  const mails: OutgoingMail[] = [];
  let t: TestApp;

  beforeAll(async () => {
    // Behind a trusted proxy on loopback, so that X-Forwarded-For names each request's client.
    t = await createTestApp({ TRUST_PROXY: 'loopback' }, (builder) =>
      builder
        .overrideProvider(Clock)
        .useValue(clock)
        .overrideProvider(MailService)
        .useValue({
          send: (mail: OutgoingMail) => {
            mails.push(mail);
            return Promise.resolve();
          },
        }),
    );
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    mails.length = 0;
    await createPool('demo');
  });

  const createPool = (code: string, enabled = true, settings: object = {}) =>
    t.app
      .get(TenantsService)
      .create({ kind: USERPOOL_TENANT_KIND, code, name: code, enabled, settings: { passwordStrength: 1, ...settings } });
  const withHeaders = (request: ReturnType<ReturnType<TestApp['http']>['get']>, { pool = 'demo', token, from = '192.0.2.1' }: Call) => {
    let call = request.set('X-Forwarded-For', from);
    call = pool === null ? call : call.set('x-userpool-id', pool);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };
  const post = (path: string, body: object, call: Call = {}) => withHeaders(t.http().post(`/api/v1/${path}`), call).send(body);
  const get = (path: string, call: Call = {}) => withHeaders(t.http().get(`/api/v1/${path}`), call);
  const expectError = (response: Response, status: number, code: number) => {
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { code, success: false, msg: expect.stringMatching(/\S/), data: {} },
    });
  };
  const expectOk = (response: Response) => {
    expect({ status: response.status, code: response.body.code, success: response.body.success }).toEqual({
      status: 200,
      code: 0,
      success: true,
    });
    return response.body.data;
  };

  const register = async (email: string, extra: object = {}) =>
    expectOk(await post('register/email', { email, password: PASSWORD, ...extra }));
  const login = (account: string, password = PASSWORD, call: Call = {}) => post('login/account', { account, password }, call);
  const tokenOf = async (account: string) => expectOk(await login(account)).token as string;
  const send = (email: string, scene: string, call: Call = {}) => post('email/send', { email, scene }, call);
  /** The code in the last mail to `email`. */
  const codeFor = (email: string) => {
    const mail = mails.filter((m) => m.to === email).at(-1);
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
    expect(code).toBeDefined();
    return code!;
  };
  const sendCode = async (email: string, scene: string) => {
    expectOk(await send(email, scene));
    return codeFor(email);
  };
  const meStatus = async (token: string) => (await get('users/me', { token })).body.code as number;
  const users = () => t.app.get(UsersService);
  const poolAdmin = () => new UserpoolAdminService(t.app.get(TenantsService));
  const userRow = (email: string) => t.dataSource.getRepository(User).findOneByOrFail({ emailNormalized: email });

  describe('POST /api/v1/login/account', () => {
    it('logs in by email and answers the user with a token, counting the login with its time and address', async () => {
      const registered = await register('alice@example.com');
      clock.advance(60);
      const data = expectOk(await login('Alice@Example.com', PASSWORD, { from: '203.0.113.9' }));
      expect(data).toMatchObject({
        id: registered.id,
        email: 'alice@example.com',
        userpoolId: 'demo',
        loginsCount: 1,
        lastLogin: new Date(clock.now()).toISOString(),
        lastIp: '203.0.113.9',
        newUser: false,
        password: null,
      });
      const claims = verify(data.token, t.config.security.jwtSecret, {
        algorithms: ['HS256'],
        audience: 'userpool:demo',
        clockTimestamp: clock.now() / 1000,
      }) as JwtPayload;
      expect(claims).toMatchObject({ sub: registered.id, userpoolId: 'demo' });
      expect(new Date(data.tokenExpiredAt).getTime()).toBe(claims.exp! * 1000);
      expect(JSON.stringify(data)).not.toMatch(/Tulip-Garden-42|\$2[aby]\$/);
      expect(expectOk(await login('alice@example.com')).loginsCount).toBe(2);
      expect(await userRow('alice@example.com')).toMatchObject({ loginsCount: 2, lastLoginAt: clock.now(), lastIp: '192.0.2.1' });
    });

    it('logs in by username, and by a mobile written either way; a username of digits is still a username', async () => {
      expectOk(await post('register/username', { username: 'Bob', password: PASSWORD }));
      expectOk(await post('register/username', { username: '13900000000', password: PASSWORD }));
      const carol = await register('carol@example.com', { profile: { phone: '+86 138-0013-8000' } });
      expect(carol.phone).toBe('+86 138-0013-8000');
      expect((await userRow('carol@example.com')).phoneNormalized).toBe('+8613800138000');
      expect(expectOk(await login('bob')).username).toBe('Bob');
      expect(expectOk(await login('13900000000')).username).toBe('13900000000');
      for (const account of ['13800138000', '+8613800138000', '138 0013 8000']) {
        expect(expectOk(await login(account)).email).toBe('carol@example.com');
      }
    });

    it('2333 for a wrong password and for an unknown email, username or phone alike', async () => {
      await register('alice@example.com');
      for (const [account, password] of [
        ['alice@example.com', 'Wrong-Password-1'],
        ['nobody@example.com', PASSWORD],
        ['nobody', PASSWORD],
        ['13700000000', PASSWORD],
        ['+8613700000000', PASSWORD],
      ]) {
        expectError(await login(account, password), 400, 2333);
      }
    });

    it('2026 when a registration brings a mobile another user of the pool has; a phone that is no mobile is only shown', async () => {
      await register('carol@example.com', { profile: { phone: '13800138000' } });
      expectError(
        await post('register/email', { email: 'dave@example.com', password: PASSWORD, profile: { phone: '+8613800138000' } }),
        409,
        2026,
      );
      await register('erin@example.com', { profile: { phone: '+1 555' } });
      await register('frank@example.com', { profile: { phone: '+1 555' } });
      expect((await userRow('frank@example.com')).phoneNormalized).toBeNull();
      expect(await t.dataSource.getRepository(User).count()).toBe(3);
    });

    it("2026 for a username that spells another user's mobile, and for a mobile another user has as a username", async () => {
      await register('carol@example.com', { profile: { phone: '13800138000' } });
      for (const username of ['13800138000', '+8613800138000', '１３８００１３８０００']) {
        expectError(await post('register/username', { username, password: NEW_PASSWORD }), 409, 2026);
      }
      expectOk(await post('register/username', { username: '13900000000', password: PASSWORD }));
      for (const phone of ['13900000000', '+86 139-0000-0000']) {
        expectError(await post('register/email', { email: 'mallory@example.com', password: NEW_PASSWORD, profile: { phone } }), 409, 2026);
      }
      expect(await t.dataSource.getRepository(User).count()).toBe(2);
      expect(expectOk(await login('13800138000')).email).toBe('carol@example.com');
      expect(expectOk(await login('13900000000')).username).toBe('13900000000');
    });

    it('2000 for a username that is an email address, which login/account would read as an email', async () => {
      expectError(await post('register/username', { username: 'bob@example.com', password: PASSWORD }), 400, 2000);
      expectOk(await post('register/username', { username: 'bob@example', password: PASSWORD }));
      expect(await t.dataSource.getRepository(User).count()).toBe(1);
    });

    it('2005 for a disabled user with the right password only; a pool closed to registration still signs its users in', async () => {
      const { id } = await register('alice@example.com');
      await users().setStatus(Number(id), { status: UserStatus.Disabled, source: 'test' });
      expectError(await login('alice@example.com', 'Wrong-Password-1'), 400, 2333);
      expectError(await login('alice@example.com'), 403, 2005);
      await users().setStatus(Number(id), { status: UserStatus.Active, source: 'test' });
      await t.app.get(TenantsService).setEnabled(USERPOOL_TENANT_KIND, 'demo', false);
      expectOk(await login('alice@example.com'));
      expectError(await post('register/email', { email: 'new@example.com', password: PASSWORD }), 403, 2031);
    });

    it('checks the header, the pool, the body and its fields', async () => {
      expectError(await login('a@example.com', PASSWORD, { pool: null }), 400, 2224);
      expectError(await login('a@example.com', PASSWORD, { pool: 'nope' }), 404, 2224);
      expectError(await post('login/account', { password: PASSWORD }), 400, 2000);
      expectError(await post('login/account', { account: 'a@example.com' }), 400, 2032);
      expectError(await post('login/account', { account: 'a@example.com', password: 7 }), 400, 2000);
      expectError(await post('login/account', { account: 'a@example.com', password: 'Tulip-\ud800-42' }), 400, 2000);
      expectError(await post('login/account', { account: 'a@example.com', password: PASSWORD, autoRegister: true }), 400, 2000);
      expectError(await post('login/account', { account: 'a@example.com', password: PASSWORD, extra: 1 }), 400, 2000);
      expectError(
        await t
          .http()
          .post('/api/v1/login/account')
          .set('x-userpool-id', 'demo')
          .set('Content-Type', 'application/json')
          .send('{"account":'),
        400,
        2000,
      );
      await register('alice@example.com');
      expectOk(await post('login/account', { account: 'alice@example.com', password: PASSWORD, autoRegister: false }));
    });
  });

  describe('failed-login limits', () => {
    const burst = async (count: number, account = 'alice@example.com', from = '192.0.2.1') => {
      const responses = await Promise.all(Array.from({ length: count }, () => login(account, 'Wrong-Password-1', { from })));
      return responses.map((response) => response.body.code as number).sort();
    };

    beforeEach(() => register('alice@example.com'));

    it('30 concurrent wrong passwords count exactly LOGIN_FAILURES_PER_15_MIN failures; the rest and then the right password hear 2057', async () => {
      expect(await burst(30)).toEqual([...Array<number>(30 - GLOBAL_LIMIT).fill(2057), ...Array<number>(GLOBAL_LIMIT).fill(2333)]);
      const locked = await login('alice@example.com');
      expectError(locked, 429, 2057);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
      expectOk(await login('alice@example.com', PASSWORD, { from: '198.51.100.7' }));
    });

    it("reads the pool's own limit, and its window, which is also the lock's length", async () => {
      await poolAdmin().update('demo', { loginFailures: 3, loginWindowSeconds: 1 });
      expect(await burst(30)).toEqual([...Array<number>(27).fill(2057), ...Array<number>(3).fill(2333)]);
      const locked = await login('alice@example.com');
      expectError(locked, 429, 2057);
      expect(locked.headers['retry-after']).toBe('1');
      // The lock ends by the app's clock in memory, and by Redis's own clock there.
      clock.advance(2);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expectOk(await login('alice@example.com'));
    });

    it('locks an account for everyone past 20 failures from many addresses, whatever higher limit the pool sets', async () => {
      await poolAdmin().update('demo', { loginFailures: 50 });
      const codes: number[] = [];
      for (let i = 0; i < 22; i++) {
        codes.push((await login('alice@example.com', 'Wrong-Password-1', { from: `203.0.113.${i}` })).body.code);
      }
      expect(codes).toEqual([...Array<number>(21).fill(2333), 2057]);
      expectError(await login('alice@example.com', PASSWORD, { from: '198.51.100.7' }), 429, 2057);
    });
  });

  describe('POST /api/v1/email/send', () => {
    it('mails a code for each scene, saying what it is for', async () => {
      await register('alice@example.com');
      expectOk(await send('new@example.com', 'REGISTER_VERIFY_CODE'));
      expectOk(await send('alice@example.com', 'LOGIN_VERIFY_CODE'));
      expectOk(await send('alice@example.com', 'RESET_PASSWORD_VERIFY_CODE'));
      expect(mails.map((mail) => [mail.to, mail.subject])).toEqual([
        ['new@example.com', 'Your registration code'],
        ['alice@example.com', 'Your sign-in code'],
        ['alice@example.com', 'Your password reset code'],
      ]);
      expect(mails.every((mail) => /\b\d{6}\b/.test(mail.text))).toBe(true);
      expect(await t.dataSource.getRepository(VerificationCode).count()).toBe(3);
    });

    it('refuses what no code could serve: a taken or malformed address, an unknown user, a closed pool, an unknown scene', async () => {
      await register('alice@example.com');
      expectError(await send('alice@example.com', 'REGISTER_VERIFY_CODE'), 409, 2026);
      expectError(await send('not-an-email', 'LOGIN_VERIFY_CODE'), 400, 2003);
      expectError(await post('email/send', { scene: 'LOGIN_VERIFY_CODE' }), 400, 2028);
      expectError(await send('nobody@example.com', 'LOGIN_VERIFY_CODE'), 404, 2004);
      expectError(await send('nobody@example.com', 'RESET_PASSWORD'), 404, 2004);
      expectError(await send('alice@example.com', 'MFA_VERIFY'), 400, 2000);
      expectError(await post('email/send', { email: 'alice@example.com' }), 400, 2000);
      await createPool('closed', false);
      expectError(await send('new@example.com', 'REGISTER_VERIFY_CODE', { pool: 'closed' }), 403, 2031);
      expectError(await send('new@example.com', 'VERIFY_CODE', { pool: 'closed' }), 403, 2031);
      expect(mails).toHaveLength(0);
    });

    it('2100 with Retry-After for a second code within CODE_RESEND_SECONDS', async () => {
      await register('alice@example.com');
      expectOk(await send('alice@example.com', 'LOGIN_VERIFY_CODE'));
      clock.advance(30);
      const tooSoon = await send('alice@example.com', 'LOGIN_VERIFY_CODE');
      expectError(tooSoon, 429, 2100);
      expect(tooSoon.headers['retry-after']).toBe('30');
    });

    it('VERIFY_CODE sends a sign-in code to a user of the pool and a registration code to a new address', async () => {
      await register('alice@example.com');
      const loginCode = await sendCode('alice@example.com', 'VERIFY_CODE');
      expect(expectOk(await post('login/email-code', { email: 'alice@example.com', code: loginCode })).email).toBe('alice@example.com');
      const registrationCode = await sendCode('new@example.com', 'VERIFY_CODE');
      expect(expectOk(await post('register/email-code', { email: 'new@example.com', code: registrationCode })).email).toBe(
        'new@example.com',
      );
    });
  });

  describe('POST /api/v1/register/email-code', () => {
    it('registers with a code, verified, with or without a password; forceLogin signs in', async () => {
      const code = await sendCode('dora@example.com', 'REGISTER_VERIFY_CODE');
      const data = expectOk(await post('register/email-code', { email: 'dora@example.com', code }));
      expect(data).toMatchObject({
        email: 'dora@example.com',
        emailVerified: true,
        registerSource: ['basic:email-code'],
        token: null,
        newUser: true,
      });
      expectError(await login('dora@example.com', 'any-Password-1'), 400, 2333);

      const second = await sendCode('ed@example.com', 'REGISTER_VERIFY_CODE');
      const signedIn = expectOk(
        await post('register/email-code', { email: 'ed@example.com', code: second, password: PASSWORD, forceLogin: true }),
      );
      expect(signedIn).toMatchObject({ loginsCount: 1, lastIp: '192.0.2.1', newUser: true });
      expect(await meStatus(signedIn.token)).toBe(0);
      expectOk(await login('ed@example.com'));
    });

    it('2001 for a wrong code, 2300 for an expired one, 2000 without one; the user is made by none of them', async () => {
      const code = await sendCode('dora@example.com', 'REGISTER_VERIFY_CODE');
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(await post('register/email-code', { email: 'dora@example.com', code: wrong }), 400, 2001);
      expectError(await post('register/email-code', { email: 'dora@example.com' }), 400, 2000);
      expectError(await post('register/email-code', { email: 'dora@example.com', code: 123456 }), 400, 2001);
      clock.advance(t.config.codes.ttlSeconds);
      expectError(await post('register/email-code', { email: 'dora@example.com', code }), 400, 2300);
      expectError(await post('register/email-code', { email: 'dora@example.com', code: wrong }), 400, 2300);
      expect(await t.dataSource.getRepository(User).count()).toBe(0);
    });

    it('2026 for a taken email, and 2029 for a password below the pool level, before the code is spent', async () => {
      const code = await sendCode('dora@example.com', 'REGISTER_VERIFY_CODE');
      expectError(await post('register/email-code', { email: 'dora@example.com', code, password: 'abc' }), 400, 2029);
      await register('alice@example.com');
      expectError(await post('register/email-code', { email: 'alice@example.com', code }), 409, 2026);
      expectOk(await post('register/email-code', { email: 'dora@example.com', code }));
    });

    it('one code, 20 registrations at once: exactly one user', async () => {
      const code = await sendCode('race@example.com', 'REGISTER_VERIFY_CODE');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => post('register/email-code', { email: 'race@example.com', code })),
      );
      const codes = responses.map((response) => response.body.code as number);
      expect(codes.filter((c) => c === 0)).toHaveLength(1);
      expect(codes.filter((c) => c !== 0).every((c) => c === 2026 || c === 2001)).toBe(true);
      expect(await t.dataSource.getRepository(User).count()).toBe(1);
    });
  });

  describe('POST /api/v1/login/email-code', () => {
    beforeEach(() => register('alice@example.com'));

    it('signs in with a mailed code, once', async () => {
      const code = await sendCode('alice@example.com', 'LOGIN_VERIFY_CODE');
      const data = expectOk(await post('login/email-code', { email: 'alice@example.com', code }, { from: '203.0.113.4' }));
      expect(data).toMatchObject({ email: 'alice@example.com', loginsCount: 1, lastIp: '203.0.113.4', newUser: false });
      expect(await meStatus(data.token)).toBe(0);
      expectError(await post('login/email-code', { email: 'alice@example.com', code }), 400, 2001);
    });

    it('2001 wrong, 2300 expired, 2004 no such user, 2005 disabled (told only with the right code)', async () => {
      const code = await sendCode('alice@example.com', 'LOGIN_VERIFY_CODE');
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(await post('login/email-code', { email: 'alice@example.com', code: wrong }), 400, 2001);
      expectError(await post('login/email-code', { email: 'nobody@example.com', code }), 404, 2004);
      const { id } = await userRow('alice@example.com');
      await users().setStatus(id, { status: UserStatus.Disabled, source: 'test' });
      expectError(await post('login/email-code', { email: 'alice@example.com', code: wrong }), 400, 2001);
      expectError(await post('login/email-code', { email: 'alice@example.com', code }), 403, 2005);
      await users().setStatus(id, { status: UserStatus.Active, source: 'test' });
      clock.advance(60);
      const late = await sendCode('alice@example.com', 'LOGIN_VERIFY_CODE');
      clock.advance(t.config.codes.ttlSeconds);
      expectError(await post('login/email-code', { email: 'alice@example.com', code: late }), 400, 2300);
    });

    it('one code, 20 logins at once: one token', async () => {
      const code = await sendCode('alice@example.com', 'LOGIN_VERIFY_CODE');
      const responses = await Promise.all(Array.from({ length: 20 }, () => post('login/email-code', { email: 'alice@example.com', code })));
      expect(responses.map((response) => response.body.code as number).sort()).toEqual([0, ...Array<number>(19).fill(2001)]);
      expect((await userRow('alice@example.com')).loginsCount).toBe(1);
    });
  });

  describe('tokens: GET /api/v1/users/me and POST /api/v1/users/refresh-token', () => {
    it('answers the signed-in user with the token it was asked with, also as a bare Authorization value', async () => {
      await register('alice@example.com');
      const login1 = expectOk(await login('alice@example.com'));
      const me = expectOk(await get('users/me', { token: login1.token }));
      expect(me).toMatchObject({
        id: login1.id,
        email: 'alice@example.com',
        token: login1.token,
        tokenExpiredAt: login1.tokenExpiredAt,
        loginsCount: 1,
      });
      const bare = await t.http().get('/api/v1/users/me').set('x-userpool-id', 'demo').set('Authorization', login1.token);
      expect(expectOk(bare).id).toBe(login1.id);
    });

    it('2020 for a missing, malformed, forged, foreign, expired or not-yet-valid token', async () => {
      const { id } = await register('alice@example.com');
      const good = await tokenOf('alice@example.com');
      const claims = decode(good, { json: true })!;
      const secret = t.config.security.jwtSecret;
      const now = Math.floor(clock.now() / 1000);
      const forged = {
        'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${good.split('.')[1]}.`,
        'HS256 with another secret': sign(claims, 'another-secret-that-is-long-enough', { algorithm: 'HS256' }),
        'nbf ahead': sign({ ...claims, nbf: now + 3600 }, secret, { algorithm: 'HS256' }),
        'another claim changed, old signature': `${good.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: '999' })).toString('base64url')}.${good.split('.')[2]}`,
      };
      for (const [what, token] of Object.entries(forged)) {
        expect([what, await meStatus(token)]).toEqual([what, 2020]);
      }
      expectError(await get('users/me'), 401, 2020);
      expectError(await get('users/me', { token: 'not-a-jwt' }), 401, 2020);
      await createPool('other');
      expect(expectOk(await post('register/email', { email: 'alice@example.com', password: PASSWORD }, { pool: 'other' })).id).not.toBe(id);
      const otherPools = expectOk(await login('alice@example.com', PASSWORD, { pool: 'other' })).token as string;
      expect(await meStatus(otherPools)).toBe(2020);
      expect((await get('users/me', { pool: 'other', token: good })).body.code).toBe(2020);
      clock.advance(TOKEN_TTL_SECONDS);
      expect(await meStatus(good)).toBe(2020);
    });

    it("2020 for another dialect's token: a jsonapi-users access token, a bytepower session", async () => {
      const jsonapi = await t
        .http()
        .post('/api/register')
        .set('Content-Type', 'application/vnd.api+json')
        .send({ data: { attributes: { username: 'alice', password: PASSWORD } } });
      expect(jsonapi.status).toBe(200);
      expect(await meStatus(jsonapi.body.data.attributes.access_token)).toBe(2020);
      const key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({
        name: 'App',
        id: 'app1',
      });
      const bytepower = await t
        .http()
        .post('/bp/server/user/signup')
        .set('Accept', 'application/vnd.bytepower.v1+json')
        .set('X-BytePower-Auth-Token', sign({ key_name: key.keyName, iat: Math.floor(clock.now() / 1000) }, key.keySecret))
        .send({ name_password: { name: 'alice', password: PASSWORD } });
      expect(bytepower.status).toBe(200);
      expect(await meStatus(bytepower.body.user.session.session_token)).toBe(2020);
      expect(await meStatus(sign({ key_name: key.keyName, iat: Math.floor(clock.now() / 1000) }, key.keySecret))).toBe(2020);
    });

    it('refresh-token answers a new token as {token, iat, exp}; the one presented keeps working', async () => {
      await register('alice@example.com');
      const first = await tokenOf('alice@example.com');
      clock.advance(10);
      const data = expectOk(await post('users/refresh-token', {}, { token: first }));
      expect(Object.keys(data).sort()).toEqual(['exp', 'iat', 'token']);
      expect(data.token).not.toBe(first);
      expect(data).toMatchObject({ iat: Math.floor(clock.now() / 1000), exp: Math.floor(clock.now() / 1000) + TOKEN_TTL_SECONDS });
      expect(await meStatus(data.token)).toBe(0);
      expect(await meStatus(first)).toBe(0);
      const noBody = await t
        .http()
        .post('/api/v1/users/refresh-token')
        .set('x-userpool-id', 'demo')
        .set('Authorization', `Bearer ${first}`);
      expect(expectOk(noBody).token).toEqual(expect.any(String));
      expectError(await post('users/refresh-token', {}), 401, 2020);
    });
  });

  describe('GET /api/v1/logout', () => {
    it("ends every token of the user at once, the refreshed ones too; other users' stay", async () => {
      await register('alice@example.com');
      await register('bob@example.com');
      const first = await tokenOf('alice@example.com');
      const second = await tokenOf('alice@example.com');
      const refreshed = expectOk(await post('users/refresh-token', {}, { token: first })).token as string;
      const bobs = await tokenOf('bob@example.com');
      expect(expectOk(await get('logout?app_id=any', { token: second }))).toEqual({});
      for (const token of [first, second, refreshed]) {
        expect(await meStatus(token)).toBe(2020);
      }
      expect(await meStatus(bobs)).toBe(0);
      expectError(await get('logout', { token: first }), 401, 2020);
      expect(await meStatus(await tokenOf('alice@example.com'))).toBe(0);
    });

    it('refuses a HEAD with 405 and Allow: GET, ending nothing', async () => {
      await register('alice@example.com');
      const token = await tokenOf('alice@example.com');
      for (const call of [{ token }, { token, pool: null }, {}]) {
        const head = await withHeaders(t.http().head('/api/v1/logout'), call);
        expect({ status: head.status, allow: head.headers.allow, type: head.headers['content-type'] }).toEqual({
          status: 405,
          allow: 'GET',
          type: expect.stringMatching(/^application\/json/),
        });
      }
      expect(await meStatus(token)).toBe(0);
    });
  });

  describe('POST /api/v1/password/reset/email', () => {
    beforeEach(() => register('alice@example.com'));
    const reset = (body: object) => post('password/reset/email', body);

    it('sets the new password with a reset code and ends every earlier token', async () => {
      const before = await tokenOf('alice@example.com');
      const code = await sendCode('alice@example.com', 'RESET_PASSWORD_VERIFY_CODE');
      expect(expectOk(await reset({ email: 'alice@example.com', code, newPassword: NEW_PASSWORD }))).toEqual({});
      expect(await meStatus(before)).toBe(2020);
      expectError(await login('alice@example.com'), 400, 2333);
      expectOk(await login('alice@example.com', NEW_PASSWORD));
      expectError(await reset({ email: 'alice@example.com', code, newPassword: PASSWORD }), 400, 2001);
    });

    it('takes a code sent with the older scene RESET_PASSWORD', async () => {
      const code = await sendCode('alice@example.com', 'RESET_PASSWORD');
      expectOk(await reset({ email: 'alice@example.com', code, newPassword: NEW_PASSWORD }));
    });

    it('2004, 2001, 2300, 2032 and 2029; a refused password leaves the code for a better one', async () => {
      const code = await sendCode('alice@example.com', 'RESET_PASSWORD_VERIFY_CODE');
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(await reset({ email: 'nobody@example.com', code, newPassword: NEW_PASSWORD }), 404, 2004);
      expectError(await reset({ email: 'alice@example.com', code: wrong, newPassword: NEW_PASSWORD }), 400, 2001);
      expectError(await reset({ email: 'alice@example.com', code }), 400, 2032);
      expectError(await reset({ email: 'alice@example.com', code, newPassword: 'abc' }), 400, 2029);
      expectError(await reset({ email: 'alice@example.com', code, newPassword: 'password1' }), 400, 2029);
      expectOk(await reset({ email: 'alice@example.com', code, newPassword: NEW_PASSWORD }));
      clock.advance(60);
      const late = await sendCode('alice@example.com', 'RESET_PASSWORD_VERIFY_CODE');
      clock.advance(t.config.codes.ttlSeconds);
      expectError(await reset({ email: 'alice@example.com', code: late, newPassword: PASSWORD }), 400, 2300);
    });
  });

  describe('POST /api/v1/password/update', () => {
    const update = (token: string, body: object, call: Call = {}) => post('password/update', body, { ...call, token });

    it('changes the password, ends every earlier token, and answers the user with a new one', async () => {
      await register('alice@example.com');
      const token = await tokenOf('alice@example.com');
      const other = await tokenOf('alice@example.com');
      const data = expectOk(await update(token, { oldPassword: PASSWORD, newPassword: NEW_PASSWORD }));
      expect(data).toMatchObject({ email: 'alice@example.com', loginsCount: 2 });
      expect(await meStatus(token)).toBe(2020);
      expect(await meStatus(other)).toBe(2020);
      expect(await meStatus(data.token)).toBe(0);
      expectError(await login('alice@example.com'), 400, 2333);
      expectOk(await login('alice@example.com', NEW_PASSWORD));
    });

    it('2203 for a wrong or missing old password, 2029 and 2032 for the new one, 2020 without a live token', async () => {
      await register('alice@example.com');
      const token = await tokenOf('alice@example.com');
      expectError(await update(token, { oldPassword: 'Wrong-Password-1', newPassword: NEW_PASSWORD }), 400, 2203);
      expectError(await update(token, { newPassword: NEW_PASSWORD }), 400, 2203);
      expectError(await update(token, { oldPassword: PASSWORD, newPassword: 'abc' }), 400, 2029);
      expectError(await update(token, { oldPassword: PASSWORD }), 400, 2032);
      expectError(await post('password/update', { oldPassword: PASSWORD, newPassword: NEW_PASSWORD }), 401, 2020);
      expect(await meStatus(token)).toBe(0);
      expectOk(await login('alice@example.com'));
    });

    it('counts wrong old passwords like failed logins, under the pool limit', async () => {
      await poolAdmin().update('demo', { loginFailures: 2 });
      await register('alice@example.com');
      const token = await tokenOf('alice@example.com');
      const codes: number[] = [];
      for (const oldPassword of ['Wrong-1-aaa', 'Wrong-2-bbb', PASSWORD]) {
        codes.push((await update(token, { oldPassword, newPassword: NEW_PASSWORD })).body.code);
      }
      expect(codes).toEqual([2203, 2203, 2057]);
    });

    it('lets a user made by an email code, who has no password, set one without an old one', async () => {
      const code = await sendCode('dora@example.com', 'REGISTER_VERIFY_CODE');
      const { token } = expectOk(await post('register/email-code', { email: 'dora@example.com', code, forceLogin: true }));
      expectOk(await update(token, { newPassword: NEW_PASSWORD }));
      expectOk(await login('dora@example.com', NEW_PASSWORD));
    });
  });
});

describe('userpool set --login-failures --login-window-seconds', () => {
  let env: Record<string, string>;

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

  it('sets the pool limit, which the next login reads; default gives the global one back', async () => {
    expect((await cli('userpool', 'create', '--name', 'P', '--id', 'p1', '--json')).error).toBeUndefined();
    expect(
      parseJsonOutput(
        (await cli('userpool', 'set', '--id', 'p1', '--login-failures', '2', '--login-window-seconds', '600', '--json')).stdout,
      ),
    ).toEqual({
      ok: true,
      id: 'p1',
      loginFailures: 2,
      loginWindowSeconds: 600,
    });
    const loginCodes = async (tries: number) => {
      const t = await createTestApp({ DB_URL: env.DB_URL, DATA_DIR: env.DATA_DIR });
      try {
        const call = (path: string, body: object) => t.http().post(`/api/v1/${path}`).set('x-userpool-id', 'p1').send(body);
        await call('register/email', { email: `u${tries}@example.com`, password: PASSWORD }).expect(200);
        const codes: number[] = [];
        for (let i = 0; i < tries; i++) {
          codes.push((await call('login/account', { account: `u${tries}@example.com`, password: 'Wrong-Password-1' })).body.code);
        }
        return codes;
      } finally {
        await t.close();
      }
    };
    expect(await loginCodes(3)).toEqual([2333, 2333, 2057]);
    expect(parseJsonOutput((await cli('userpool', 'set', '--id', 'p1', '--login-failures', 'default', '--json')).stdout)).toEqual({
      ok: true,
      id: 'p1',
      loginFailures: 'default',
    });
    expect(await loginCodes(GLOBAL_LIMIT + 1)).toEqual([...Array<number>(GLOBAL_LIMIT).fill(2333), 2057]);
    // Three CLI runs and two apps, each migrating its database on MariaDB.
  }, 60_000);

  it.each([
    [['--login-failures', '0'], /--login-failures must be a whole number from 1 to 1000/],
    [['--login-failures', 'many'], /--login-failures must be a whole number from 1 to 1000/],
    [['--login-window-seconds', '86401'], /--login-window-seconds must be a whole number from 1 to 86400/],
    [[], /nothing to set/],
  ])('refuses %j', async (args, message) => {
    await cli('userpool', 'create', '--name', 'P', '--id', 'p1');
    expect((await cli('userpool', 'set', '--id', 'p1', ...args)).error?.message).toMatch(message);
  });

  it('refuses an unknown pool', async () => {
    expect((await cli('userpool', 'set', '--id', 'missing', '--login-failures', '3')).error?.message).toMatch(/no userpool named missing/);
  });
});
