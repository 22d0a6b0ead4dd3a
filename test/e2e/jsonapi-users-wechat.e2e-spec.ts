import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { Response } from 'supertest';
import { IsNull } from 'typeorm';
import { Clock } from '../../src/clock/clock';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { DIALECT_CONFIG } from '../../src/dialects';
import { SessionToken } from '../../src/dialects/jsonapi-users/session-token.entity';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { UserWechat } from '../../src/dialects/jsonapi-users/wechat/user-wechat.entity';
import { WECHAT_TIMEOUT_MS } from '../../src/dialects/jsonapi-users/wechat/wechat-api.client';
import { WechatAppsService } from '../../src/dialects/jsonapi-users/wechat/wechat-apps';
import { Invite } from '../../src/dialects/jsonapi-users/invite.entity';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { listeningPort, serviceEnvironment, spawnService } from '../utils/service-process';
import { TcpProxy } from '../utils/tcp-proxy';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { WechatStandIn, WechatUser } from '../utils/wechat-stand-in';

// Races of 20 sign-ins, each a trip through the WeChat stand-in, take seconds on MariaDB.
jest.setTimeout(60_000);

const MEDIA_TYPE = 'application/vnd.api+json';
const PASSWORD = 'Tulip-Garden-42';
const PUBLIC_URL = 'https://id.example.com';
const CLIENT = 'https://forum.example.com';
const validateDocument = new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(
  JSON.parse(readFileSync(resolve(__dirname, '../fixtures/jsonapi-schema-1.0.json'), 'utf8')),
);

type Body = Record<string, any>;

/** An app as WeChat issues them: `wx` and 16 hex digits, and a 32-digit secret, new for every run. */
const wechatApp = () => ({ appId: `wx${randomBytes(8).toString('hex')}`, secret: randomBytes(16).toString('hex') });

const ALICE: WechatUser = {
  openid: 'oAlice_mp_0123456789abcdef',
  miniOpenid: 'oAlice_min_0123456789abcde',
  unionid: 'uAlice_0123456789abcdefghi',
  nickname: '爱丽丝 Alice',
  sex: 2,
  province: 'Guangdong',
  city: 'Shenzhen',
  country: 'CN',
  headimgurl: 'https://thirdwx.qlogo.cn/mmopen/alice/132',
};
const BOB: WechatUser = { openid: 'oBob_mp_0123456789abcdefgh', miniOpenid: 'oBob_min_0123456789abcdefg', nickname: 'bob' };

/**
 * Every answer is a JSON:API 1.0 document but for what docs/dialects/jsonapi-users.md documents: `detail`
 * an array of messages (empty where the client acts on the code alone), no_bind_user's `token` and `user`
 * beside `meta`, and `attributes.id` of a users resource. Those are checked, then set aside for the schema.
 */
function expectJsonApi(response: Response): void {
  expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json(;|$)/);
  const document = structuredClone(response.body) as Body;
  for (const error of document.errors ?? []) {
    expect(Array.isArray(error.detail)).toBe(true);
    expect(error.detail.every((message: unknown) => typeof message === 'string' && message !== '')).toBe(true);
    error.detail = error.detail.join(' ');
    if (error.code === 'no_bind_user' || error.code === 'rebind_mp_wechat') {
      expect(error.meta).toEqual({ token: error.token });
      delete error.token;
      delete error.user;
    }
  }
  for (const resource of [document.data].flat()) {
    if (resource?.type === 'users') {
      delete resource.attributes.id;
    }
  }
  const valid = validateDocument(document);
  expect({ valid, errors: validateDocument.errors ?? null }).toEqual({ valid: true, errors: null });
}

