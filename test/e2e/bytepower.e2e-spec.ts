import { createHmac } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { Session } from '../../src/tokens/entities/session.entity';
import { User } from '../../src/users/entities/user.entity';
import { VerificationCode } from '../../src/users/entities/verification-code.entity';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { SmtpTestServer } from '../utils/smtp-test-server';
import { BYTEPOWER_TENANT_KIND } from '../../src/dialects/bytepower/bytepower.tenant-kind';

const ACCEPT = 'application/vnd.bytepower.v1+json';
const SIGNUP = '/bp/server/user/signup';
const LOGIN = '/bp/server/user/login';
const ME = '/bp/server/user/me';
const SEND_CODE = '/bp/server/user/send_email_verify_code';

const DEVICE = {
  segment_id: 'test_segment_id',
  custom_config_id: 'custom_config_id_123',
  login_device_id: 'login_device_id',
  simple_cuid: 'test_simple_cuid',
  cuid_v2: 'test_custom_uid_v2',
  imei: 'test_imei',
  oaid: 'test_oaid',
  cuid: 'test_custom_uid',
  platform: 'ios',
  idfa: 'test_idfa',
  idfv: 'test_idfv',
  gaid: 'test_gaid',
  appsflyer_id: 'appsflyer_id',
  app_instance_id: 'app_instance_id',
  uuid: 'uuid',
};

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs by hand, for payloads and headers the JWT library refuses to produce. */
const signed = (header: object, payload: object, secret: string) => {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};
const hs256 = (payload: object, secret: string) => signed({ alg: 'HS256', typ: 'JWT' }, payload, secret);

