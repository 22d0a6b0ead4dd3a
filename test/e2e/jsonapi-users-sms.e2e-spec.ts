import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Response } from 'supertest';
import { Clock } from '../../src/clock/clock';
import { Invite } from '../../src/dialects/jsonapi-users/invite.entity';
import { MobileTokensService } from '../../src/dialects/jsonapi-users/phone/mobile-tokens.service';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { SmsService } from '../../src/sms/sms.service';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const MEDIA_TYPE = 'application/vnd.api+json';
const PASSWORD = 'Tulip-Garden-42';
const NEW_PASSWORD = 'Maple-River-77';
const MOBILE = '13800138000';
const E164 = '+8613800138000';
const OTHER_MOBILE = '13900139000';

type Body = Record<string, any>;
interface ErrorObject {
  status: string;
  code: string;
  detail: string[];
  source?: { pointer: string };
  token?: string;
  user?: unknown;
  meta?: Record<string, unknown>;
}

/** Every answer is a JSON:API document; every error object carries a `detail` array, as the web client reads it. */
function expectEnvelope(response: Response): void {
  expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json(;|$)/);
  for (const error of (response.body as Body).errors ?? []) {
    expect(Array.isArray(error.detail)).toBe(true);
    expect(error.status).toBe(String(response.status));
  }
}

const expectError = (response: Response, status: number, error: Partial<ErrorObject>) => {
  expect({ status: response.status, errors: response.body.errors }).toEqual({ status, errors: [expect.objectContaining(error)] });
};
const at = (field: string) => ({ source: { pointer: `/data/attributes/${field}` } });