describe('jsonapi-users: WeChat sign-in', () => {
  const clock = new FakeClock();
  const offiaccount = wechatApp();
  const miniprogram = wechatApp();
  const wechat = new WechatStandIn(offiaccount, miniprogram);
  /** WECHAT_API_URL goes through this relay, so that a test can take WeChat away. */
  let relay: TcpProxy;
  let t: TestApp;

  /** No answer may hold anything secret WeChat handed the service, nor the app secrets. */
  const expectNoSecrets = (response: Response) => {
    const text = `${JSON.stringify(response.headers)}\n${response.text}`;
    for (const secret of wechat.secrets) {
      expect(text).not.toContain(secret);
    }
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const request = t.http().get(path).set('Accept', MEDIA_TYPE);
    for (const [name, value] of Object.entries(headers)) request.set(name, value);
    const response = await request;
    expectNoSecrets(response);
    if (response.status !== 302) {
      expectJsonApi(response);
    }
    return response;
  };
  const post = async (path: string, attributes: Body) => {
    const response = await t
      .http()
      .post(path)
      .set('Content-Type', 'application/json;charset=utf-8')
      .set('Accept', MEDIA_TYPE)
      .send({ data: { attributes } });
    expectNoSecrets(response);
    expectJsonApi(response);
    return response;
  };
  const query = (parameters: Record<string, string | undefined>) =>
    new URLSearchParams(Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();

  const site = () => t.app.get(SiteService);
  const apps = () => t.app.get(WechatAppsService);
  const users = () => t.dataSource.getRepository(User);
  const bindings = () => t.dataSource.getRepository(UserWechat);
  const configure = (which: { offiaccount?: boolean; miniprogram?: boolean } = { offiaccount: true, miniprogram: true }) =>
    site().update({
      offiaccount: which.offiaccount ? apps().seal('offiaccount', offiaccount.appId, offiaccount.secret) : null,
      miniprogram: which.miniprogram ? apps().seal('miniprogram', miniprogram.appId, miniprogram.secret) : null,
    });

  const expectError = (response: Response, status: number, error: Body) => {
    expect(response.status).toBe(status);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0]).toMatchObject({ status: String(status), ...error });
  };
  const expectTokenDocument = (response: Response, userId?: number) => {
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      type: 'token',
      attributes: { token_type: 'Bearer', expires_in: 2592000, access_token: expect.any(String), refresh_token: expect.any(String) },
    });
    if (userId !== undefined) {
      expect(response.body.data.id).toBe(String(userId));
    }
    return Number(response.body.data.id);
  };
  const noBindUser = (response: Response, code = 'no_bind_user') => {
    expectError(response, 400, { code, detail: [], token: expect.stringMatching(/^[A-Za-z0-9_-]{40}$/) });
    return response.body.errors[0].token as string;
  };

  /**
   * The browser's trip: the service sends it to WeChat, where `user` consents, and WeChat sends it back to
   * the redirect with `code` and `state`, which the client page passes on with its `sessionId`.
   */
  const authorize = async (user: WechatUser, start: Record<string, string | undefined> = {}) => {
    const parameters = { redirect: `${CLIENT}/pages/user/wechat`, sessionId: 'client-session-1', ...start };
    const sent = await get(`/api/oauth/wechat?${query(parameters)}`);
    expect(sent.status).toBe(302);
    wechat.consenting = user;
    const back = await fetch(sent.headers.location, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const url = new URL(back.headers.get('location')!);
    return { url, code: url.searchParams.get('code')!, state: url.searchParams.get('state')! };
  };
  const wechatUser = async (user: WechatUser, extra: Record<string, string | undefined> = {}) => {
    const { code, state } = await authorize(user);
    return get(`/api/oauth/wechat/user?${query({ code, state, sessionId: 'client-session-1', ...extra })}`);
  };
  const bearer = (response: Response) => ({ Authorization: `Bearer ${response.body.data.attributes.access_token}` });
  const register = (attributes: Body) => post('/api/register', { username: 'dora', password: PASSWORD, ...attributes });
  const login = (attributes: Body) => post('/api/login', { username: 'dora', password: PASSWORD, ...attributes });

  beforeAll(async () => {
    const standIn = new URL(await wechat.start());
    relay = new TcpProxy('127.0.0.1', Number(standIn.port));
    await relay.start();
    t = await createTestApp(
      {
        WECHAT_API_URL: `http://127.0.0.1:${relay.port}`,
        WECHAT_OPEN_URL: wechat.url,
        PUBLIC_URL,
        CORS_ORIGINS: CLIENT,
        RATE_LIMIT_PER_MINUTE: '0',
      },
      (builder) => builder.overrideProvider(Clock).useValue(clock).overrideProvider(WECHAT_TIMEOUT_MS).useValue(2000),
    );
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
    await wechat.stop();
  });
  beforeEach(async () => {
    await t.reset();
    wechat.mode = { kind: 'ok' };
    await configure();
  });

  describe('settings', () => {
    it('offers each WeChat sign-in in /api/forum once its app is set (the original inverted *_close names)', async () => {
      await configure({});
      expect((await get('/api/forum')).body.data.attributes.passport).toEqual({
        offiaccount_close: false,
        miniprogram_close: false,
        oplatform_close: false,
      });
      await configure({ miniprogram: true });
      expect((await get('/api/forum')).body.data.attributes.passport).toEqual({
        offiaccount_close: false,
        miniprogram_close: true,
        oplatform_close: false,
      });
      await configure({ offiaccount: true });
      expect((await get('/api/forum')).body.data.attributes.passport).toEqual({
        offiaccount_close: true,
        miniprogram_close: false,
        oplatform_close: true,
      });
    });

    it('keeps the app secrets sealed at rest, and a sign-in of an app that is not set says so', async () => {
      const stored = JSON.stringify((await site().current()).site.settings);
      expect(stored).toContain(offiaccount.appId);
      expect(stored).not.toContain(offiaccount.secret);
      expect(stored).not.toContain(miniprogram.secret);
      await configure({});
      expectError(await get('/api/oauth/wechat?redirect=%2F'), 400, { code: 'wechat_not_configured' });
      expectError(await get('/api/oauth/wechat/pc/qrcode'), 400, { code: 'wechat_not_configured' });
      expectError(await post('/api/oauth/wechat/miniprogram', wechat.miniProgramLogin(ALICE)), 400, { code: 'wechat_not_configured' });
    });

    it('refuses WECHAT_API_URL and WECHAT_OPEN_URL that are not plain http(s) base URLs, at start', () => {
      const load = (env: Record<string, string>) => () =>
        loadConfig({ JWT_SECRET: 'test-secret-that-is-long-enough', DB_URL: 'sqlite::memory:', ...env }, DIALECT_CONFIG);
      expect(load({ WECHAT_API_URL: 'http://127.0.0.1:9/base/' })).not.toThrow();
      expect(load({ WECHAT_API_URL: 'ftp://api.weixin.qq.com' })).toThrow(ConfigError);
      expect(load({ WECHAT_OPEN_URL: 'open.weixin.qq.com' })).toThrow(/^WECHAT_OPEN_URL="open.weixin.qq.com" must be an http\(s\) URL/);
      expect(load({ WECHAT_API_URL: 'https://user:pw@proxy.example.com' })).toThrow(
        /^WECHAT_API_URL="https:\/\/\*\*\*@proxy.example.com" must/,
      );
      expect(load({ WECHAT_API_URL: 'https://proxy.example.com/?key=1' })).toThrow(ConfigError);
    });
  });

  describe('the official account: GET /api/oauth/wechat and /api/oauth/wechat/user', () => {
    it("sends the browser to WeChat's authorization with the client's redirect and a state of letters and digits", async () => {
      const sent = await get(`/api/oauth/wechat?${query({ redirect: `${CLIENT}/pages/user/wechat?preurl=%2F`, sessionId: 's1' })}`);
      expect(sent.status).toBe(302);
      const location = new URL(sent.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe(`${wechat.url}/connect/oauth2/authorize`);
      expect(location.hash).toBe('#wechat_redirect');
      expect([...location.searchParams.keys()]).toEqual(['appid', 'redirect_uri', 'response_type', 'scope', 'state']);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        appid: offiaccount.appId,
        redirect_uri: `${CLIENT}/pages/user/wechat?preurl=%2F`,
        response_type: 'code',
        scope: 'snsapi_userinfo',
        state: expect.stringMatching(/^[A-Za-z0-9]{1,128}$/),
      });
      // A path is taken as one on PUBLIC_URL.
      const relative = new URL((await get('/api/oauth/wechat?redirect=%2Fpages%2Fuser%2Fwechat')).headers.location);
      expect(relative.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/pages/user/wechat`);
    });

    it.each([
      ['missing', ''],
      ['on another origin', 'redirect=https%3A%2F%2Fevil.example%2Fsteal'],
      ['protocol-relative', 'redirect=%2F%2Fevil.example%2Fsteal'],
      ['not http', 'redirect=javascript%3Aalert(1)'],
      ['with credentials', `redirect=${encodeURIComponent('https://user:pw@forum.example.com/')}`],
    ])('refuses a redirect %s', async (_case, parameters) => {
      expectError(await get(`/api/oauth/wechat?${parameters}`), 400, { code: 'wechat_redirect_invalid' });
    });

    it('answers no_bind_user with a 5-minute wechat token and what the client shows; register with the token binds', async () => {
      const unbound = await wechatUser(ALICE);
      const token = noBindUser(unbound);
      expect(unbound.body.errors[0].user).toEqual({ nickname: ALICE.nickname, headimgurl: ALICE.headimgurl });
      expect(await users().count()).toBe(0);
      const registered = await register({ token });
      const id = expectTokenDocument(registered);
      expect(await bindings().findOneByOrFail({ userId: id })).toMatchObject({
        mpOpenid: ALICE.openid,
        devOpenid: null,
        minOpenid: null,
        unionid: ALICE.unionid,
        nickname: ALICE.nickname,
        sex: 2,
        city: 'Shenzhen',
        headimgurl: ALICE.headimgurl,
      });
      // The token is spent, and the next sign-in finds the user, with the profile WeChat gives then.
      expectError(await register({ username: 'other', token }), 422, { source: { pointer: '/data/attributes/token' } });
      expectTokenDocument(await wechatUser({ ...ALICE, nickname: 'Alice 2' }), id);
      expect((await bindings().findOneByOrFail({ userId: id })).nickname).toBe('Alice 2');
    });

    it('register=1 on an open site creates the user from the nickname, without a password, and binds it', async () => {
      const signedIn = await wechatUser(ALICE, { register: '1' });
      const id = expectTokenDocument(signedIn);
      const user = await users().findOneByOrFail({ id });
      expect(user).toMatchObject({
        username: '爱丽丝Alice',
        status: UserStatus.Active,
        registerSource: 'jsonapi-users:wechat-offiaccount',
      });
      expect(user.profile).toEqual({ registerReason: '公众号网页注册' });
      expect((await bindings().findOneByOrFail({ userId: id })).mpOpenid).toBe(ALICE.openid);
      expect((await get(`/api/users/${id}`, bearer(signedIn))).body.data.attributes).toMatchObject({
        username: '爱丽丝Alice',
        hasPassword: false,
      });
      // The same nickname again is made unique with digits; one no username may hold becomes 网友 and 6 characters.
      const twin = expectTokenDocument(await wechatUser({ ...BOB, nickname: ALICE.nickname }, { register: '1' }));
      expect((await users().findOneByOrFail({ id: twin })).username).toMatch(/^爱丽丝Alice\d{4}$/);
      const anonymous = expectTokenDocument(
        await wechatUser({ openid: 'oAnon_0123456789abcdefghij', nickname: '匿名用户' }, { register: '1' }),
      );
      expect((await users().findOneByOrFail({ id: anonymous })).username).toMatch(/^网友[A-Za-z0-9]{6}$/);
    });

    it('drops what no username may hold from the nickname: a lone surrogate, invisible and control characters', async () => {
      const carol = { openid: 'oCarol_mp_0123456789abcdef', nickname: '\u202EC\uD83Dar\u200Bo\u0007l\uDE00' };
      const id = expectTokenDocument(await wechatUser(carol, { register: '1' }));
      expect((await users().findOneByOrFail({ id })).username).toBe('Carol');
      expect((await bindings().findOneByOrFail({ userId: id })).nickname).toBe('\u202ECar\u200Bo\u0007l');
    });

    it('register=1 follows the register mode and the invite rule, with nothing made when refused', async () => {
      await site().update({ registerMode: 'closed' });
      expectError(await wechatUser(ALICE, { register: '1' }), 401, { code: 'register_close' });
      await site().update({ registerMode: 'open', inviteRequired: true });
      expectError(await wechatUser(ALICE, { register: '1' }), 422, { source: { parameter: 'inviteCode' } });
      expectError(await wechatUser(ALICE, { register: '1', inviteCode: 'NOSUCHCODE' }), 422, { source: { parameter: 'inviteCode' } });
      expect(await users().count()).toBe(0);
      expect(await bindings().count()).toBe(0);
      const [invite] = await site().createInvites(1);
      await site().update({ registerMode: 'review' });
      expectError(await wechatUser(ALICE, { register: '1', inviteCode: invite.code }), 401, { code: 'register_validate' });
      const pending = await users().findOneByOrFail({ username: '爱丽丝Alice' });
      expect(pending.status).toBe(UserStatus.PendingReview);
      expect((await t.dataSource.getRepository(Invite).findOneByOrFail({ id: invite.id })).usedBy).toBe(pending.id);
      // Bound, but not let in until approved.
      expectError(await wechatUser(ALICE), 401, { code: 'register_validate' });
    });

    it('rebind=1 answers rebind_mp_wechat with a token; a login with it and rebind moves the WeChat user', async () => {
      const first = expectTokenDocument(await wechatUser(ALICE, { register: '1' }));
      const token = noBindUser(await wechatUser(ALICE, { rebind: '1' }), 'rebind_mp_wechat');
      expectTokenDocument(await register({ username: 'carol', password: PASSWORD }));
      expectError(await login({ username: 'carol', token }), 400, { code: 'account_has_been_bound', detail: ['用户或微信已绑定。'] });
      const token2 = noBindUser(await wechatUser(ALICE, { rebind: '1' }), 'rebind_mp_wechat');
      const carol = expectTokenDocument(await login({ username: 'carol', token: token2, rebind: 1 }));
      expect(await bindings().findOneBy({ userId: first })).toBeNull();
      expect((await bindings().findOneByOrFail({ userId: carol })).mpOpenid).toBe(ALICE.openid);
      expectTokenDocument(await wechatUser(ALICE), carol);
    });

    it('refuses a state it did not issue, one for another client session, and one past its 10 minutes', async () => {
      const { code, state } = await authorize(ALICE);
      const forged = `${state.slice(0, -1)}${state.endsWith('0') ? '1' : '0'}`;
      for (const parameters of [
        { code, state: forged, sessionId: 'client-session-1' },
        { code, state, sessionId: 'someone-else' },
        { code, state },
        { code, sessionId: 'client-session-1' },
        { code, state: 'x'.repeat(60), sessionId: 'client-session-1' },
      ]) {
        expectError(await get(`/api/oauth/wechat/user?${query(parameters)}`), 400, { code: 'wechat_state_invalid' });
      }
      clock.advance(601);
      expectError(await get(`/api/oauth/wechat/user?${query({ code, state, sessionId: 'client-session-1' })}`), 400, {
        code: 'wechat_state_invalid',
      });
      // None of these reached WeChat, so none could spend the code.
      expect(wechat.requests.filter((url) => url.includes(code))).toEqual([]);
    });

    it("passes WeChat's errcode on: a wrong or used code, a refused app, any other error", async () => {
      const { state } = await authorize(ALICE);
      const ask = (code: string) => get(`/api/oauth/wechat/user?${query({ code, state, sessionId: 'client-session-1' })}`);
      expectError(await ask('not-a-code'), 400, { code: 'wechat_code_invalid', meta: { errcode: 40029 } });
      const { code, state: again } = await authorize(ALICE);
      noBindUser(await get(`/api/oauth/wechat/user?${query({ code, state: again, sessionId: 'client-session-1' })}`));
      expectError(await get(`/api/oauth/wechat/user?${query({ code, state: again, sessionId: 'client-session-1' })}`), 400, {
        code: 'wechat_code_invalid',
        meta: { errcode: 40163 },
      });
      wechat.mode = { kind: 'errcode', errcode: 40125 };
      expectError(await ask('any'), 400, { code: 'wechat_app_invalid', meta: { errcode: 40125 } });
      wechat.mode = { kind: 'errcode', errcode: -1 };
      expectError(await ask('any'), 400, { code: 'wechat_error', meta: { errcode: -1 }, detail: ['微信接口返回错误（errcode -1）。'] });
      expectError(await get(`/api/oauth/wechat/user?${query({ state, sessionId: 'client-session-1' })}`), 400, {
        code: 'wechat_code_invalid',
        source: { parameter: 'code' },
      });
    });

    it('answers 502 when WeChat hangs past the timeout or is down, and works again when it is back', async () => {
      const { code, state } = await authorize(ALICE);
      const ask = () => get(`/api/oauth/wechat/user?${query({ code, state, sessionId: 'client-session-1' })}`);
      wechat.mode = { kind: 'hang' };
      const started = Date.now();
      expectError(await ask(), 502, { code: 'wechat_unavailable', detail: ['暂时无法连接微信服务，请稍后再试。'] });
      expect(Date.now() - started).toBeLessThan(5000);
      wechat.mode = { kind: 'ok' };
      await relay.stop();
      try {
        expectError(await ask(), 502, { code: 'wechat_unavailable' });
      } finally {
        await relay.start();
      }
      noBindUser(await ask());
    });

    it('takes any type of query value without a 500', async () => {
      const { code, state } = await authorize(ALICE);
      expectError(await get(`/api/oauth/wechat/user?code=${code}&code=${code}&state=${state}`), 422, { source: { parameter: 'code' } });
      expectError(await get(`/api/oauth/wechat/user?${query({ code, state, sessionId: 'client-session-1' })}&register=1&register=1`), 422, {
        source: { parameter: 'register' },
      });
      expectError(await get(`/api/oauth/wechat/user?${query({ code: 'x'.repeat(600), state })}`), 422, { source: { parameter: 'code' } });
      expectError(await get(`/api/oauth/wechat/user?code[a]=1&state=${state}`), 422, {
        source: { parameter: 'code' },
        detail: ['微信授权码 格式不正确。'],
      });
      expectError(await get(`/api/oauth/wechat/user?code[a]=1&state=${state}`, { 'Accept-Language': 'en' }), 422, {
        source: { parameter: 'code' },
        detail: ['The WeChat authorization code format is invalid.'],
      });
      expectError(await get(`/api/oauth/wechat?redirect=${encodeURIComponent(`${CLIENT}/`)}&sessionId=a&sessionId=b`), 422, {
        source: { parameter: 'sessionId' },
      });
    });
  });

  describe('the PC QR login: GET /api/oauth/wechat/pc/qrcode and /api/oauth/wechat/pc/login/{session_token}', () => {
    const qrCode = async () => {
      const response = await get('/api/oauth/wechat/pc/qrcode');
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        type: 'wechat_pc_code',
        id: '1',
        attributes: {
          session_token: expect.stringMatching(/^[A-Za-z0-9_-]{40}$/),
          base64_img: expect.stringMatching(/^data:image\/png;base64,/),
        },
      });
      return response.body.data.attributes.session_token as string;
    };
    /** The phone: scans the code, opens its URL, consents in WeChat and lands on /api/oauth/wechat/user. */
    const scan = async (sessionToken: string, user: WechatUser) => {
      const { url } = await authorize(user, { session_token: sessionToken, redirect: undefined, sessionId: undefined });
      expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/api/oauth/wechat/user`);
      expect(url.searchParams.get('session_token')).toBe(sessionToken);
      return get(`${url.pathname}${url.search}`);
    };
    const poll = (sessionToken: string) => get(`/api/oauth/wechat/pc/login/${sessionToken}`);

    it("the QR code is a PNG of PUBLIC_URL's /api/oauth/wechat with the session token", async () => {
      const sessionToken = await qrCode();
      const phone = await get(`/api/oauth/wechat?${query({ session_token: sessionToken })}`);
      expect(phone.status).toBe(302);
      const redirectUri = new URL(new URL(phone.headers.location).searchParams.get('redirect_uri')!);
      expect(redirectUri.toString()).toBe(`${PUBLIC_URL}/api/oauth/wechat/user?session_token=${sessionToken}`);
    });

    it('polls scanning, then gives a bound user the token document once', async () => {
      const id = expectTokenDocument(await wechatUser(ALICE, { register: '1' }));
      const sessionToken = await qrCode();
      expectError(await poll(sessionToken), 400, { code: 'pc_qrcode_scanning_code', detail: [] });
      const phone = await scan(sessionToken, ALICE);
      expect(phone.status).toBe(200);
      expect(phone.body).toEqual({ data: { type: 'wechat_pc_login', id: '1', attributes: { pc_login: true } } });
      expectTokenDocument(await poll(sessionToken), id);
      expectError(await poll(sessionToken), 400, { code: 'pc_qrcode_time_out', detail: ['二维码已失效，扫码超时。'] });
    });

    it('gives an unbound WeChat user no_bind_user with a wechatweb token, which binds its dev_openid at register', async () => {
      const sessionToken = await qrCode();
      expect((await scan(sessionToken, BOB)).status).toBe(200);
      const polled = await poll(sessionToken);
      const token = noBindUser(polled);
      expect(polled.body.errors[0].user).toEqual({ nickname: 'bob', headimgurl: '' });
      expect(await t.dataSource.getRepository(SessionToken).countBy({ scope: 'wechatweb', consumedAt: IsNull() })).toBe(1);
      const id = expectTokenDocument(await register({ username: 'bobby', token }));
      expect(await bindings().findOneByOrFail({ userId: id })).toMatchObject({ devOpenid: BOB.openid, mpOpenid: null });
      // The official account is the same app, so the same openid signs in there too.
      expectTokenDocument(await wechatUser(BOB), id);
    });

    it('times out after 5 minutes, for the poll and for the phone', async () => {
      const sessionToken = await qrCode();
      clock.advance(301);
      expectError(await poll(sessionToken), 400, { code: 'pc_qrcode_time_out' });
      expectError(await get(`/api/oauth/wechat?${query({ session_token: sessionToken })}`), 400, { code: 'pc_qrcode_time_out' });
      expectError(await poll('no-such-token'), 400, { code: 'pc_qrcode_time_out' });
      expectError(await poll('x'.repeat(300)), 400, { code: 'pc_qrcode_time_out' });
    });

    it("refuses a phone's state made for another QR login", async () => {
      const first = await qrCode();
      const second = await qrCode();
      const { url } = await authorize(BOB, { session_token: first, redirect: undefined, sessionId: undefined });
      url.searchParams.set('session_token', second);
      expectError(await get(`${url.pathname}${url.search}`), 400, { code: 'wechat_state_invalid' });
      expectError(await poll(second), 400, { code: 'pc_qrcode_scanning_code' });
    });
  });

  describe('the mini program: POST /api/oauth/wechat/miniprogram', () => {
    it('decrypts the profile, answers no_bind_user with an empty token, and register: 1 creates and binds', async () => {
      const unbound = await post('/api/oauth/wechat/miniprogram', wechat.miniProgramLogin(ALICE));
      expectError(unbound, 400, { code: 'no_bind_user', token: '', user: { username: ALICE.nickname, headimgurl: ALICE.headimgurl } });
      const id = expectTokenDocument(await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(ALICE), register: 1 }));
      expect(await bindings().findOneByOrFail({ userId: id })).toMatchObject({
        minOpenid: ALICE.miniOpenid,
        unionid: ALICE.unionid,
        mpOpenid: null,
      });
      expect((await users().findOneByOrFail({ id })).profile).toEqual({ registerReason: '微信小程序注册' });
      expectTokenDocument(await post('/api/oauth/wechat/miniprogram', wechat.miniProgramLogin(ALICE)), id);
      // The official account finds the same person by the unionid, and keeps its openid from then on.
      expectTokenDocument(await wechatUser(ALICE), id);
      expect(await bindings().findOneByOrFail({ userId: id })).toMatchObject({ minOpenid: ALICE.miniOpenid, mpOpenid: ALICE.openid });
    });

    it('refuses data WeChat made for another mini program, data that does not decrypt, and a missing part', async () => {
      expectError(await post('/api/oauth/wechat/miniprogram', wechat.miniProgramLogin(ALICE, 'wx0000000000000000')), 400, {
        code: 'wechat_watermark_invalid',
      });
      const proof = wechat.miniProgramLogin(ALICE);
      expectError(await post('/api/oauth/wechat/miniprogram', { ...proof, iv: Buffer.alloc(16, 7).toString('base64') }), 400, {
        code: 'wechat_decrypt_failed',
      });
      const other = wechat.miniProgramLogin(ALICE);
      expectError(await post('/api/oauth/wechat/miniprogram', { ...other, encryptedData: 'not base64!' }), 400, {
        code: 'wechat_decrypt_failed',
      });
      const missing = await post('/api/oauth/wechat/miniprogram', { js_code: 'x', iv: null, encryptedData: 42 });
      expect(missing.status).toBe(422);
      expect(missing.body.errors.map((error: Body) => error.source.pointer)).toEqual([
        '/data/attributes/iv',
        '/data/attributes/encryptedData',
      ]);
      expectError(await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(ALICE), js_code: 'used-or-wrong' }), 400, {
        code: 'wechat_code_invalid',
        meta: { errcode: 40029 },
      });
      expect(await users().count()).toBe(0);
    });

    it("takes the openid and unionid from jscode2session alone: a client's edited profile reaches no one else's account", async () => {
      const victim = expectTokenDocument(await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(ALICE), register: 1 }));
      const before = await bindings().find({ order: { id: 'ASC' } });
      const mallory: WechatUser = { openid: 'oMallory_mp_0123456789abcd', miniOpenid: 'oMallory_min_0123456789abc', nickname: '' };
      // AES-CBC has no MAC: from her own proof Mallory cuts the blocks before her nickname and rewrites the
      // first one left through the IV, so that the profile opens with ALICE's unionId and names no openId.
      const prefix = `{"openId":"${mallory.miniOpenid}","nickName":"`.length;
      const filler = 16 + ((16 - (prefix % 16)) % 16);
      const forge = () => {
        const proof = wechat.miniProgramLogin({ ...mallory, nickname: `${'x'.repeat(filler)}${ALICE.unionid!.slice(4)}` });
        const plaintext = Buffer.from(wechat.plaintextOf(proof.js_code));
        const sealed = Buffer.concat([Buffer.from(proof.iv, 'base64'), Buffer.from(proof.encryptedData, 'base64')]);
        const first = (prefix + filler) / 16 - 1;
        const wanted = Buffer.from(`{"unionId":"${ALICE.unionid!.slice(0, 4)}`);
        const iv = Buffer.alloc(16);
        for (let i = 0; i < 16; i++) {
          iv[i] = sealed[first * 16 + i] ^ plaintext[first * 16 + i] ^ wanted[i];
        }
        const opened = JSON.parse(Buffer.concat([wanted, plaintext.subarray((first + 1) * 16)]).toString());
        expect(opened).toMatchObject({ unionId: ALICE.unionid, watermark: { appid: miniprogram.appId } });
        expect(opened).not.toHaveProperty('openId');
        return { ...proof, iv: iv.toString('base64'), encryptedData: sealed.subarray((first + 1) * 16).toString('base64') };
      };
      expectError(await post('/api/oauth/wechat/miniprogram', forge()), 400, { code: 'wechat_decrypt_failed' });
      expectError(await post('/api/oauth/wechat/miniprogram', { ...forge(), register: 1 }), 400, { code: 'wechat_decrypt_failed' });
      // A profile edited any other way: another openid, or another unionid than WeChat's.
      const alicesOpenid = wechat.miniProgramLogin(mallory, undefined, (profile) => ({ ...profile, openId: ALICE.miniOpenid }));
      expectError(await post('/api/oauth/wechat/miniprogram', alicesOpenid), 400, { code: 'wechat_decrypt_failed' });
      const withUnion = { ...mallory, unionid: 'uMallory_0123456789abcdefg' };
      const alicesUnion = wechat.miniProgramLogin(withUnion, undefined, (profile) => ({ ...profile, unionId: ALICE.unionid }));
      expectError(await post('/api/oauth/wechat/miniprogram', alicesUnion), 400, { code: 'wechat_decrypt_failed' });
      expect(await bindings().find({ order: { id: 'ASC' } })).toEqual(before);
      expect(await users().count()).toBe(1);
      // WeChat gave Mallory no unionid: the one her profile names is not taken, and she registers on her own.
      const injected = (profile: Record<string, unknown>) => ({ ...profile, unionId: ALICE.unionid });
      expectError(await post('/api/oauth/wechat/miniprogram', wechat.miniProgramLogin(mallory, undefined, injected)), 400, {
        code: 'no_bind_user',
      });
      const own = expectTokenDocument(
        await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(mallory, undefined, injected), register: 1 }),
      );
      expect(own).not.toBe(victim);
      expect(await bindings().findOneByOrFail({ userId: own })).toMatchObject({ minOpenid: mallory.miniOpenid, unionid: null });
      expect(await bindings().findOneByOrFail({ userId: victim })).toEqual(before[0]);
    });

    it('binds at register and login with js_code, iv and encryptedData, in the same transaction as the user', async () => {
      const id = expectTokenDocument(await register(wechat.miniProgramLogin(ALICE)));
      expect((await bindings().findOneByOrFail({ userId: id })).minOpenid).toBe(ALICE.miniOpenid);
      // Bound elsewhere: refused before anything is made.
      expectError(await register({ username: 'eve', ...wechat.miniProgramLogin(ALICE) }), 400, { code: 'account_has_been_bound' });
      expect(await users().count()).toBe(1);
      // The same user adds its official account identity at login: one row holds both.
      const token = noBindUser(await wechatUser({ ...ALICE, unionid: undefined }));
      expectTokenDocument(await login({ token }), id);
      expect(await bindings().findOneByOrFail({ userId: id })).toMatchObject({ mpOpenid: ALICE.openid, minOpenid: ALICE.miniOpenid });
      expect(await bindings().count()).toBe(1);
      // A wrong password binds nothing, and the proof is refused before the password is tried.
      const proof = wechat.miniProgramLogin(BOB);
      expectError(await login({ password: 'Wrong-Garden-42', ...proof }), 403, { code: 'login_failed' });
      expect(await bindings().count()).toBe(1);
      const partial = await login({ js_code: 'x' });
      expect(partial.status).toBe(422);
      expect(partial.body.errors.map((error: Body) => error.source.pointer)).toEqual([
        '/data/attributes/iv',
        '/data/attributes/encryptedData',
      ]);
    });

    it('register: 1 with rebind: 1 moves the WeChat user from its account to the new one', async () => {
      const first = expectTokenDocument(await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(ALICE), register: 1 }));
      expectError(await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(ALICE), rebind: 1 }), 400, {
        code: 'no_bind_user',
      });
      expect((await bindings().findOneByOrFail({ minOpenid: ALICE.miniOpenid })).userId).toBe(first);
      const second = expectTokenDocument(
        await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(ALICE), register: 1, rebind: 1 }),
      );
      expect(second).not.toBe(first);
      expect((await bindings().findOneByOrFail({ minOpenid: ALICE.miniOpenid })).userId).toBe(second);
      expect(await bindings().findOneBy({ userId: first })).toBeNull();
    });
  });

  describe('register and login with token', () => {
    it('an unknown, spent or expired token is 422 at /data/attributes/token and nothing is made', async () => {
      const token = noBindUser(await wechatUser(ALICE));
      for (const bad of ['no-such-token', 12, { token }]) {
        const refused = await register({ token: bad });
        expect(refused.status).toBe(422);
        expect(refused.body.errors.map((error: Body) => error.source.pointer)).toEqual(['/data/attributes/token']);
      }
      clock.advance(301);
      expectError(await register({ token }), 422, { code: 'validation_error', source: { pointer: '/data/attributes/token' } });
      expect(await users().count()).toBe(0);
      expect(await bindings().count()).toBe(0);
      // null and "" are no token, as the web client sends when it has none.
      expectTokenDocument(await register({ token: null }));
      expectTokenDocument(await login({ token: '' }));
    });

    it('a WeChat user bound meanwhile to someone else is account_has_been_bound, and the register makes nothing', async () => {
      const token = noBindUser(await wechatUser(ALICE));
      expectTokenDocument(await wechatUser(ALICE, { register: '1' }));
      expectError(await register({ token }), 400, { code: 'account_has_been_bound' });
      expect(await users().count()).toBe(1);
      // Its token was not spent: the registration's transaction undid that too.
      expect(await t.dataSource.getRepository(SessionToken).countBy({ scope: 'wechat', consumedAt: IsNull() })).toBe(1);
    });

    it('20 registrations racing to bind one WeChat user: exactly one wins', async () => {
      const tokens: string[] = [];
      for (let i = 0; i < 20; i++) {
        tokens.push(noBindUser(await wechatUser(ALICE)));
      }
      const answers = await Promise.all(tokens.map((token, i) => register({ username: `racer${i}`, token })));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, ...Array<number>(19).fill(400)]);
      for (const answer of answers.filter((response) => response.status === 400)) {
        expect(answer.body.errors[0].code).toBe('account_has_been_bound');
      }
      expect(await users().count()).toBe(1);
      expect(await bindings().count()).toBe(1);
    });

    it('20 register=1 sign-ins of one WeChat user at once make one user', async () => {
      const trips = [];
      for (let i = 0; i < 20; i++) {
        trips.push(await authorize(ALICE));
      }
      const answers = await Promise.all(
        trips.map(({ code, state }) =>
          get(`/api/oauth/wechat/user?${query({ code, state, sessionId: 'client-session-1', register: '1' })}`),
        ),
      );
      const ok = answers.filter((answer) => answer.status === 200);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      for (const answer of answers) {
        if (answer.status === 200) {
          expectTokenDocument(answer, Number(ok[0].body.data.id));
        } else {
          expectError(answer, 400, { code: 'account_has_been_bound' });
        }
      }
      expect(await users().count()).toBe(1);
      expect(await bindings().count()).toBe(1);
    });
  });

  describe('GET /api/users/{id}?include=wechat', () => {
    it("adds the user's own WeChat binding, nickname and avatar included, and never someone else's", async () => {
      const signedIn = await wechatUser(ALICE, { register: '1' });
      const id = expectTokenDocument(signedIn);
      const own = await get(`/api/users/${id}?include=groups,wechat`, bearer(signedIn));
      expect(own.status).toBe(200);
      const binding = await bindings().findOneByOrFail({ userId: id });
      expect(own.body.data.relationships.wechat).toEqual({ data: { type: 'wechats', id: String(binding.id) } });
      expect(own.body.included).toContainEqual({
        type: 'wechats',
        id: String(binding.id),
        attributes: {
          mp_openid: ALICE.openid,
          dev_openid: '',
          min_openid: '',
          nickname: ALICE.nickname,
          sex: 2,
          headimgurl: ALICE.headimgurl,
        },
      });
      expect((await get(`/api/users/${id}`, bearer(signedIn))).body.data.relationships.wechat).toBeUndefined();
      const carol = await register({ username: 'carol' });
      const other = expectTokenDocument(carol);
      const carolBearer = bearer(carol);
      expect((await get(`/api/users/${other}?include=wechat`, carolBearer)).body.data.relationships.wechat).toEqual({ data: null });
      const seen = await get(`/api/users/${id}?include=wechat`, carolBearer);
      expect(seen.body.data.relationships.wechat).toBeUndefined();
      expect(seen.body.included).toBeUndefined();
    });
  });
});

