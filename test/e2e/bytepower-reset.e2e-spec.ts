import { sign } from 'jsonwebtoken';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { CodePurpose, VerificationCode } from '../../src/users/entities/verification-code.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { SmtpTestServer } from '../utils/smtp-test-server';

const ACCEPT = 'application/vnd.bytepower.v1+json';
const SIGNUP = '/bp/server/user/signup';
const LOGIN = '/bp/server/user/login';
const ME = '/bp/server/user/me';
const SEND_CODE = '/bp/server/user/send_email_verify_code';
const RESET = '/bp/server/user/reset_password';
const OLD_PASSWORD = 'Tulip-Garden-42';
const NEW_PASSWORD = 'Maple-Harbour-97';
const EMAIL = 'mou@example.com';

interface Answer {
  status: number;
  body: { user?: Record<string, unknown> & { session?: { session_token: string } }; error?: { error_type: string; message: string } };
  headers: Record<string, string>;
}

const expectError = (response: Answer, status: number, errorType: string, message?: string) => {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { error: { error_type: errorType, message: message === undefined ? expect.any(String) : expect.stringContaining(message) } },
  });
};

describe('bytepower dialect: password reset by email code', () => {
  const smtp = new SmtpTestServer();
  const clock = new FakeClock();
  let t: TestApp;
  let key: IssuedAppKey;

  const admin = () => new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService));
  const users = () => t.dataSource.getRepository(User);
  const codes = () => t.dataSource.getRepository(VerificationCode);

  const mint = () => sign({ key_name: key.keyName, iat: Math.floor(clock.now() / 1000) }, key.keySecret, { algorithm: 'HS256' });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    t
      .http()
      .post(path)
      .set('Accept', ACCEPT)
      .set('X-BytePower-Auth-Token', mint())
      .set(headers)
      .send(body as object) as unknown as Promise<Answer>;
  const me = (sessionToken: string) =>
    t
      .http()
      .get(ME)
      .set('Accept', ACCEPT)
      .set('X-BytePower-Auth-Token', mint())
      .set('X-BytePower-Session-Token', sessionToken) as unknown as Promise<Answer>;
  const login = (password: string, email = EMAIL, headers: Record<string, string> = {}) =>
    post(LOGIN, { email_password: { email, password } }, headers);
  const reset = (body: unknown) => post(RESET, body);

  /** Signs a user up by email and answers a session token of theirs. */
  const signUp = async (email = EMAIL, password = OLD_PASSWORD) => {
    const response = await post(SIGNUP, { email_password: { email, password } });
    expect(response.status).toBe(200);
    return response.body.user!.session!.session_token;
  };
  const sessionOf = async (password: string, email = EMAIL) => {
    const response = await login(password, email);
    expect(response.status).toBe(200);
    return response.body.user!.session!.session_token;
  };
  const sendReset = async (email = EMAIL) => {
    const response = await post(SEND_CODE, { email, type: 'reset_password_email' });
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: {} });
  };
  /** Asks for a reset code and reads it from the mail the user got. */
  const resetCode = async (email = EMAIL) => {
    await sendReset(email);
    return smtp.lastCode(email);
  };
  const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

  beforeAll(async () => {
    // In memory even when the suite runs with Redis: the lockout below expires by the fake clock.
    t = await createTestApp({ SMTP_URL: await smtp.start(), REDIS_URL: '' }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    smtp.refuse = false;
    smtp.received.length = 0;
    key = await admin().createApp({ name: 'Test app', id: 'app1' });
  });

  it('mails a reset code, sets the new password, ends every session, and answers the user as me does', async () => {
    const first = await signUp();
    const second = await sessionOf(OLD_PASSWORD);
    const before = await me(first);
    expect(before.status).toBe(200);

    const code = await resetCode();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].raw).toMatch(/Subject: Your password reset code/);
    const response = await reset({ email: 'Mou@Example.com', verify_code: code, password: NEW_PASSWORD });
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: before.body });
    expect(response.body.user).not.toHaveProperty('session');
    expect(JSON.stringify(response.body)).not.toContain(code);
    expect(JSON.stringify(response.body)).not.toMatch(/Maple-Harbour-97|\$2[aby]\$/);

    expectError(await me(first), 401, 'unauthorized');
    expectError(await me(second), 401, 'unauthorized');
    expectError(await login(OLD_PASSWORD), 400, 'invalid_credentials');
    const fresh = await sessionOf(NEW_PASSWORD);
    expect((await me(fresh)).status).toBe(200);
    expect((await codes().findOneByOrFail({ recipient: EMAIL, purpose: CodePurpose.ResetPassword })).consumedAt).not.toBeNull();
  });

  describe('codes', () => {
    it('refuses a wrong code, leaving the password and the sessions as they were', async () => {
      const session = await signUp();
      const code = await resetCode();
      expectError(await reset({ email: EMAIL, verify_code: otherThan(code), password: NEW_PASSWORD }), 400, 'invalid_verify_code');
      expect((await me(session)).status).toBe(200);
      expectError(await login(NEW_PASSWORD), 400, 'invalid_credentials');
      expect((await login(OLD_PASSWORD)).status).toBe(200);
    });

    it('refuses a code once it is used', async () => {
      await signUp();
      const code = await resetCode();
      expect((await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD })).status).toBe(200);
      expectError(await reset({ email: EMAIL, verify_code: code, password: 'Cedar-Lantern-31' }), 400, 'invalid_verify_code');
      expect((await login(NEW_PASSWORD)).status).toBe(200);
    });

    it('refuses a code once it expires', async () => {
      await signUp();
      const code = await resetCode();
      clock.advance(599);
      const early = await codes().findOneByOrFail({ recipient: EMAIL });
      expect(early.expiresAt).toBeGreaterThan(clock.now());
      clock.advance(1);
      expectError(await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD }), 400, 'invalid_verify_code');
      expect((await login(OLD_PASSWORD)).status).toBe(200);
    });

    it('refuses the right code after five wrong tries', async () => {
      await signUp();
      const code = await resetCode();
      for (let i = 0; i < 5; i++) {
        expectError(await reset({ email: EMAIL, verify_code: otherThan(code), password: NEW_PASSWORD }), 400, 'invalid_verify_code');
      }
      expectError(await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD }), 400, 'invalid_verify_code');
    });

    it('does not take a sign-up code, nor a reset code of another address', async () => {
      const signupCode = await (async () => {
        expect((await post(SEND_CODE, { email: EMAIL, type: 'sign_up_email' })).status).toBe(200);
        return smtp.lastCode(EMAIL);
      })();
      await signUp();
      expectError(await reset({ email: EMAIL, verify_code: signupCode, password: NEW_PASSWORD }), 400, 'invalid_verify_code');

      await signUp('other@example.com');
      const otherCode = await resetCode('other@example.com');
      expectError(await reset({ email: EMAIL, verify_code: otherCode, password: NEW_PASSWORD }), 400, 'invalid_verify_code');
      expect((await login(OLD_PASSWORD)).status).toBe(200);
    });

    it('lets one of 20 concurrent resets with one code win', async () => {
      await signUp();
      const code = await resetCode();
      const passwords = Array.from({ length: 20 }, (_, i) => `Racing-Otter-${100 + i}`);
      const responses = await Promise.all(passwords.map((password) => reset({ email: EMAIL, verify_code: code, password })));
      const statuses = responses.map(({ status }) => status).sort();
      expect(statuses).toEqual([200, ...Array<number>(19).fill(400)]);
      for (const response of responses.filter(({ status }) => status === 400)) {
        expectError(response, 400, 'invalid_verify_code');
      }
      const winner = passwords[responses.findIndex(({ status }) => status === 200)];
      expect((await login(winner)).status).toBe(200);
      for (const loser of passwords.filter((password) => password !== winner).slice(0, 2)) {
        expectError(await login(loser), 400, 'invalid_credentials');
      }
    });

    it('answers api_rate_limit with Retry-After for a second reset code within the resend interval', async () => {
      await signUp();
      await sendReset();
      const again = await post(SEND_CODE, { email: EMAIL, type: 'reset_password_email' });
      expectError(again, 429, 'api_rate_limit');
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(60);
      await sendReset();
      expect(smtp.received).toHaveLength(2);
    });

    it('answers gateway when the mail cannot be sent, leaving no code behind', async () => {
      await signUp();
      smtp.refuse = true;
      expectError(await post(SEND_CODE, { email: EMAIL, type: 'reset_password_email' }), 502, 'gateway');
      expect(await codes().count()).toBe(0);
    });
  });

  describe('addresses without a user', () => {
    it('answers a code request for an unknown address as for a known one, and mails nothing', async () => {
      await signUp();
      await sendReset('nobody@example.com');
      expect(smtp.received).toHaveLength(0);
      expectError(await post(SEND_CODE, { email: 'nobody@example.com', type: 'reset_password_email' }), 429, 'api_rate_limit');
      await sendReset();
      expectError(await post(SEND_CODE, { email: EMAIL, type: 'reset_password_email' }), 429, 'api_rate_limit');
      expect(smtp.received.map(({ to }) => to)).toEqual([[EMAIL]]);
    });

    it('answers a reset of an unknown address as a wrong code', async () => {
      await sendReset('nobody@example.com');
      for (const verifyCode of ['000000', '123456', '999999']) {
        expectError(
          await reset({ email: 'nobody@example.com', verify_code: verifyCode, password: NEW_PASSWORD }),
          400,
          'invalid_verify_code',
        );
      }
      expectError(await reset({ email: 'never@example.com', verify_code: '123456', password: NEW_PASSWORD }), 400, 'invalid_verify_code');
      expect(await users().count()).toBe(0);
    });

    it('answers user_not_found to the right code of an address whose user was deleted since', async () => {
      await signUp();
      const code = await resetCode();
      await users().delete({ emailNormalized: EMAIL });
      expectError(await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD }), 400, 'user_not_found', 'email:');
      expect(await users().count()).toBe(0);
    });
  });

  describe('users who may not sign in', () => {
    it('mails a disabled user a code but refuses the reset with forbidden, keeping the old password', async () => {
      await signUp();
      const user = await users().findOneByOrFail({ emailNormalized: EMAIL });
      await t.app.get(UsersService).setStatus(user.id, { status: UserStatus.Disabled, source: 'test' });
      const code = await resetCode();
      expectError(await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD }), 403, 'forbidden');
      expectError(await login(NEW_PASSWORD), 400, 'invalid_credentials');
      expectError(await login(OLD_PASSWORD), 403, 'forbidden');

      await t.app.get(UsersService).setStatus(user.id, { status: UserStatus.Active, source: 'test' });
      expect((await login(OLD_PASSWORD)).status).toBe(200);
      expectError(await login(NEW_PASSWORD), 400, 'invalid_credentials');
    });

    it('does not lift a login lockout: the new password waits for the window like the old one', async () => {
      await signUp();
      const from = { 'X-BytePower-Client-IP': '203.0.113.7' };
      for (let i = 0; i < 5; i++) {
        expectError(await login('Wrong-Guess-000', EMAIL, from), 400, 'invalid_credentials');
      }
      expectError(await login(OLD_PASSWORD, EMAIL, from), 429, 'api_rate_limit');
      const code = await resetCode();
      expect((await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD })).status).toBe(200);
      const locked = await login(NEW_PASSWORD, EMAIL, from);
      expectError(locked, 429, 'api_rate_limit');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(15 * 60);
      expect((await login(NEW_PASSWORD, EMAIL, from)).status).toBe(200);
    });
  });

  describe('password rules', () => {
    it.each([
      ['too short', 'Tu-42', 'is too short.'],
      ['a common password', '123456', 'is a commonly used password.'],
      ['over 72 bytes', 'é'.repeat(37), 'is longer than 72 bytes in UTF-8.'],
      ['a lone surrogate', 'Tulip-\uD800-Garden', 'must be a string of well-formed Unicode.'],
    ])('refuses a new password %s before spending the code', async (_label, password, message) => {
      await signUp();
      const code = await resetCode();
      expectError(await reset({ email: EMAIL, verify_code: code, password }), 400, 'invalid_parameter', `password: ${message}`);
      expect((await codes().findOneByOrFail({ recipient: EMAIL })).consumedAt).toBeNull();
      expect((await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD })).status).toBe(200);
    });

    it('takes a 72-byte password and a common one when the app allows them', async () => {
      await signUp();
      const long = 'Maple-Harbour-97-Cedar-Lantern-31-Tulip-Garden-42-Willow-Brook-é'.padEnd(71, 'z');
      expect(Buffer.byteLength(long)).toBe(72);
      expect((await reset({ email: EMAIL, verify_code: await resetCode(), password: long })).status).toBe(200);
      expect((await login(long)).status).toBe(200);

      await admin().updateSettings('app1', { allowCommonPasswords: true });
      clock.advance(60);
      expect((await reset({ email: EMAIL, verify_code: await resetCode(), password: '123456' })).status).toBe(200);
      expect((await login('123456')).status).toBe(200);
    });
  });

  describe('hostile and malformed requests', () => {
    const huge = 'x'.repeat(100_000);

    it.each([
      ['no email', { verify_code: '123456', password: NEW_PASSWORD }, 400, 'invalid_parameter', 'email'],
      ['an array email', { email: [EMAIL], verify_code: '123456', password: NEW_PASSWORD }, 400, 'invalid_parameter', 'email'],
      ['an object email', { email: { $ne: null }, verify_code: '123456', password: NEW_PASSWORD }, 400, 'invalid_parameter', 'email'],
      ['a huge email', { email: `${huge}@example.com`, verify_code: '123456', password: NEW_PASSWORD }, 400, 'invalid_parameter', 'email'],
      ['no code', { email: EMAIL, password: NEW_PASSWORD }, 400, 'invalid_verify_code', undefined],
      ['an empty code', { email: EMAIL, verify_code: '', password: NEW_PASSWORD }, 400, 'invalid_verify_code', undefined],
      ['a numeric code', { email: EMAIL, verify_code: 123456, password: NEW_PASSWORD }, 400, 'invalid_parameter', 'verify_code'],
      ['an array code', { email: EMAIL, verify_code: ['123456'], password: NEW_PASSWORD }, 400, 'invalid_parameter', 'verify_code'],
      ['a huge code', { email: EMAIL, verify_code: huge, password: NEW_PASSWORD }, 400, 'invalid_parameter', 'verify_code'],
      ['no password', { email: EMAIL, verify_code: '123456' }, 400, 'invalid_parameter', 'password'],
      ['a null password', { email: EMAIL, verify_code: '123456', password: null }, 400, 'invalid_parameter', 'password'],
      ['an object password', { email: EMAIL, verify_code: '123456', password: { a: 1 } }, 400, 'invalid_parameter', 'password'],
      ['a huge password', { email: EMAIL, verify_code: '123456', password: huge }, 400, 'invalid_parameter', 'password'],
      ['an unknown field', { email: EMAIL, verify_code: '123456', password: NEW_PASSWORD, uid: 'u1' }, 400, 'invalid_parameter', 'uid'],
      ['an array body', [{ email: EMAIL, verify_code: '123456', password: NEW_PASSWORD }], 400, 'invalid_parameter', undefined],
    ])('refuses a reset with %s', async (_label, body, status, errorType, field) => {
      await signUp();
      await sendReset();
      const response = await reset(body);
      expectError(response, status, errorType, field === undefined ? undefined : `${field}:`);
      expect((await codes().findOneByOrFail({ recipient: EMAIL })).attempts).toBe(0);
      expect((await login(OLD_PASSWORD)).status).toBe(200);
    });

    it('refuses __proto__ and constructor keys without touching any user', async () => {
      const session = await signUp();
      const code = await resetCode();
      for (const raw of [
        `{"email":"${EMAIL}","verify_code":"${code}","password":"${NEW_PASSWORD}","__proto__":{"isAdmin":true}}`,
        `{"__proto__":{"email":"${EMAIL}","verify_code":"${code}","password":"${NEW_PASSWORD}"}}`,
        `{"email":"${EMAIL}","verify_code":"${code}","password":"${NEW_PASSWORD}","constructor":{"prototype":{"x":1}}}`,
      ]) {
        const response = (await t
          .http()
          .post(RESET)
          .set('Accept', ACCEPT)
          .set('X-BytePower-Auth-Token', mint())
          .set('Content-Type', 'application/json')
          .send(raw)) as unknown as Answer;
        expect(response.status).toBe(400);
        expect(response.body.error?.error_type).toBe('invalid_parameter');
      }
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect((await me(session)).status).toBe(200);
      expect((await codes().findOneByOrFail({ recipient: EMAIL })).consumedAt).toBeNull();
    });

    it('refuses malformed JSON, a form body and a body over 1 MiB in its envelope', async () => {
      const raw = (contentType: string, body: string) =>
        t
          .http()
          .post(RESET)
          .set('Accept', ACCEPT)
          .set('X-BytePower-Auth-Token', mint())
          .set('Content-Type', contentType)
          .send(body) as unknown as Promise<Answer>;
      expectError(await raw('application/json', '{"email":'), 400, 'invalid_parameter');
      expectError(await raw('application/x-www-form-urlencoded', `email=${EMAIL}&verify_code=1&password=x`), 400, 'invalid_parameter');
      expectError(
        await raw('application/json', JSON.stringify({ email: EMAIL, password: 'y'.repeat(1_100_000) })),
        413,
        'invalid_parameter',
      );
    });

    it.each([
      ['another type', 'reset_password'],
      ['an array type', ['reset_password_email']],
      ['an object type', { reset_password_email: true }],
      ['a huge type', 'r'.repeat(100_000)],
    ])('refuses a code request with %s', async (_label, type) => {
      const response = await post(SEND_CODE, { email: EMAIL, type });
      expectError(response, 400, 'invalid_parameter', 'type: must be sign_up_email or reset_password_email.');
      expect(smtp.received).toHaveLength(0);
    });
  });

  describe('headers and methods', () => {
    it('needs the API version and a server key', async () => {
      const body = { email: EMAIL, verify_code: '123456', password: NEW_PASSWORD };
      expectError(await t.http().post(RESET).set('X-BytePower-Auth-Token', mint()).send(body), 400, 'invalid_api_version');
      expectError(await t.http().post(RESET).set('Accept', ACCEPT).send(body), 401, 'unauthorized');
      const stranger = sign({ key_name: key.keyName, iat: Math.floor(clock.now() / 1000) }, 'not-the-secret', { algorithm: 'HS256' });
      expectError(await t.http().post(RESET).set('Accept', ACCEPT).set('X-BytePower-Auth-Token', stranger).send(body), 401, 'unauthorized');
    });

    it('answers another method with method_not_allowed and an Allow header', async () => {
      const response = (await t.http().get(RESET).set('Accept', ACCEPT).set('X-BytePower-Auth-Token', mint())) as unknown as Answer;
      expectError(response, 405, 'method_not_allowed');
      expect(response.headers.allow).toBe('POST');
    });

    it('keeps apps apart: a code of one app does not reset the same address in another', async () => {
      await signUp();
      const code = await resetCode();
      key = await admin().createApp({ name: 'Other app', id: 'app2' });
      await signUp();
      expectError(await reset({ email: EMAIL, verify_code: code, password: NEW_PASSWORD }), 400, 'invalid_verify_code');
    });
  });
});

describe('bytepower dialect: password reset rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('counts resets against the per-minute budget, with Retry-After', async () => {
    const key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({
      name: 'A',
      id: 'app1',
    });
    const attempt = () =>
      t
        .http()
        .post(RESET)
        .set('Accept', ACCEPT)
        .set(
          'X-BytePower-Auth-Token',
          sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' }),
        )
        .send({ email: EMAIL, verify_code: '123456', password: NEW_PASSWORD }) as unknown as Promise<Answer>;
    expectError(await attempt(), 400, 'invalid_verify_code');
    expectError(await attempt(), 400, 'invalid_verify_code');
    const limited = await attempt();
    expectError(limited, 429, 'api_rate_limit');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