describe('jsonapi-users: phones (SMS codes, mobileToken, password change)', () => {
  let t: TestApp;
  const clock = new FakeClock();

  const outbox = () => join(t.config.server.dataDir, 'outbox', 'sms');
  const outboxMessages = (): { to: string; params: { code: string; minutes: number }; text: string }[] => {
    let files: string[];
    try {
      files = readdirSync(outbox()).filter((file) => file.endsWith('.json'));
    } catch {
      return [];
    }
    return files.map((file) => JSON.parse(readFileSync(join(outbox(), file), 'utf8')));
  };
  /** The code of the one message waiting for `to` (E.164), which is then taken out of the outbox. */
  const codeFor = (to = E164): string => {
    const files = readdirSync(outbox()).filter((file) => file.endsWith('.json'));
    const mine = files.filter((file) => JSON.parse(readFileSync(join(outbox(), file), 'utf8')).to === to);
    expect(mine).toHaveLength(1);
    const message = JSON.parse(readFileSync(join(outbox(), mine[0]), 'utf8'));
    rmSync(join(outbox(), mine[0]));
    expect(message.text).toContain(message.params.code);
    return message.params.code as string;
  };

  /** As the web client posts: plain JSON with a charset, JSON:API accepted, `data.type` as given (none by default). */
  const post = async (
    path: string,
    attributes: Body,
    options: { token?: string; type?: string; headers?: Record<string, string> } = {},
  ) => {
    const request = t
      .http()
      .post(path)
      .set('Content-Type', 'application/json;charset=utf-8')
      .set('Accept', MEDIA_TYPE)
      .set(options.headers ?? {});
    if (options.token !== undefined) {
      request.set('Authorization', `Bearer ${options.token}`);
    }
    const response = await request.send(JSON.stringify({ data: { ...(options.type ? { type: options.type } : {}), attributes } }));
    expectEnvelope(response);
    return response;
  };
  const smsSend = (attributes: Body, token?: string) => post('/api/sms/send', attributes, { token, type: 'sms/send' });
  const smsVerify = (attributes: Body, token?: string) => post('/api/sms/verify', attributes, { token });
  const register = (attributes: Body) => post('/api/register', attributes);
  const login = (username: string, password: string, extra: Body = {}) => post('/api/login', { username, password, ...extra });
  const getUser = async (id: string, token: string) => {
    const response = await t.http().get(`/api/users/${id}`).set('Authorization', `Bearer ${token}`);
    expectEnvelope(response);
    return response;
  };
  const patchUser = async (id: string, token: string, attributes: Body, method: 'patch' | 'override' = 'patch') => {
    const request =
      method === 'patch' ? t.http().patch(`/api/users/${id}`) : t.http().post(`/api/users/${id}`).set('x-http-method-override', 'patch');
    const response = await request
      .set('Content-Type', 'application/json;charset=utf-8')
      .set('Accept', MEDIA_TYPE)
      .set('Authorization', `Bearer ${token}`)
      .send(JSON.stringify({ data: { type: 'users', id, attributes } }));
    expectEnvelope(response);
    return response;
  };
  const refresh = (refreshToken: string) => post('/api/refresh-token', { refresh_token: refreshToken });

  const site = () => t.app.get(SiteService);
  const users = () => t.dataSource.getRepository(User);

  const session = (response: Response) => {
    expect(response.status).toBe(200);
    const { data } = response.body;
    return { id: data.id as string, access: data.attributes.access_token as string, refresh: data.attributes.refresh_token as string };
  };
  const registerUser = async (username: string, password = PASSWORD) => session(await register({ username, password }));
  /** A code of `type` sent to `mobile` and read from the outbox. */
  const codeSent = async (type: string, mobile = MOBILE, token?: string) => {
    const response = await smsSend(type === 'verify' ? { type } : { mobile, type }, token);
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { data: { type: 'smssend', id: '1', attributes: { interval: 60 } } },
    });
    return codeFor(mobile.startsWith('+') ? mobile : `+86${mobile}`);
  };
  /** A user made by SMS sign-in with `register: 1`, signed in. */
  const phoneUser = async (mobile = MOBILE) =>
    session(await smsVerify({ mobile, code: await codeSent('login', mobile), type: 'login', register: 1 }));
  /** The mobile token no_bind_user hands out for `mobile`. */
  const mobileToken = async (mobile = MOBILE) => {
    const response = await smsVerify({ mobile, code: await codeSent('login', mobile), type: 'login' });
    expectError(response, 400, { code: 'no_bind_user' });
    return response.body.errors[0].token as string;
  };

  beforeAll(async () => {
    // In memory even when the suite runs with Redis: lockouts here expire by the fake clock.
    t = await createTestApp({ REDIS_URL: '' }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    rmSync(outbox(), { recursive: true, force: true });
    await site().update({ sms: true });
  });

  describe('POST /api/sms/send', () => {
    it.each([
      ['the web client', 'sms/send'],
      ['any other', 'whatever'],
      ['no', undefined],
    ])('answers the smssend document to %s data.type, and the code goes out by SMS', async (_name, type) => {
      const response = await post('/api/sms/send', { mobile: MOBILE, type: 'login' }, { type });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { type: 'smssend', id: '1', attributes: { interval: 60 } } });
      const [message] = outboxMessages();
      expect(message).toMatchObject({ to: E164, template: 'verify_code', params: { code: expect.stringMatching(/^\d{6}$/), minutes: 5 } });
      expect(JSON.stringify(response.body)).not.toContain(message.params.code);
    });

    it('takes a mobile in E.164 too', async () => {
      expect((await smsSend({ mobile: E164, type: 'login' })).status).toBe(200);
      expect(codeFor(E164)).toMatch(/^\d{6}$/);
    });

    it('422 短信服务未开启。 when the site has SMS off, and sends nothing', async () => {
      await site().update({ sms: false });
      expectError(await smsSend({ mobile: MOBILE, type: 'login' }), 422, {
        code: 'validation_error',
        detail: ['短信服务未开启。'],
        ...at('mobile'),
      });
      expectError(await smsVerify({ mobile: MOBILE, code: '123456', type: 'login' }), 422, { detail: ['短信服务未开启。'] });
      expect(outboxMessages()).toEqual([]);
    });

    it('sends one code per mobile and type each 60 s: sooner is 429 sms_interval with Retry-After', async () => {
      expect((await smsSend({ mobile: MOBILE, type: 'login' })).status).toBe(200);
      clock.advance(20);
      const again = await smsSend({ mobile: MOBILE, type: 'login' });
      expectError(again, 429, { code: 'sms_interval', detail: ['短信发送过于频繁，请 40 秒后再试。'] });
      expect(again.headers['retry-after']).toBe('40');
      expect((await smsSend({ mobile: OTHER_MOBILE, type: 'login' })).status).toBe(200);
      expect((await smsSend({ mobile: MOBILE, type: 'reset_pwd' })).status).toBe(422);
      clock.advance(40);
      expect((await smsSend({ mobile: MOBILE, type: 'login' })).status).toBe(200);
      expect(outboxMessages().filter(({ to }) => to === E164)).toHaveLength(2);
    });

    it.each([
      [{ mobile: MOBILE }, ['类型 不能为空。']],
      [{ mobile: MOBILE, type: 'reset_pay_pwd' }, ['类型 必须是 login、bind、rebind、reset_pwd 或 verify。']],
      [{ mobile: MOBILE, type: ['login'] }, ['类型 必须是 login、bind、rebind、reset_pwd 或 verify。']],
      [{ mobile: MOBILE, type: { login: true } }, ['类型 必须是 login、bind、rebind、reset_pwd 或 verify。']],
    ])('422 at type for %j', async (attributes, detail) => {
      expectError(await smsSend(attributes), 422, { code: 'validation_error', detail, ...at('type') });
    });

    it.each([
      ['missing', undefined, '手机号 不能为空。'],
      ['null', null, '手机号 不能为空。'],
      ['a number', 13800138000, '手机号 必须是一个字符串。'],
      ['an array', [MOBILE], '手机号 必须是一个字符串。'],
      ['an object', { mobile: MOBILE }, '手机号 必须是一个字符串。'],
      ['full-width digits', '１３８００１３８０００', '手机号 格式不正确。'],
      ['+86 with spaces', '+86 138 0013 8000', '手机号 格式不正确。'],
      ['with dashes', '138-0013-8000', '手机号 格式不正确。'],
      ['not a mainland mobile', '12345678901', '手机号 格式不正确。'],
      ['an invalid E.164 number', '+8612345', '手机号 格式不正确。'],
      ['10 kB of digits', '1'.repeat(10_240), '手机号 格式不正确。'],
      ['followed by NUL', `${MOBILE}\u0000`, '手机号 格式不正确。'],
    ])('422 at mobile for a mobile that is %s, and nothing is sent', async (_kind, mobile, detail) => {
      expectError(await smsSend({ mobile, type: 'login' }), 422, { code: 'validation_error', detail: [detail], ...at('mobile') });
      expect(outboxMessages()).toEqual([]);
    });

    it.each([
      ['{"data":{"attributes":{"__proto__":{"mobile":"13800138000"},"type":"login"}}}', '/data/attributes/__proto__'],
      ['{"data":{"attributes":{"constructor":{"prototype":{}},"mobile":"13800138000","type":"login"}}}', '/data/attributes/constructor'],
    ])('refuses prototype keys in the JSON:API envelope: %s', async (raw, pointer) => {
      for (const path of ['/api/sms/send', '/api/sms/verify']) {
        const response = await t.http().post(path).set('Content-Type', MEDIA_TYPE).send(raw);
        expectEnvelope(response);
        expect(response.status).toBe(422);
        expect(response.body.errors[0].source).toEqual({ pointer });
      }
      expect(outboxMessages()).toEqual([]);
    });

    it('400 for what is not a JSON:API document, 413 for a body over 1 MiB, in the dialect envelope', async () => {
      const malformed = await t.http().post('/api/sms/send').set('Content-Type', MEDIA_TYPE).send('{"data":');
      expectEnvelope(malformed);
      expect(malformed.status).toBe(400);
      const notDocument = await t.http().post('/api/sms/verify').set('Content-Type', MEDIA_TYPE).send('{"data":[]}');
      expectEnvelope(notDocument);
      expect(notDocument.status).toBe(400);
      const huge = await post('/api/sms/send', { mobile: MOBILE, type: 'login', padding: 'x'.repeat(1_100_000) });
      expect(huge.status).toBe(413);
    });

    it('401 access_denied for bind, rebind and verify without a valid Bearer token; login and reset_pwd ignore one', async () => {
      for (const type of ['bind', 'rebind', 'verify']) {
        expectError(await smsSend({ mobile: MOBILE, type }), 401, { code: 'access_denied' });
        expectError(await smsSend({ mobile: MOBILE, type }, 'forged'), 401, { code: 'access_denied' });
      }
      expect((await smsSend({ mobile: MOBILE, type: 'login' }, 'forged')).status).toBe(200);
      expect(outboxMessages()).toHaveLength(1);
    });

    it('bind: mobile_is_already_bind when the caller has a mobile; 422 at mobile for one another user has', async () => {
      const phone = await phoneUser(MOBILE);
      expectError(await smsSend({ mobile: OTHER_MOBILE, type: 'bind' }, phone.access), 400, { code: 'mobile_is_already_bind' });
      const alice = await registerUser('alice');
      expectError(await smsSend({ mobile: MOBILE, type: 'bind' }, alice.access), 422, {
        code: 'validation_error',
        detail: ['手机号 已经存在。'],
        ...at('mobile'),
      });
      expect(outboxMessages()).toEqual([]);
    });

    it('reset_pwd: 422 at mobile for a mobile no user has', async () => {
      expectError(await smsSend({ mobile: MOBILE, type: 'reset_pwd' }), 422, { detail: ['手机号 未绑定任何帐号。'], ...at('mobile') });
    });

    it('verify: 422 for a caller without a mobile; the code goes to the caller’s own mobile, whatever mobile is sent', async () => {
      const alice = await registerUser('alice');
      expectError(await smsSend({ type: 'verify' }, alice.access), 422, { detail: ['手机号 不能为空。'], ...at('mobile') });
      const phone = await phoneUser(MOBILE);
      expect((await smsSend({ type: 'verify', mobile: OTHER_MOBILE }, phone.access)).status).toBe(200);
      expect(outboxMessages().map(({ to }) => to)).toEqual([E164]);
    });

    it('counts both routes against the per-IP rate limit, like register and login', async () => {
      const limited = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
      try {
        await limited.app.get(SiteService).update({ sms: true });
        const statuses: number[] = [];
        for (const path of ['/api/sms/send', '/api/sms/verify', '/api/sms/send']) {
          const response = await limited
            .http()
            .post(path)
            .set('Content-Type', MEDIA_TYPE)
            .send(JSON.stringify({ data: { attributes: { mobile: MOBILE, type: 'login', code: '123456' } } }));
          expectEnvelope(response);
          statuses.push(response.status);
        }
        expect(statuses).toEqual([200, 422, 429]);
      } finally {
        await limited.close();
      }
    }, 60_000);

    it('502 sms_send_failed when the transport refuses, leaving no code: the next send is not too soon', async () => {
      const failing = await createTestApp({}, (builder) =>
        builder.overrideProvider(SmsService).useValue({ sendCode: () => Promise.reject(new Error('gateway down')) }),
      );
      try {
        await failing.app.get(SiteService).update({ sms: true });
        const send = () =>
          failing
            .http()
            .post('/api/sms/send')
            .set('Content-Type', MEDIA_TYPE)
            .send(JSON.stringify({ data: { attributes: { mobile: MOBILE, type: 'login' } } }));
        for (let i = 0; i < 2; i++) {
          const response = await send();
          expectEnvelope(response);
          expectError(response, 502, { code: 'sms_send_failed' });
          expect(JSON.stringify(response.body)).not.toContain('gateway down');
        }
      } finally {
        await failing.close();
      }
    }, 60_000);
  });

  describe('POST /api/sms/verify: login', () => {
    it('no user and no register: 400 no_bind_user with a 1-hour mobile token in token and meta.token, user null; the code is spent', async () => {
      const code = await codeSent('login');
      const response = await post('/api/sms/verify', { mobile: MOBILE, code, type: 'login' }, { type: 'sms/verify' });
      expect(response.status).toBe(400);
      const [error] = response.body.errors as ErrorObject[];
      expect(error).toEqual({
        status: '400',
        code: 'no_bind_user',
        detail: expect.any(Array),
        token: expect.stringMatching(/^[\w-]{40}$/),
        user: null,
        meta: { token: error.token },
      });
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'login' }), 422, { code: 'sms_verify_error', ...at('code') });
      expect(await users().count()).toBe(0);
    });

    it("register: 1 creates the user: 网友 and 6 random characters, no password, the mobile bound; the client's own resource shows it masked", async () => {
      const code = await codeSent('login');
      const { id, access } = session(await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1 }));
      const user = await users().findOneByOrFail({ id: Number(id) });
      expect(user).toMatchObject({
        phoneNormalized: E164,
        status: UserStatus.Active,
        registerSource: 'jsonapi-users:mobile',
        loginsCount: 1,
      });
      expect(user.username).toMatch(/^网友[A-Za-z0-9]{6}$/);
      const own = (await getUser(id, access)).body.data.attributes;
      expect(own).toMatchObject({
        username: user.username,
        mobile: '138****8000',
        originalMobile: MOBILE,
        hasPassword: false,
        registerReason: '手机号注册',
      });
      const alice = await registerUser('alice');
      const seen = (await getUser(id, alice.access)).body.data.attributes;
      expect(seen.mobile).toBeUndefined();
      expect(seen.originalMobile).toBeUndefined();
      expect((await getUser(alice.id, alice.access)).body.data.attributes).toMatchObject({
        mobile: '',
        originalMobile: '',
        hasPassword: true,
      });
    });

    it.each([
      ['1', true],
      [true, true],
      ['0', false],
      [0, false],
      [null, false],
    ])('reads register %j as %s, as PHP does', async (register, creates) => {
      const response = await smsVerify({ mobile: MOBILE, code: await codeSent('login'), type: 'login', register });
      expect(response.status).toBe(creates ? 200 : 400);
    });

    it('422 at register for an object', async () => {
      expectError(await smsVerify({ mobile: MOBILE, code: '123456', type: 'login', register: { yes: 1 } }), 422, at('register'));
    });

    it('a user with the mobile gets its token document, whatever register says', async () => {
      const first = await phoneUser();
      clock.advance(60);
      const again = session(await smsVerify({ mobile: E164, code: await codeSent('login'), type: 'login', register: 1 }));
      expect(again.id).toBe(first.id);
      expect(await users().count()).toBe(1);
      expect((await users().findOneByOrFail({ id: Number(first.id) })).loginsCount).toBe(2);
    });

    it('sms_verify_error for a wrong, reused, expired or exhausted code, and a code of another type or mobile', async () => {
      const code = await codeSent('login');
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(await smsVerify({ mobile: MOBILE, code: wrong, type: 'login' }), 422, {
        code: 'sms_verify_error',
        detail: ['验证码错误或已失效。'],
        ...at('code'),
      });
      expectError(await smsVerify({ mobile: OTHER_MOBILE, code, type: 'login' }), 422, { code: 'sms_verify_error' });
      expect((await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1 })).status).toBe(200);
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'login' }), 422, { code: 'sms_verify_error' });

      clock.advance(60);
      const expiring = await codeSent('login', OTHER_MOBILE);
      clock.advance(300);
      expectError(await smsVerify({ mobile: OTHER_MOBILE, code: expiring, type: 'login', register: 1 }), 422, { code: 'sms_verify_error' });

      clock.advance(60);
      const guessed = await codeSent('login', OTHER_MOBILE);
      const other = guessed === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        expectError(await smsVerify({ mobile: OTHER_MOBILE, code: other, type: 'login' }), 422, { code: 'sms_verify_error' });
      }
      expectError(await smsVerify({ mobile: OTHER_MOBILE, code: guessed, type: 'login', register: 1 }), 422, { code: 'sms_verify_error' });
      expect(await users().count()).toBe(1);
    });

    it.each([
      ['missing', {}, '验证码 不能为空。'],
      ['empty', { code: '' }, '验证码 不能为空。'],
      ['a number', { code: 123456 }, '验证码错误或已失效。'],
      ['an array', { code: ['123456'] }, '验证码错误或已失效。'],
      ['10 kB long', { code: 'x'.repeat(10_240) }, '验证码错误或已失效。'],
    ])('422 for a code that is %s', async (_kind, attributes, detail) => {
      await codeSent('login');
      expectError(await smsVerify({ mobile: MOBILE, type: 'login', ...attributes }), 422, { detail: [detail], ...at('code') });
    });

    it('review mode: register creates the user pending review and answers 401 register_validate; closed: 401 register_close, nothing created', async () => {
      await site().update({ registerMode: 'closed' });
      const code = await codeSent('login');
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1 }), 401, { code: 'register_close' });
      expect(await users().count()).toBe(0);

      await site().update({ registerMode: 'review' });
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1 }), 401, { code: 'register_validate' });
      const [user] = await users().find();
      expect(user).toMatchObject({ status: UserStatus.PendingReview, phoneNormalized: E164, profile: { registerReason: '手机号注册' } });

      clock.advance(60);
      expectError(await smsVerify({ mobile: MOBILE, code: await codeSent('login'), type: 'login' }), 401, {
        code: 'register_validate',
        detail: ['帐号审核中，请审核通过后尝试。'],
      });
    });

    it('inviteCode: required when the site says so, must be a live invite, and is used up by the user made', async () => {
      await site().update({ inviteRequired: true });
      const code = await codeSent('login');
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1 }), 422, {
        detail: ['邀请码 不能为空。'],
        ...at('inviteCode'),
      });
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1, inviteCode: 'NOPE' }), 422, {
        detail: ['邀请码 无效或已被使用。'],
        ...at('inviteCode'),
      });
      const [invite] = await site().createInvites(1);
      const { id } = session(await smsVerify({ mobile: MOBILE, code, type: 'login', register: 1, inviteCode: invite.code.toLowerCase() }));
      expect(await t.dataSource.getRepository(Invite).findOneByOrFail({ id: invite.id })).toMatchObject({ usedBy: Number(id) });
    });

    it('of 20 concurrent register: 1 with one code, exactly one creates the user', async () => {
      const code = await codeSent('login');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => smsVerify({ mobile: MOBILE, code, type: 'login', register: 1 })),
      );
      expect(responses.filter(({ status }) => status === 200)).toHaveLength(1);
      for (const response of responses.filter(({ status }) => status !== 200)) {
        expect([400, 422]).toContain(response.status);
        expect(['sms_verify_error', 'mobile_is_already_bind']).toContain(response.body.errors[0].code);
      }
      expect(await users().countBy({ phoneNormalized: E164 })).toBe(1);
      expect(await users().count()).toBe(1);
    }, 30_000);
  });

  describe('mobileToken at /api/register and /api/login', () => {
    it('register binds the mobile in the new user’s transaction and spends the token', async () => {
      const token = await mobileToken();
      const alice = session(await register({ username: 'alice', password: PASSWORD, mobileToken: token }));
      expect(await users().findOneByOrFail({ id: Number(alice.id) })).toMatchObject({ phoneNormalized: E164, username: 'alice' });
      expectError(await register({ username: 'bob', password: PASSWORD, mobileToken: token }), 422, {
        code: 'validation_error',
        detail: ['手机令牌 无效或已被使用。'],
        ...at('mobileToken'),
      });
      expect(await users().count()).toBe(1);
    });

    it.each([null, ''])('counts a mobileToken of %j as none', async (value) => {
      const alice = await registerUser('alice');
      expect((await register({ username: 'bob', password: PASSWORD, mobileToken: value })).status).toBe(200);
      expect((await login('alice', PASSWORD, { mobileToken: value })).status).toBe(200);
      expect(await users().findOneByOrFail({ id: Number(alice.id) })).toMatchObject({ phoneNormalized: null });
    });

    it.each([
      ['unknown', 'x'.repeat(40), '手机令牌 无效或已被使用。'],
      ['a number', 12345, '手机令牌 必须是一个字符串。'],
      ['an array', ['x'], '手机令牌 必须是一个字符串。'],
      ['huge', 'x'.repeat(10_240), '手机令牌 无效或已被使用。'],
    ])('422 at mobileToken and nothing created for a token that is %s', async (_kind, value, detail) => {
      expectError(await register({ username: 'alice', password: PASSWORD, mobileToken: value }), 422, {
        detail: [detail],
        ...at('mobileToken'),
      });
      expect(await users().count()).toBe(0);
    });

    it('reports a bad mobileToken with the other failing attributes at once', async () => {
      const response = await register({ username: '', password: PASSWORD, mobileToken: 'nope' });
      expect(response.status).toBe(422);
      expect(response.body.errors.map((error: ErrorObject) => error.source?.pointer)).toEqual([
        '/data/attributes/username',
        '/data/attributes/mobileToken',
      ]);
    });

    it('an expired token (1 hour) is refused, nothing created', async () => {
      const token = await mobileToken();
      clock.advance(3600);
      expectError(await register({ username: 'alice', password: PASSWORD, mobileToken: token }), 422, at('mobileToken'));
      expect(await users().count()).toBe(0);
    });

    it('mobile_is_already_bind, nothing created, when another user took the mobile meanwhile', async () => {
      const token = await mobileToken();
      clock.advance(60);
      await phoneUser();
      expectError(await register({ username: 'alice', password: PASSWORD, mobileToken: token }), 400, { code: 'mobile_is_already_bind' });
      expect(await users().count()).toBe(1);
    });

    it('of 20 concurrent registrations with 20 tokens for one mobile, exactly one user gets it', async () => {
      const { site: tenant } = await site().current();
      const tokens = await Promise.all(Array.from({ length: 20 }, () => t.app.get(MobileTokensService).issue(tenant, E164)));
      const responses = await Promise.all(
        tokens.map((token, i) => register({ username: `racer${i}`, password: PASSWORD, mobileToken: token })),
      );
      expect(responses.filter(({ status }) => status === 200)).toHaveLength(1);
      for (const response of responses.filter(({ status }) => status !== 200)) {
        expectError(response, 400, { code: 'mobile_is_already_bind' });
      }
      expect(await users().countBy({ phoneNormalized: E164 })).toBe(1);
      expect(await users().count()).toBe(1);
    }, 30_000);

    it('login binds the mobile to the user it signs in, spending the token', async () => {
      const alice = await registerUser('alice');
      const token = await mobileToken();
      expect(session(await login('alice', PASSWORD, { mobileToken: token })).id).toBe(alice.id);
      expect(await users().findOneByOrFail({ id: Number(alice.id) })).toMatchObject({ phoneNormalized: E164 });
      expectError(await login('alice', PASSWORD, { mobileToken: token }), 422, at('mobileToken'));
    });

    it('login: user_has_mobile for a user with another mobile; a bad token costs no password try', async () => {
      const alice = await registerUser('alice');
      await users().update({ id: Number(alice.id) }, { phoneNormalized: '+8613700137000', phone: '+8613700137000' });
      const token = await mobileToken();
      expectError(await login('alice', PASSWORD, { mobileToken: token }), 400, { code: 'user_has_mobile' });
      for (let i = 0; i < 6; i++) {
        expectError(await login('alice', 'Wrong-Password-1', { mobileToken: 'nope' }), 422, at('mobileToken'));
      }
      expect((await login('alice', PASSWORD)).status).toBe(200);
    });

    it("login's username also names a mobile; no username may spell another user's mobile", async () => {
      const phone = await phoneUser();
      await users().update({ id: Number(phone.id) }, { passwordHash: null });
      const alice = await registerUser('alice');
      const token = await mobileToken(OTHER_MOBILE);
      expect((await login('alice', PASSWORD, { mobileToken: token })).status).toBe(200);
      for (const name of [OTHER_MOBILE, '+8613900139000', ' 139 0013 9000 ']) {
        expect(session(await login(name, PASSWORD)).id).toBe(alice.id);
      }
      for (const name of [OTHER_MOBILE, '+8613900139000', '１３９００１３９０００']) {
        expectError(await register({ username: name, password: 'Copper-Kettle-19' }), 422, {
          detail: ['用户名 已经存在。'],
          ...at('username'),
        });
      }
      expect(session(await login(OTHER_MOBILE, PASSWORD)).id).toBe(alice.id);
      expectError(await login(MOBILE, PASSWORD), 403, { code: 'login_failed' });
    });

    it('no mobile another user has as a username binds, by SMS, mobile token or SMS sign-up; that user keeps signing in', async () => {
      const mallory = await registerUser('mallory', 'Copper-Kettle-19');
      const early = await codeSent('bind', OTHER_MOBILE, mallory.access);
      const token = await mobileToken(OTHER_MOBILE);
      const victim = await registerUser(OTHER_MOBILE);
      expectError(await smsVerify({ mobile: OTHER_MOBILE, code: early, type: 'bind' }, mallory.access), 422, {
        detail: ['手机号 已经存在。'],
        ...at('mobile'),
      });
      expectError(await login('mallory', 'Copper-Kettle-19', { mobileToken: token }), 400, { code: 'mobile_is_already_bind' });
      expectError(await register({ username: 'trudy', password: 'Copper-Kettle-19', mobileToken: token }), 400, {
        code: 'mobile_is_already_bind',
      });
      clock.advance(60);
      for (const mobile of [OTHER_MOBILE, `+86${OTHER_MOBILE}`]) {
        expectError(await smsSend({ mobile, type: 'bind' }, mallory.access), 422, { detail: ['手机号 已经存在。'], ...at('mobile') });
      }
      const signUp = await smsVerify({ mobile: OTHER_MOBILE, code: await codeSent('login', OTHER_MOBILE), type: 'login', register: 1 });
      expectError(signUp, 400, { code: 'mobile_is_already_bind' });
      expect(await users().count()).toBe(2);
      expect(await users().countBy({ phoneNormalized: `+86${OTHER_MOBILE}` })).toBe(0);
      expect(session(await login(OTHER_MOBILE, PASSWORD)).id).toBe(victim.id);
      clock.advance(60);
      expect(
        (await smsVerify({ mobile: OTHER_MOBILE, code: await codeSent('bind', OTHER_MOBILE, victim.access), type: 'bind' }, victim.access))
          .status,
      ).toBe(200);
    });
  });

  describe('PATCH /api/users/{id}: password change', () => {
    const change = { password: PASSWORD, newPassword: NEW_PASSWORD, password_confirmation: NEW_PASSWORD };

    it.each(['patch', 'override'] as const)(
      'changes the password (%s) and ends every other session, the caller’s goes on',
      async (method) => {
        const mine = await registerUser('alice');
        const other = session(await login('alice', PASSWORD));
        const response = await patchUser(mine.id, mine.access, change, method);
        expect(response.status).toBe(200);
        expect(response.body.data).toMatchObject({ type: 'users', id: mine.id, attributes: { username: 'alice', hasPassword: true } });
        expect(JSON.stringify(response.body)).not.toContain(NEW_PASSWORD);

        expectError(await getUser(mine.id, other.access), 401, { code: 'access_denied' });
        expectError(await refresh(other.refresh), 401, { code: 'invalid_refresh_token' });
        expect((await getUser(mine.id, mine.access)).status).toBe(200);
        const rotated = session(await refresh(mine.refresh));
        expect((await getUser(mine.id, rotated.access)).status).toBe(200);

        expectError(await login('alice', PASSWORD), 403, { code: 'login_failed' });
        expect((await login('alice', NEW_PASSWORD)).status).toBe(200);
      },
    );

    it('takes x-http-method-override on /api/users/{id} only: a plain POST there is 405, and other routes keep their method', async () => {
      const alice = await registerUser('alice');
      const plain = await t
        .http()
        .post(`/api/users/${alice.id}`)
        .set('Content-Type', MEDIA_TYPE)
        .set('Authorization', `Bearer ${alice.access}`)
        .send('{}');
      expectEnvelope(plain);
      expect(plain.status).toBe(405);
      // POST is served here, as PATCH, when the header asks for it.
      expect(plain.headers.allow).toBe('GET, HEAD, PATCH, POST');
      const overriddenLogin = await post(
        '/api/login',
        { username: 'alice', password: PASSWORD },
        { headers: { 'x-http-method-override': 'patch' } },
      );
      expect(overriddenLogin.status).toBe(200);
      const forum = await t.http().post('/api/forum').set('x-http-method-override', 'GET');
      expectEnvelope(forum);
      expect(forum.status).toBe(405);
      const deleted = await t
        .http()
        .post(`/api/users/${alice.id}`)
        .set('x-http-method-override', 'DELETE')
        .set('Authorization', `Bearer ${alice.access}`);
      expect(deleted.status).toBe(405);
    });

    const both = (newPassword: unknown) => ({ password: PASSWORD, newPassword, password_confirmation: newPassword });
    it.each([
      [
        'a wrong current password',
        { ...change, password: 'Wrong-Password-1' },
        { code: 'not_match_used_password', detail: ['原密码不匹配。'], ...at('password') },
      ],
      ['no current password', { ...change, password: undefined }, { code: 'not_match_used_password' }],
      ['the current password again', both(PASSWORD), { code: 'cannot_use_the_same_password', ...at('newPassword') }],
      [
        'another confirmation',
        { ...change, password_confirmation: 'Maple-River-78' },
        { detail: ['两次输入的密码不一致。'], ...at('password_confirmation') },
      ],
      ['no confirmation', { ...change, password_confirmation: undefined }, at('password_confirmation')],
      ['a short password', both('short'), { detail: ['新密码 至少为 6 个字符。'], ...at('newPassword') }],
      ['a common password', both('password1'), { detail: ['新密码过于常见，请换一个。'] }],
      ['a number', both(12345678), { detail: ['新密码 必须是一个字符串。'] }],
      ['10 kB of password', both('x'.repeat(10_240)), { detail: ['新密码 不能大于 50 个字符。'] }],
    ])('422 for %s', async (_kind, attributes, error) => {
      const alice = await registerUser('alice');
      expectError(await patchUser(alice.id, alice.access, attributes), 422, error);
      expect((await login('alice', PASSWORD)).status).toBe(200);
    });

    it('changes nothing without newPassword and answers the resource', async () => {
      const alice = await registerUser('alice');
      const response = await patchUser(alice.id, alice.access, { signature: 'hello' });
      expect(response.status).toBe(200);
      expect((await login('alice', PASSWORD)).status).toBe(200);
    });

    it('403 permission_denied for another user, 404 for no member, 401 without a token, 409 for another type', async () => {
      const alice = await registerUser('alice');
      const bob = await registerUser('bob');
      expectError(await patchUser(bob.id, alice.access, change), 403, { code: 'permission_denied' });
      expectError(await patchUser('999999', alice.access, change), 404, { code: 'model_not_found' });
      expectError(await patchUser(alice.id, 'forged', change), 401, { code: 'access_denied' });
      const wrongType = await t
        .http()
        .patch(`/api/users/${alice.id}`)
        .set('Content-Type', MEDIA_TYPE)
        .set('Authorization', `Bearer ${alice.access}`)
        .send(JSON.stringify({ data: { type: 'posts', attributes: change } }));
      expectEnvelope(wrongType);
      expect(wrongType.status).toBe(409);
      expect((await login('bob', PASSWORD)).status).toBe(200);
    });

    it('an account made by phone sets its first password without a current one', async () => {
      const phone = await phoneUser();
      const response = await patchUser(phone.id, phone.access, { newPassword: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
      expect(response.status).toBe(200);
      expect(response.body.data.attributes.hasPassword).toBe(true);
      expect(session(await login(MOBILE, NEW_PASSWORD)).id).toBe(phone.id);
    });

    it('counts wrong current passwords like failed logins: the fifth locks the account', async () => {
      const alice = await registerUser('alice');
      for (let i = 0; i < 5; i++) {
        expectError(await patchUser(alice.id, alice.access, { ...change, password: 'Wrong-Password-1' }), 422, {
          code: 'not_match_used_password',
        });
      }
      expectError(await patchUser(alice.id, alice.access, change), 402, { code: 'login_failures_times_toplimit' });
      expectError(await login('alice', PASSWORD), 402, { code: 'login_failures_times_toplimit' });
    });
  });

  describe('POST /api/sms/verify: reset_pwd, bind, rebind, verify', () => {
    it('reset_pwd with a password sets it and ends every session of the user', async () => {
      const phone = await phoneUser();
      await patchUser(phone.id, phone.access, { newPassword: PASSWORD, password_confirmation: PASSWORD });
      const other = session(await login(MOBILE, PASSWORD));
      const code = await codeSent('reset_pwd');
      const response = await post(
        '/api/sms/verify',
        { mobile: MOBILE, code, password: NEW_PASSWORD, type: 'reset_pwd' },
        { type: 'sms/verify' },
      );
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ type: 'users', id: phone.id, attributes: { username: expect.stringMatching(/^网友/) } });
      for (const { id, access, refresh: refreshToken } of [phone, other]) {
        expectError(await getUser(id, access), 401, { code: 'access_denied' });
        expectError(await refresh(refreshToken), 401, { code: 'invalid_refresh_token' });
      }
      expectError(await login(MOBILE, PASSWORD), 403, { code: 'login_failed' });
      expect((await login(MOBILE, NEW_PASSWORD)).status).toBe(200);
      expectError(await smsVerify({ mobile: MOBILE, code, password: 'Copper-Kettle-19', type: 'reset_pwd' }), 422, {
        code: 'sms_verify_error',
      });
    });

    it('reset_pwd refuses the current password and a weak one without spending the code', async () => {
      const alice = await registerUser('alice');
      await users().update({ id: Number(alice.id) }, { phoneNormalized: E164, phone: E164 });
      const code = await codeSent('reset_pwd');
      expectError(await smsVerify({ mobile: MOBILE, code, password: PASSWORD, type: 'reset_pwd' }), 422, {
        code: 'cannot_use_the_same_password',
        ...at('password'),
      });
      expectError(await smsVerify({ mobile: MOBILE, code, password: 'short', type: 'reset_pwd' }), 422, {
        detail: ['密码 至少为 6 个字符。'],
      });
      expectError(await smsVerify({ mobile: MOBILE, code, password: '123456789', type: 'reset_pwd' }), 422, {
        detail: ['密码过于常见，请换一个。'],
      });
      expect((await smsVerify({ mobile: MOBILE, code, password: NEW_PASSWORD, type: 'reset_pwd' })).status).toBe(200);
      expect((await login('alice', NEW_PASSWORD)).status).toBe(200);
    });

    it('reset_pwd without a password only checks the code', async () => {
      const alice = await registerUser('alice');
      await users().update({ id: Number(alice.id) }, { phoneNormalized: E164, phone: E164 });
      const code = await codeSent('reset_pwd');
      expect((await smsVerify({ mobile: MOBILE, code, type: 'reset_pwd' })).status).toBe(200);
      expect((await getUser(alice.id, alice.access)).status).toBe(200);
      expect((await login('alice', PASSWORD)).status).toBe(200);
    });

    it('bind sets the caller’s mobile and answers its users document', async () => {
      const alice = await registerUser('alice');
      const code = await codeSent('bind', MOBILE, alice.access);
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'bind' }), 401, { code: 'access_denied' });
      const response = await smsVerify({ mobile: MOBILE, code, type: 'bind' }, alice.access);
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ id: alice.id, attributes: { mobile: '138****8000', originalMobile: MOBILE } });
      expect(await users().findOneByOrFail({ id: Number(alice.id) })).toMatchObject({ phoneNormalized: E164 });
    });

    it('bind: another user taking the mobile between send and verify gets the second 422, nothing changed', async () => {
      const alice = await registerUser('alice');
      const code = await codeSent('bind', MOBILE, alice.access);
      await phoneUser();
      expectError(await smsVerify({ mobile: MOBILE, code, type: 'bind' }, alice.access), 422, { detail: ['手机号 已经存在。'] });
      expect(await users().findOneByOrFail({ id: Number(alice.id) })).toMatchObject({ phoneNormalized: null });
    });

    it('rebind needs a verify code of the old mobile spent within 10 minutes, and a new mobile', async () => {
      const phone = await phoneUser(MOBILE);
      expectError(await smsSend({ mobile: OTHER_MOBILE, type: 'rebind' }, phone.access), 422, {
        detail: ['请验证旧的手机号。'],
        ...at('mobile'),
      });
      const verifyCode = await codeSent('verify', MOBILE, phone.access);
      expect((await smsVerify({ code: verifyCode, type: 'verify', mobile: OTHER_MOBILE }, phone.access)).status).toBe(200);
      expectError(await smsSend({ mobile: MOBILE, type: 'rebind' }, phone.access), 422, { detail: ['请输入新的手机号。'] });
      const code = await codeSent('rebind', OTHER_MOBILE, phone.access);
      const response = await smsVerify({ mobile: OTHER_MOBILE, code, type: 'rebind' }, phone.access);
      expect(response.status).toBe(200);
      expect(response.body.data.attributes).toMatchObject({ mobile: '139****9000', originalMobile: OTHER_MOBILE });
      expect(session(await smsVerify({ mobile: OTHER_MOBILE, code: await codeSent('login', OTHER_MOBILE), type: 'login' })).id).toBe(
        phone.id,
      );

      clock.advance(60);
      const again = await codeSent('verify', OTHER_MOBILE, phone.access);
      expect((await smsVerify({ code: again, type: 'verify' }, phone.access)).status).toBe(200);
      clock.advance(601);
      expectError(await smsSend({ mobile: MOBILE, type: 'rebind' }, phone.access), 422, { detail: ['请验证旧的手机号。'] });
    });

    it('verify spends a code of the caller’s own mobile', async () => {
      const phone = await phoneUser();
      const code = await codeSent('verify', MOBILE, phone.access);
      expectError(await smsVerify({ code: code === '000000' ? '111111' : '000000', type: 'verify' }, phone.access), 422, {
        code: 'sms_verify_error',
      });
      const response = await smsVerify({ code, type: 'verify' }, phone.access);
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ type: 'users', id: phone.id });
      expectError(await smsVerify({ code, type: 'verify' }, phone.access), 422, { code: 'sms_verify_error' });
    });
  });

  describe('what /api/forum shows', () => {
    it('qcloud_sms and register_type follow the site settings at once', async () => {
      const forum = async () => (await t.http().get('/api/forum')).body.data.attributes;
      expect((await forum()).qcloud.qcloud_sms).toBe(true);
      expect((await forum()).set_reg.register_type).toBe(0);
      await site().update({ registerType: 1 });
      expect((await forum()).set_reg.register_type).toBe(1);
      await site().update({ sms: false });
      expect({ sms: (await forum()).qcloud.qcloud_sms, type: (await forum()).set_reg.register_type }).toEqual({ sms: false, type: 0 });
      await expect(site().update({ registerType: 1 })).rejects.toThrow(/needs SMS on/);
      await site().update({ registerType: 2 });
      expect((await forum()).set_reg.register_type).toBe(2);
    });
  });
});