/** The service as an operator runs it, with its JSON log lines: no WeChat secret, code or token in any of them. */
describe('jsonapi-users: WeChat sign-in leaves no secret in the request log', () => {
  const dir = testEnvironment().DATA_DIR;
  const offiaccount = wechatApp();
  const miniprogram = wechatApp();
  const wechat = new WechatStandIn(offiaccount, miniprogram);
  const lines: string[] = [];
  let server: ReturnType<typeof spawnService>;
  let base: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const standIn = await wechat.start();
    env = serviceEnvironment(dir, 'wechat.sqlite', {
      LOG_LEVEL: 'info',
      BCRYPT_COST: '4',
      WECHAT_API_URL: standIn,
      WECHAT_OPEN_URL: standIn,
      PUBLIC_URL: 'http://127.0.0.1:1',
    });
    const configured = await runCli(
      env,
      'site',
      'set',
      '--offiaccount-app-id',
      offiaccount.appId,
      '--offiaccount-app-secret',
      offiaccount.secret,
      '--miniprogram-app-id',
      miniprogram.appId,
      '--miniprogram-app-secret',
      miniprogram.secret,
    );
    expect(configured.error).toBeUndefined();
    server = spawnService(env);
    server.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    base = `http://127.0.0.1:${await listeningPort(server)}`;
  }, 120_000);
  afterAll(async () => {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('exit', done));
    await wechat.stop();
    removeDataDir(dir);
  });

  it('logs every step of each WeChat sign-in without a secret', async () => {
    const seen = new Set<string>();
    const json = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
      const text = await response.text();
      const body = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Body) : {};
      return { status: response.status, location: response.headers.get('location'), body };
    };
    // The official account, with a sessionId and a state in the query, ending in no_bind_user.
    const started = await json('/api/oauth/wechat?redirect=%2Fpages%2Fuser%2Fwechat&sessionId=client-session-secret');
    const state = new URL(started.location!).searchParams.get('state')!;
    const code = wechat.code(ALICE);
    const unbound = await json(
      `/api/oauth/wechat/user?${new URLSearchParams({ code, state, sessionId: 'client-session-secret' }).toString()}`,
    );
    expect(unbound.body.errors[0].code).toBe('no_bind_user');
    seen.add(state).add('client-session-secret').add(unbound.body.errors[0].token);
    // The PC QR login: the session token rides in the poll's path and in the phone's query.
    const qr = await json('/api/oauth/wechat/pc/qrcode');
    const sessionToken = qr.body.data.attributes.session_token as string;
    seen.add(sessionToken);
    expect((await json(`/api/oauth/wechat/pc/login/${sessionToken}`)).body.errors[0].code).toBe('pc_qrcode_scanning_code');
    const phone = await json(`/api/oauth/wechat?session_token=${sessionToken}`);
    const phoneState = new URL(phone.location!).searchParams.get('state')!;
    seen.add(phoneState);
    const scanned = await json(
      `/api/oauth/wechat/user?${new URLSearchParams({ session_token: sessionToken, code: wechat.code(BOB), state: phoneState }).toString()}`,
    );
    expect(scanned.status).toBe(200);
    const polled = await json(`/api/oauth/wechat/pc/login/${sessionToken}`);
    expect(polled.body.errors[0].code).toBe('no_bind_user');
    seen.add(polled.body.errors[0].token);
    // The mini program registers, then signs in.
    const post = (attributes: Body) =>
      json('/api/oauth/wechat/miniprogram', {
        method: 'POST',
        headers: { 'content-type': MEDIA_TYPE },
        body: JSON.stringify({ data: { attributes } }),
      });
    const registered = await post({ ...wechat.miniProgramLogin(ALICE), register: 1 });
    expect(registered.status).toBe(200);
    seen.add(registered.body.data.attributes.access_token).add(registered.body.data.attributes.refresh_token);
    expect((await post(wechat.miniProgramLogin(ALICE))).status).toBe(200);
    // A code in the query of a route that does not take one is redacted too.
    await json(`/api/oauth/wechat/pc/login/${sessionToken}?code=${code}&js_code=${code}`);

    await new Promise((done) => setTimeout(done, 200));
    const log = lines.join('');
    expect(log).toContain('/api/oauth/wechat/pc/login/[redacted]');
    expect(log).toContain('session_token=[redacted]');
    for (const secret of [...wechat.secrets, ...seen]) {
      expect(log).not.toContain(secret);
    }
  });
});