describe('bytepower dialect: /bp/server/user/...', () => {
  const smtp = new SmtpTestServer();
  const clock = new FakeClock();
  let t: TestApp;
  let key: IssuedAppKey;

  // The admin service belongs to the CLI; the test builds it on the app's own services.
  const admin = () => new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService));
  const users = () => t.dataSource.getRepository(User);
  const nowSeconds = () => Math.floor(clock.now() / 1000);

  /** A token as an AppServer mints it: HS256 over `{key_name, iat}` with the key's secret. */
  const mint = (k: Pick<IssuedAppKey, 'keyName' | 'keySecret'> = key, payload: object = {}) =>
    sign({ key_name: k.keyName, iat: nowSeconds(), ...payload }, k.keySecret, { algorithm: 'HS256' });

  const call = (method: 'get' | 'post' | 'put' | 'delete' | 'patch', path: string, token: string | null = mint()) => {
    const request = t.http()[method](path).set('Accept', ACCEPT);
    return token === null ? request : request.set('X-BytePower-Auth-Token', token);
  };
  const signup = (body: object, token?: string | null) => call('post', SIGNUP, token).send(body);
  const login = (body: object, token?: string | null) => call('post', LOGIN, token).send(body);
  const sendCode = (body: object) => call('post', SEND_CODE).send(body);

  const expectError = (response: { status: number; body: unknown }, status: number, errorType: string) => {
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { error: { error_type: errorType, message: expect.any(String) } },
    });
  };

  beforeAll(async () => {
    // In memory even when the suite runs with Redis: lockouts here expire by the fake clock, Redis by its own.
    t = await createTestApp({ SMTP_URL: await smtp.start(), REDIS_URL: '' }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    smtp.refuse = false;
    key = await admin().createApp({ name: 'Test app', id: 'app1' });
  });

  describe('sign-up', () => {
    it('signs a user up by name with every device field and answers the seed user object with a session', async () => {
      const response = await signup({ name_password: { name: 'happymumu', password: 'Tulip-Garden-42' }, ...DEVICE });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        user: {
          uid: expect.stringMatching(/^u\d+$/),
          name: 'happymumu',
          create_time: expect.any(Number),
          is_new_user: true,
          social_accounts: [],
          phone: null,
          email: null,
          cuid: 'test_custom_uid',
          session: { session_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
        },
      });
      const stored = await users().findOneByOrFail({ username: 'happymumu' });
      expect(response.body.user.create_time).toBe(stored.createdAt);
      expect(stored.profile).toEqual(DEVICE);
      expect(stored.registerSource).toBe('bytepower:name_password');
      expect(JSON.stringify(response.body)).not.toMatch(/Tulip-Garden-42|\$2[aby]\$/);
    });

    it('signs a user up by email, keeping the email platform apart from the device platform', async () => {
      const response = await signup({
        email_password: { email: 'Mou@Example.com', password: 'Tulip-Garden-42', platform: 'website' },
        platform: 'ios',
      });
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({ name: null, email: 'Mou@Example.com', cuid: null, is_new_user: true });
      const stored = await users().findOneByOrFail({ emailNormalized: 'mou@example.com' });
      expect(stored.profile).toEqual({ platform: 'ios', email_platform: 'website' });
      expect(stored.emailVerified).toBe(false);
    });

    it('stores only a hash of the session token', async () => {
      const response = await signup({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } });
      const token = response.body.user.session.session_token as string;
      const rows = await t.dataSource.getRepository(Session).find();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it.each([
      [
        'both objects',
        {
          name_password: { name: 'a', password: 'Tulip-Garden-42' },
          email_password: { email: 'a@example.com', password: 'Tulip-Garden-42' },
        },
        'name_password, email_password: exactly one of these is required.',
      ],
      ['neither object', { segment_id: 'x' }, 'name_password, email_password: exactly one of these is required.'],
      ['an empty object', {}, 'name_password, email_password: exactly one of these is required.'],
      [
        'a numeric verify_code',
        { email_password: { email: 'a@example.com', password: 'Tulip-Garden-42', verify_code: 123456 } },
        'email_password.verify_code',
      ],
      [
        'a verify_code of 33 characters',
        { email_password: { email: 'a@example.com', password: 'Tulip-Garden-42', verify_code: '1'.repeat(33) } },
        'email_password.verify_code',
      ],
      ['an unknown top-level field', { name_password: { name: 'a', password: 'Tulip-Garden-42' }, nickname: 'x' }, 'nickname'],
      ['an unknown nested field', { name_password: { name: 'a', password: 'Tulip-Garden-42', extra: 1 } }, 'name_password.extra'],
      ['name_password not an object', { name_password: 'alice:123456' }, 'name_password'],
      ['name_password an array', { name_password: [] }, 'name_password'],
      ['name_password null', { name_password: null }, 'name_password'],
      [
        'email_password null beside a valid name_password',
        { name_password: { name: 'a', password: 'Tulip-Garden-42' }, email_password: null },
        'email_password',
      ],
      ['a missing name', { name_password: { password: 'Tulip-Garden-42' } }, 'name_password.name'],
      ['an empty name', { name_password: { name: '', password: 'Tulip-Garden-42' } }, 'name_password.name'],
      ['a numeric name', { name_password: { name: 42, password: 'Tulip-Garden-42' } }, 'name_password.name'],
      ['a name of 65 characters', { name_password: { name: 'n'.repeat(65), password: 'Tulip-Garden-42' } }, 'name_password.name'],
      ['a name with a zero-width space', { name_password: { name: 'ali\u200bce', password: 'Tulip-Garden-42' } }, 'name_password.name'],
      ['a missing password', { name_password: { name: 'alice' } }, 'name_password.password'],
      ['a numeric password', { name_password: { name: 'alice', password: 123456 } }, 'name_password.password'],
      ['a password of five characters', { name_password: { name: 'alice', password: '12345' } }, 'name_password.password'],
      ['a password over 72 bytes', { name_password: { name: 'alice', password: '密'.repeat(25) } }, 'name_password.password'],
      ['a malformed email', { email_password: { email: 'not-an-email', password: 'Tulip-Garden-42' } }, 'email_password.email'],
      ['a missing email', { email_password: { password: 'Tulip-Garden-42' } }, 'email_password.email'],
      ['a numeric device field', { name_password: { name: 'alice', password: 'Tulip-Garden-42' }, imei: 123 }, 'imei'],
      [
        'a device field of 257 characters',
        { name_password: { name: 'alice', password: 'Tulip-Garden-42' }, imei: 'x'.repeat(257) },
        'imei',
      ],
    ])('refuses %s with invalid_parameter naming the field, creating nothing', async (_label, body, field) => {
      const response = await signup(body);
      expectError(response, 400, 'invalid_parameter');
      expect(response.body.error.message).toContain(field);
      expect(await users().count()).toBe(0);
    });

    it.each([
      ['a JSON array', '[]'],
      ['a JSON string', '"signup"'],
      ['malformed JSON', '{"name_password": '],
    ])('refuses %s as the body with invalid_parameter', async (_label, raw) => {
      expectError(await call('post', SIGNUP).set('Content-Type', 'application/json').send(raw), 400, 'invalid_parameter');
    });

    it('refuses a form body and an oversized body in its envelope', async () => {
      expectError(await call('post', SIGNUP).type('form').send('name=alice&password=123456'), 400, 'invalid_parameter');
      const huge = { name_password: { name: 'alice', password: 'Tulip-Garden-42' }, imei: 'x'.repeat(1024 * 1024 + 1) };
      expectError(await signup(huge), 413, 'invalid_parameter');
    });

    it.each([
      ['the same name', 'alice', 'alice'],
      ['the name in another case', 'alice', 'ALICE'],
      ['the name in a compatibility form', 'john', 'ｊｏｈｎ'],
    ])('answers user_already_exists for %s in one app', async (_label, first, second) => {
      expect((await signup({ name_password: { name: first, password: 'Tulip-Garden-42' } })).status).toBe(200);
      expectError(await signup({ name_password: { name: second, password: 'Tulip-Garden-42' } }), 400, 'user_already_exists');
      expect(await users().count()).toBe(1);
    });

    it('answers user_already_exists for an email in another case', async () => {
      expect((await signup({ email_password: { email: 'a@example.com', password: 'Tulip-Garden-42' } })).status).toBe(200);
      expectError(await signup({ email_password: { email: 'A@EXAMPLE.COM', password: 'Tulip-Garden-42' } }), 400, 'user_already_exists');
    });

    it('keeps apps apart: one name can sign up in two apps', async () => {
      const other = await admin().createApp({ name: 'Other', id: 'app2' });
      expect((await signup({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } })).status).toBe(200);
      expect((await signup({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } }, mint(other))).status).toBe(200);
    });

    it('lets exactly one of 20 concurrent sign-ups of one name win', async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => signup({ name_password: { name: 'racer', password: 'Tulip-Garden-42' } })),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expectError(response, 400, 'user_already_exists');
      }
      expect(await users().count()).toBe(1);
    });

    it('answers config_invalid when the app settings are unusable', async () => {
      const app = await t.app.get(TenantsService).require(BYTEPOWER_TENANT_KIND, 'app1');
      await t.app.get(TenantsService).updateSettings(app, { signupVerification: 'sometimes' });
      expectError(await signup({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } }), 500, 'config_invalid');
    });
  });

  describe('authentication of every call', () => {
    const body = { name_password: { name: 'alice', password: 'Tulip-Garden-42' } };

    it.each([
      ['missing', undefined],
      ['another version', 'application/vnd.bytepower.v2+json'],
      ['plain JSON', 'application/json'],
      ['anything', '*/*'],
      ['refused with q=0', 'application/vnd.bytepower.v1+json;q=0'],
      ['refused with q=0.000 beside plain JSON', 'application/json, application/vnd.bytepower.v1+json; q=0.000'],
    ])('answers invalid_api_version when Accept is %s, before looking at the token', async (_label, accept) => {
      const request = t.http().post(SIGNUP);
      const response = await (accept === undefined ? request : request.set('Accept', accept)).send(body);
      expectError(response, 400, 'invalid_api_version');
    });

    it.each([
      ['malformed JSON', '{"name_password": ', 'application/json'],
      ['an oversized body', JSON.stringify({ imei: 'x'.repeat(1024 * 1024 + 1) }), 'application/json'],
      ['a form body', 'name=alice', 'application/x-www-form-urlencoded'],
    ])('answers invalid_api_version before reading %s', async (_label, raw, type) => {
      expectError(await t.http().post(SIGNUP).set('Content-Type', type).send(raw), 400, 'invalid_api_version');
    });

    it('accepts the versioned type among others and with parameters', async () => {
      const response = await t
        .http()
        .post(SIGNUP)
        .set('Accept', `application/json, ${ACCEPT}; q=0.9`)
        .set('X-BytePower-Auth-Token', mint())
        .send(body);
      expect(response.status).toBe(200);
    });

    it.each([
      ['iat in seconds', () => nowSeconds()],
      ['iat in milliseconds', () => clock.now()],
      ['iat five minutes ahead (clock skew)', () => nowSeconds() + 300],
      ['iat an hour old', () => nowSeconds() - 3600],
    ])('accepts a token with %s', async (_label, iat) => {
      expect((await signup(body, mint(key, { iat: iat() }))).status).toBe(200);
    });

    it('accepts a hand-made HS256 token, so the forged variants below fail for their flaw alone', async () => {
      expect((await signup(body, hs256({ key_name: key.keyName, iat: nowSeconds() }, key.keySecret))).status).toBe(200);
    });

    const forged: [string, () => string | null][] = [
      ['no token', () => null],
      ['an empty token', () => ''],
      ['a malformed token', () => 'jwtheader.jwtpayload.jwtsignature'],
      ['an unknown key', () => mint({ keyName: 'bpk_unknown', keySecret: key.keySecret })],
      ['the wrong secret', () => mint({ keyName: key.keyName, keySecret: 'not-the-secret' })],
      ['no key_name', () => sign({ iat: nowSeconds() }, key.keySecret, { algorithm: 'HS256' })],
      ['a numeric key_name', () => sign({ key_name: 7, iat: nowSeconds() }, key.keySecret, { algorithm: 'HS256' })],
      ['no iat', () => sign({ key_name: key.keyName }, key.keySecret, { algorithm: 'HS256', noTimestamp: true })],
      ['a string iat', () => hs256({ key_name: key.keyName, iat: String(nowSeconds()) }, key.keySecret)],
      ['an iat over an hour old', () => mint(key, { iat: nowSeconds() - 3601 })],
      ['an iat in the future', () => mint(key, { iat: nowSeconds() + 301 })],
      ['an expired exp', () => mint(key, { exp: nowSeconds() - 1 })],
      ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ key_name: key.keyName, iat: nowSeconds() })}.`],
      ['HS512', () => sign({ key_name: key.keyName, iat: nowSeconds() }, key.keySecret, { algorithm: 'HS512' })],
      [
        'RS256 signed with the secret as an HMAC key',
        () => signed({ alg: 'RS256', typ: 'JWT' }, { key_name: key.keyName, iat: nowSeconds() }, key.keySecret),
      ],
      ['a hand-made HS256 token with the right secret but a JSON array payload', () => hs256([key.keyName], key.keySecret)],
      [
        'a payload altered after signing',
        () => {
          const [header, , signature] = mint().split('.');
          return `${header}.${b64({ key_name: key.keyName, iat: nowSeconds(), admin: true })}.${signature}`;
        },
      ],
    ];

    it.each(forged)('answers unauthorized for %s, creating nothing', async (_label, token) => {
      expectError(await signup(body, token()), 401, 'unauthorized');
      expectError(await call('get', ME, token()).set('X-BytePower-Session-Token', 'x'), 401, 'unauthorized');
      expect(await users().count()).toBe(0);
    });

    it('rotates keys without downtime and refuses a revoked key on the very next request', async () => {
      const second = await admin().createKey('app1');
      expect((await signup({ name_password: { name: 'one', password: 'Tulip-Garden-42' } }, mint(key))).status).toBe(200);
      expect((await signup({ name_password: { name: 'two', password: 'Tulip-Garden-42' } }, mint(second))).status).toBe(200);
      await admin().revokeKey(key.keyName);
      expectError(await signup({ name_password: { name: 'three', password: 'Tulip-Garden-42' } }, mint(key)), 401, 'unauthorized');
      expect((await signup({ name_password: { name: 'four', password: 'Tulip-Garden-42' } }, mint(second))).status).toBe(200);
    });

    it('refuses a key whose app was disabled', async () => {
      await t.app.get(TenantsService).setEnabled(BYTEPOWER_TENANT_KIND, 'app1', false);
      expectError(await signup(body), 401, 'unauthorized');
    });
  });

  describe('sessions and login', () => {
    const signUp = async (body: object) => {
      const response = await signup(body);
      expect(response.status).toBe(200);
      return response.body.user as { uid: string; create_time: number; session: { session_token: string } };
    };
    const me = (sessionToken: string, token = mint()) => call('get', ME, token).set('X-BytePower-Session-Token', sessionToken);

    it('identifies the user of a session on a later call', async () => {
      const user = await signUp({ name_password: { name: 'alice', password: 'Tulip-Garden-42' }, cuid: 'c1' });
      const response = await me(user.session.session_token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        user: {
          uid: user.uid,
          name: 'alice',
          create_time: user.create_time,
          is_new_user: false,
          social_accounts: [],
          phone: null,
          email: null,
          cuid: 'c1',
        },
      });
    });

    it('refuses a missing, unknown, expired or other app session', async () => {
      const user = await signUp({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } });
      expectError(await call('get', ME), 401, 'unauthorized');
      expectError(await me('not-a-session'), 401, 'unauthorized');
      const other = await admin().createApp({ name: 'Other', id: 'app2' });
      expectError(await me(user.session.session_token, mint(other)), 401, 'unauthorized');
      clock.advance(30 * 24 * 3600 - 1);
      expect((await me(user.session.session_token)).status).toBe(200);
      clock.advance(1);
      expectError(await me(user.session.session_token), 401, 'unauthorized');
    });

    it.each([
      [
        'name',
        { name_password: { name: 'alice', password: 'Tulip-Garden-42' } },
        { name_password: { name: 'ALICE', password: 'Tulip-Garden-42' } },
      ],
      [
        'email',
        { email_password: { email: 'a@example.com', password: 'Tulip-Garden-42' } },
        { email_password: { email: 'A@example.com', password: 'Tulip-Garden-42' } },
      ],
    ])('logs in by %s with a new session and is_new_user false', async (_label, signupBody, loginBody) => {
      const user = await signUp(signupBody);
      const response = await login(loginBody);
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({ uid: user.uid, is_new_user: false, session: { session_token: expect.any(String) } });
      expect(response.body.user.session.session_token).not.toBe(user.session.session_token);
      expect((await me(response.body.user.session.session_token)).body.user.uid).toBe(user.uid);
    });

    it('gives a wrong password and an unknown user the same error', async () => {
      await signUp({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } });
      const wrong = await login({ name_password: { name: 'alice', password: '654321' } });
      const unknown = await login({ name_password: { name: 'nobody', password: 'Tulip-Garden-42' } });
      expectError(wrong, 400, 'invalid_credentials');
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.status).toBe(wrong.status);
    });

    it('refuses login requests with both, neither or malformed credentials', async () => {
      expectError(await login({}), 400, 'invalid_parameter');
      expectError(
        await login({ name_password: { name: 'a', password: 'b' }, email_password: { email: 'a@example.com', password: 'b' } }),
        400,
        'invalid_parameter',
      );
      expectError(await login({ name_password: { name: 'alice' } }), 400, 'invalid_parameter');
      expectError(await login({ email_password: { email: 7, password: 'x' } }), 400, 'invalid_parameter');
      expectError(await login({ email_password: null }), 400, 'invalid_parameter');
      expectError(await login({ name_password: null }), 400, 'invalid_parameter');
    });

    it('locks an account for this client after five failures, for fifteen minutes', async () => {
      await signUp({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } });
      for (let i = 0; i < 5; i++) {
        expectError(await login({ name_password: { name: 'alice', password: 'wrong!' } }), 400, 'invalid_credentials');
      }
      expectError(await login({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } }), 429, 'api_rate_limit');
      clock.advance(15 * 60);
      expect((await login({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } })).status).toBe(200);
    });
  });

  describe('email codes and sign-up verification', () => {
    const verifyOn = () => admin().updateSettings('app1', { signupVerification: true });
    const codeFor = async (email: string) => {
      const response = await sendCode({ email, type: 'sign_up_email', platform: 'website' });
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: {} });
      return smtp.lastCode(email);
    };

    it('requires a mailed code when verification is on, and spends it with the user', async () => {
      await verifyOn();
      const code = await codeFor('v@example.com');
      expectError(await signup({ email_password: { email: 'v@example.com', password: 'Tulip-Garden-42' } }), 400, 'invalid_verify_code');
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(
        await signup({ email_password: { email: 'v@example.com', password: 'Tulip-Garden-42', verify_code: wrong } }),
        400,
        'invalid_verify_code',
      );
      const response = await signup({ email_password: { email: 'v@example.com', password: 'Tulip-Garden-42', verify_code: code } });
      expect(response.status).toBe(200);
      expect((await users().findOneByOrFail({ emailNormalized: 'v@example.com' })).emailVerified).toBe(true);
      expect(
        (await t.dataSource.getRepository(VerificationCode).findOneByOrFail({ recipient: 'v@example.com' })).consumedAt,
      ).not.toBeNull();
    });

    it('refuses a code after it expires', async () => {
      await verifyOn();
      const code = await codeFor('late@example.com');
      clock.advance(600);
      expectError(
        await signup({ email_password: { email: 'late@example.com', password: 'Tulip-Garden-42', verify_code: code } }),
        400,
        'invalid_verify_code',
      );
    });

    it('ignores verify_code when verification is off', async () => {
      const response = await signup({ email_password: { email: 'off@example.com', password: 'Tulip-Garden-42', verify_code: 'anything' } });
      expect(response.status).toBe(200);
    });

    it('does not need a code for name sign-ups even when verification is on', async () => {
      await verifyOn();
      expect((await signup({ name_password: { name: 'alice', password: 'Tulip-Garden-42' } })).status).toBe(200);
    });

    it('answers user_already_exists before asking for a code for a taken address', async () => {
      expect((await signup({ email_password: { email: 'taken@example.com', password: 'Tulip-Garden-42' } })).status).toBe(200);
      await verifyOn();
      expectError(
        await signup({ email_password: { email: 'taken@example.com', password: 'Tulip-Garden-42' } }),
        400,
        'user_already_exists',
      );
      expectError(await sendCode({ email: 'taken@example.com', type: 'sign_up_email' }), 400, 'user_already_exists');
    });

    it.each([
      ['another type', { email: 'a@example.com', type: 'reset_password' }, 'type'],
      ['no type', { email: 'a@example.com' }, 'type'],
      ['no email', { type: 'sign_up_email' }, 'email'],
      ['a malformed email', { email: 'nope', type: 'sign_up_email' }, 'email'],
      ['an unknown field', { email: 'a@example.com', type: 'sign_up_email', lang: 'en' }, 'lang'],
    ])('refuses a code request with %s', async (_label, body, field) => {
      const response = await sendCode(body);
      expectError(response, 400, 'invalid_parameter');
      expect(response.body.error.message).toContain(field);
    });

    it('answers api_rate_limit for a second code within the resend interval', async () => {
      await codeFor('again@example.com');
      expectError(await sendCode({ email: 'again@example.com', type: 'sign_up_email' }), 429, 'api_rate_limit');
      clock.advance(60);
      await codeFor('again@example.com');
    });

    it('answers gateway when the mail cannot be sent, leaving no code behind', async () => {
      smtp.refuse = true;
      expectError(await sendCode({ email: 'lost@example.com', type: 'sign_up_email' }), 502, 'gateway');
      expect(await t.dataSource.getRepository(VerificationCode).count()).toBe(0);
    });
  });

  describe('the rest of the table', () => {
    it.each([
      ['get', SIGNUP, 'POST'],
      ['put', LOGIN, 'POST'],
      ['delete', SEND_CODE, 'POST'],
      ['post', ME, 'GET, HEAD'],
      ['patch', ME, 'GET, HEAD'],
    ] as const)('answers %s %s with method_not_allowed and an Allow header', async (method, path, allow) => {
      const response = await call(method, path);
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.allow).toBe(allow);
    });

    it('answers unknown /bp/ routes in its envelope', async () => {
      expectError(await call('post', '/bp/server/user/delete'), 404, 'not_found');
      expectError(await t.http().get('/bp/').set('Accept', ACCEPT), 404, 'not_found');
      expectError(await t.http().get('/bp/'), 400, 'invalid_api_version');
    });

    it('is documented in /docs with request and response schemas', async () => {
      const document = (await t.http().get('/docs/openapi.json').expect(200)).body;
      for (const [path, method] of [
        [SIGNUP, 'post'],
        [LOGIN, 'post'],
        [ME, 'get'],
        [SEND_CODE, 'post'],
      ]) {
        const operation = document.paths[path]?.[method];
        expect(operation?.responses?.['200']?.content).toBeDefined();
        expect(operation.responses['401']).toBeDefined();
      }
      expect(document.paths[SIGNUP].post.requestBody.content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/SignupRequestDto',
      });
      expect(Object.keys(document.components.schemas.SignupRequestDto.properties).sort()).toEqual(
        ['name_password', 'email_password', ...Object.keys(DEVICE)].sort(),
      );
    });
  });
});

describe('bytepower dialect: rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('answers api_rate_limit past RATE_LIMIT_PER_MINUTE requests from one client', async () => {
    const key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({
      name: 'Limited',
      id: 'limited',
    });
    const token = sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' });
    const attempt = (name: string) =>
      t
        .http()
        .post(SIGNUP)
        .set('Accept', ACCEPT)
        .set('X-BytePower-Auth-Token', token)
        .send({ name_password: { name, password: 'Tulip-Garden-42' } });
    expect((await attempt('a')).status).toBe(200);
    expect((await attempt('b')).status).toBe(200);
    const limited = await attempt('c');
    expect({ status: limited.status, type: limited.body.error?.error_type }).toEqual({ status: 429, type: 'api_rate_limit' });
  });
});