/** `site set --sms` and `--register-type` through the CLI, on the database the service reads. */
describe('jsonapi-users: phone settings in the admin CLI', () => {
  let env: Record<string, string>;
  let t: TestApp | undefined;

  const cli = async (...args: string[]) => {
    const result = await runCli(env, ...args, '--json');
    if (result.error) {
      throw result.error;
    }
    return parseJsonOutput(result.stdout);
  };
  const cliError = async (...args: string[]) => (await runCli(env, ...args, '--json')).error?.message;
  const forum = async () => {
    t ??= await createTestApp(env);
    return (await t.http().get('/api/forum')).body.data.attributes;
  };

  beforeEach(async () => {
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'site.sqlite')}` };
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });

  it('site set --sms and --register-type show in /api/forum at once; SMS off takes a phone-first site back to usernames', async () => {
    expect(await cli('site', 'set', '--sms', 'on', '--register-type', '1')).toMatchObject({ ok: true, sms: true, registerType: 1 });
    expect(await forum()).toMatchObject({ qcloud: { qcloud_sms: true }, set_reg: { register_type: 1 } });
    expect(await cli('site', 'set', '--sms', 'off')).toMatchObject({ ok: true, sms: false, registerType: 0 });
    expect(await forum()).toMatchObject({ qcloud: { qcloud_sms: false }, set_reg: { register_type: 0 } });
    expect(await cli('site', 'set', '--register-type', '2')).toMatchObject({ registerType: 2 });
    expect(await cli('site', 'show')).toMatchObject({ sms: false, registerType: 2 });
  }, 60_000);

  it.each([
    [['--sms', 'yes'], '--sms must be on or off'],
    [['--register-type', '3'], '--register-type must be one of 0, 1, 2 (0 username, 1 phone, 2 WeChat)'],
    [['--register-type', '1.0'], '--register-type must be one of 0, 1, 2 (0 username, 1 phone, 2 WeChat)'],
    [['--register-type', '1'], 'register type 1 (phone first) needs SMS on (--sms on)'],
    [['--register-type', '1', '--sms', 'off'], 'register type 1 (phone first) needs SMS on (--sms on)'],
  ])(
    'refuses site set %j',
    async (args, message) => {
      expect(await cliError('site', 'set', ...args)).toBe(message);
      expect(await cli('site', 'show')).toMatchObject({ sms: false, registerType: 0 });
    },
    60_000,
  );

  it('a bad value exits 1 with the reason on stderr', async () => {
    const program = promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'site', 'set', '--sms', 'maybe'],
      {
        env: { ...env, PATH: process.env.PATH ?? '' },
      },
    );
    await expect(program).rejects.toMatchObject({ code: 1, stdout: '', stderr: 'unireg: --sms must be on or off\n' });
  }, 60_000);
});