/** `site set` seals the app secrets: shown by AppID only, both of a pair together, and `none` turns an app off. */
describe('jsonapi-users: site set for the WeChat apps', () => {
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(env, ...args, '--json');

  beforeEach(async () => {
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'site.sqlite')}` };
  });
  afterEach(async () => {
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });

  it('sets, shows and clears the apps, never printing a secret', async () => {
    const app = wechatApp();
    const set = await cli('site', 'set', '--offiaccount-app-id', app.appId, '--offiaccount-app-secret', app.secret);
    expect(set.error).toBeUndefined();
    expect(set.stdout).not.toContain(app.secret);
    expect(parseJsonOutput(set.stdout)).toMatchObject({ ok: true, offiaccount: { appId: app.appId }, miniprogram: null });
    const shown = await runCli(env, 'site', 'show');
    expect(shown.stdout).toContain(`wechat official account: ${app.appId} (secret set)`);
    expect(shown.stdout).not.toMatch(/v1\.|secretSealed/);
    const cleared = await cli('site', 'set', '--offiaccount-app-id', 'none');
    expect(parseJsonOutput(cleared.stdout)).toMatchObject({ offiaccount: null });
  });

  it.each([
    [['--offiaccount-app-id', 'wx0123456789abcdef'], '--offiaccount-app-id and --offiaccount-app-secret go together'],
    [['--miniprogram-app-secret', '0123456789abcdef0123456789abcdef'], '--miniprogram-app-id and --miniprogram-app-secret go together'],
    [['--offiaccount-app-id', 'none', '--offiaccount-app-secret', '0123456789abcdef0123456789abcdef'], 'go together'],
    [['--offiaccount-app-id', 'not-an-app', '--offiaccount-app-secret', '0123456789abcdef0123456789abcdef'], 'must be a WeChat AppID'],
    [['--miniprogram-app-id', 'wx0123456789abcdef', '--miniprogram-app-secret', 'short'], 'must be a WeChat AppSecret'],
  ])('refuses %j', async (args, message) => {
    const result = await cli('site', 'set', ...args);
    expect(result.error?.message).toContain(message);
    expect(result.stdout).toBe('');
  });
});
