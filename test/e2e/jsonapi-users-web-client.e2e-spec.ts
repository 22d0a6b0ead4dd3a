import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { Clock } from '../../src/clock/clock';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { User } from '../../src/users/entities/user.entity';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';

/*
 * The phone pages of the official web client, Discuz-Q-Web (github.com/Comsenz/Discuz-Q-Web, commit dd8f4f1,
 * 2021-01-14, package version 2.1.201112), replayed request by request. Each step names the client file and
 * lines the request comes from; the bodies are built the way the client builds them (its own
 * jsonapi-vuex copy or its session module) and only the answer fields the client reads are relied upon.
 */

const MEDIA_TYPE = 'application/vnd.api+json';
const MOBILE = '13800138000';
const OTHER_MOBILE = '13900139000';
const PASSWORD = 'Tulip-Garden-42';
const NEW_PASSWORD = 'Maple-River-73';

type Attributes = Record<string, unknown>;

describe('jsonapi-users: the official web client (Discuz-Q-Web) on its phone pages', () => {
  let t: TestApp;
  const clock = new FakeClock();
  /** The browser's localStorage, as the pages use it: access_token, user_id, mobileToken, username. */
  const storage = new Map<string, string>();
  const seenMessages = new Set<string>();

  const outbox = () => join(t.config.server.dataDir, 'outbox', 'sms');
  const users = () => t.dataSource.getRepository(User);

  /**
   * The client's axios instance (api/request.js:17-46): every request accepts JSON:API (:29) and carries the
   * stored access token (:31-33); a PATCH goes out as a POST with `x-http-method-override: patch` (:36-39).
   * axios 0.18 sends an object body as `application/json;charset=utf-8`, and JSON.stringify keeps nulls;
   * `jv/get` hands axios an empty object (actions.js:37-39), so its GETs carry that Content-Type too, with no body.
   */
  const send = async (method: 'get' | 'post' | 'patch', path: string, body?: unknown, jsonWithoutBody = false): Promise<Response> => {
    const request = t.http()[method === 'patch' ? 'post' : method](`/api/${path}`).set('Accept', MEDIA_TYPE);
    const token = storage.get('access_token');
    if (token !== undefined) {
      request.set('authorization', `Bearer ${token}`);
    }
    if (method === 'patch') {
      request.set('x-http-method-override', 'patch');
    }
    if (body !== undefined) {
      request.set('Content-Type', 'application/json;charset=utf-8').send(JSON.stringify(body));
    } else if (jsonWithoutBody) {
      request.set('Content-Type', 'application/json;charset=utf-8');
    }
    const response = await request;
    expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json(;|$)/);
    return response;
  };
  /**
   * `jv/post` (store/modules/jsonapi-vuex/actions.js:172-179): the type is the path (lib.js:342-357) and goes
   * along as `data.type` (lib.js:437-451).
   */
  const jvPost = (type: string, attributes: Attributes) => send('post', type, { data: { type, attributes } });
  /** `jv/patch` (actions.js:205-215): to `type/id`, with `id` and `type` in the document. */
  const jvPatch = (type: string, id: string, attributes: Attributes) => send('patch', `${type}/${id}`, { data: { id, type, attributes } });
  /** The session module's own posts (store/modules/session.js:55, :69, :84): the page's document as is, no `data.type`. */
  const sessionPost = (path: string, attributes: Attributes) => send('post', path, { data: { attributes } });
  /** Query strings as the client's `paramsSerializer` writes them (api/request.js:20-23, qs: the comma encoded). */
  const withQuery = (path: string, query?: Record<string, string>) =>
    query === undefined ? path : `${path}?${new URLSearchParams(query).toString()}`;
  /** The axios instance's own GETs (store/modules/site.js:23, store/modules/user.js:23). */
  const get = (path: string, query?: Record<string, string>) => send('get', withQuery(path, query));
  /** `jv/get` (actions.js:34-40), as the pages read a user (mixin/loginAbout.js:125, pages/my/profile.vue:647). */
  const jvGet = (path: string, query?: Record<string, string>) => send('get', withQuery(path, query), undefined, true);

  /** `site/getSiteInfo` (store/modules/site.js:23), on the first page of a visit (plugins/route.js:28-31) and after a login. */
  const forum = async () => {
    const response = await get('forum', { include: 'users' });
    expect(response.status).toBe(200);
    return response.body.data.attributes as { qcloud: Attributes; set_reg: Attributes };
  };

  /** The one SMS sent since the last look: the code the user reads on the phone. */
  const codeSentTo = (mobile: string): string => {
    const fresh = readdirSync(outbox()).filter((name) => name.endsWith('.json') && !seenMessages.has(name));
    fresh.forEach((name) => seenMessages.add(name));
    const messages = fresh.map((name) => JSON.parse(readFileSync(join(outbox(), name), 'utf8')) as Attributes);
    expect(messages).toEqual([
      {
        to: `+86${mobile}`,
        template: 'verify_code',
        params: { code: expect.stringMatching(/^\d{6}$/), minutes: 5 },
        text: expect.any(String),
      },
    ]);
    const { code } = messages[0].params as { code: string };
    expect(messages[0].text).toContain(code);
    return code;
  };

  /** The "send code" button of phone-login.vue:112-126, phone-login-register.vue:112-126 and findpwd.vue:118-125. */
  const sendCode = async (mobile: string, type: string) => {
    const response = await jvPost('sms/send', { mobile, type });
    expect(response.status).toBe(200);
    // countDown(res.interval) (phone-login.vue:123, findpwd.vue:127) reads the record jv/post stores by type and id.
    expect(response.body).toEqual({ data: { type: 'smssend', id: '1', attributes: { interval: 60 } } });
    return codeSentTo(mobile);
  };

  /** setUserInfoStore (store/modules/session.js:16-22): the user id from `data.id`, the token from its attributes. */
  const keepSession = (response: Response) => {
    expect(response.status).toBe(200);
    const { data } = response.body as { data: { type: string; id: string; attributes: Record<string, unknown> } };
    expect(data).toMatchObject({ type: 'token', id: expect.stringMatching(/^\d+$/) });
    expect(data.attributes).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
    storage.set('user_id', data.id);
    storage.set('access_token', data.attributes.access_token as string);
    return data.id;
  };

  /**
   * `logind` (mixin/loginAbout.js:102-147) after every sign-in: the site again (:123), then the user with its
   * groups (:119-127), whose answer decides where the page goes.
   */
  const afterSignIn = async (userId: string) => {
    await forum();
    const response = await jvGet(`users/${userId}`, { include: 'groups' });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ type: 'users', id: userId });
    return response.body.data.attributes as Attributes;
  };

  /** The header's logout (components/Header.vue:167-172, store/modules/session.js:95-101): the client forgets, the server is not told. */
  const logOut = () => {
    storage.delete('access_token');
    storage.delete('user_id');
  };

  /**
   * The first error object of a failure, as the pages read it (mixin/handleError.js:24-28 and each page's
   * `detail[0]`); the status is checked where the SPEC sets it, the pages themselves look only at the code.
   */
  const firstError = (response: Response, status?: number) => {
    if (status === undefined) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status).toBe(status);
    }
    const error = (response.body as { errors: Attributes[] }).errors[0];
    expect(error.detail).toEqual([expect.stringMatching(/\S/)]);
    return error;
  };
  /**
   * The answer of sms/verify `login` for a mobile no account has: the pages take `errors[0].token`
   * (phone-login.vue:156-169, phone-login-register.vue:160-171) and never show a message for it.
   */
  const mobileTokenOf = (response: Response): string => {
    expect(response.status).toBe(400);
    const error = (response.body as { errors: Attributes[] }).errors[0];
    expect(error).toMatchObject({ status: '400', code: 'no_bind_user', token: expect.stringMatching(/^.{40}$/), user: null });
    expect(error.meta).toEqual({ token: error.token });
    return error.token as string;
  };

  beforeAll(async () => {
    t = await createTestApp({}, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    rmSync(outbox(), { recursive: true, force: true });
    seenMessages.clear();
    storage.clear();
    // What `npm run cli -- site set --sms on` does.
    await t.app.get(SiteService).update({ sms: true });
  });

  it('signs in by code, registers with the mobile token, signs in by code again, resets the password and logs in with it', async () => {
    // pages/user/phone-login.vue:6: the phone tab exists only when the site says SMS is on.
    expect((await forum()).qcloud).toMatchObject({ qcloud_sms: true });

    // phone-login.vue:112-126: the code for a mobile nobody has yet.
    const firstCode = await sendCode(MOBILE, 'login');
    // phone-login.vue:137-150 -> store/modules/session.js:52-63: no invite code in the URL, so none in the body.
    const unbound = await sessionPost('sms/verify', { mobile: MOBILE, code: firstCode, type: 'login' });
    // phone-login.vue:156-169: no_bind_user; the page keeps errors[0].token and opens register-bind-phone.
    storage.set('mobileToken', mobileTokenOf(unbound));
    expect(await users().count()).toBe(0);

    // pages/user/register-bind-phone.vue:111-113 reads the token back; :197-220 -> session.js:80-93 registers with it.
    const registered = await sessionPost('register', {
      username: 'alice',
      password: PASSWORD,
      mobileToken: storage.get('mobileToken') ?? null,
    });
    // register-bind-phone.vue:223-224: success is `res.data.data.id`, then logind.
    const userId = keepSession(registered);
    const profile = await afterSignIn(userId);
    expect(profile).toMatchObject({ username: 'alice', mobile: '138****8000' });
    expect((await users().findOneByOrFail({ id: Number(userId) })).phoneNormalized).toBe(`+86${MOBILE}`);

    // The login pages send a signed-in user home (plugins/route.js:57-61): the user logs out first.
    logOut();
    // phone-login.vue: the button counts the interval down before it sends again (mixin/countDown.js:188-202).
    clock.advance(60);
    const secondCode = await sendCode(MOBILE, 'login');
    const signedIn = await sessionPost('sms/verify', { mobile: MOBILE, code: secondCode, type: 'login' });
    // phone-login.vue:153-154: the same user, now found by the mobile.
    expect(keepSession(signedIn)).toBe(userId);
    await afterSignIn(userId);
    const staleToken = storage.get('access_token');

    // pages/modify/findpwd.vue is open to a signed-in user too (plugins/route.js:6, :64), so its token goes along.
    // findpwd.vue:118-125: the reset code.
    const resetCode = await sendCode(MOBILE, 'reset_pwd');
    // findpwd.vue:147-154: the new password with the code, through jv/post.
    const reset = await jvPost('sms/verify', { mobile: MOBILE, code: resetCode, password: NEW_PASSWORD, type: 'reset_pwd' });
    expect(reset.status).toBe(200);
    // findpwd.vue:156: resetpwdsuccess.vue greets `res.username`.
    expect(reset.body.data).toMatchObject({ type: 'users', id: userId, attributes: { username: 'alice' } });
    storage.set('username', reset.body.data.attributes.username as string);

    // The reset ended every session: the next page's user lookup (plugins/route.js:46-49 -> store/modules/user.js:23)
    // gets access_denied, on which api/request.js:58-63 forgets the token and reloads.
    expect(storage.get('access_token')).toBe(staleToken);
    expect(firstError(await get(`users/${userId}`), 401).code).toBe('access_denied');
    logOut();

    // resetpwdsuccess.vue:7-17 -> pages/user/login.vue:155-164: the old password no longer works, the new one does,
    // by username and by mobile.
    expect(firstError(await sessionPost('login', { username: 'alice', password: PASSWORD }), 403).code).toBe('login_failed');
    expect(keepSession(await sessionPost('login', { username: storage.get('username'), password: NEW_PASSWORD }))).toBe(userId);
    logOut();
    expect(keepSession(await sessionPost('login', { username: MOBILE, password: NEW_PASSWORD }))).toBe(userId);
    await afterSignIn(userId);
  });

  it('phone-login-register makes the account at once, and the profile page sets its first password', async () => {
    await t.app.get(SiteService).update({ registerType: 1 });
    // mixin/loginAbout.js:51-53: register_type 1 sends the visitor to phone-login-register.
    expect((await forum()).set_reg).toMatchObject({ register_type: 1 });

    // pages/user/phone-login-register.vue:112-126, then :140-154 with `register: 1`.
    const code = await sendCode(MOBILE, 'login');
    const userId = keepSession(await sessionPost('sms/verify', { mobile: MOBILE, code, type: 'login', register: 1 }));
    await afterSignIn(userId);

    // pages/my/profile.vue:643-647: the profile asks for groups and wechat; :297-315 offers "set" (no old
    // password) when hasPassword is false.
    const profile = await jvGet(`users/${userId}`, { include: 'groups,wechat' });
    expect(profile.status).toBe(200);
    expect(profile.body.data.attributes).toMatchObject({
      mobile: '138****8000',
      hasPassword: false,
      username: expect.stringMatching(/^网友/),
    });

    // profile.vue:1003-1028 (passSub2): the old password field stays '' and is sent as such, through jv/patch.
    const set = await jvPatch('users', userId, { password: '', newPassword: PASSWORD, password_confirmation: PASSWORD });
    expect(set.status).toBe(200);
    // jsonapi-vuex/actions.js:222 merges `data.data.attributes`; profile.vue:1039 reloads the user with the same token.
    expect(set.body.data).toMatchObject({ type: 'users', id: userId, attributes: expect.any(Object) });
    expect((await jvGet(`users/${userId}`, { include: 'groups,wechat' })).body.data.attributes).toMatchObject({ hasPassword: true });

    logOut();
    expect(keepSession(await sessionPost('login', { username: MOBILE, password: PASSWORD }))).toBe(userId);
  });

  it('the profile page changes the password through POST with x-http-method-override, and the page keeps its session', async () => {
    // pages/user/register.vue's plain username account, then profile.vue:979-995 (passSub) with the old password.
    const userId = keepSession(await sessionPost('register', { username: 'bob', password: PASSWORD }));
    expect((await jvGet(`users/${userId}`, { include: 'groups,wechat' })).body.data.attributes).toMatchObject({ hasPassword: true });

    const wrongOld = await jvPatch('users', userId, {
      password: 'Not-My-Password-9',
      newPassword: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    expect(firstError(wrongOld).code).toBe('not_match_used_password');

    const changed = await jvPatch('users', userId, { password: PASSWORD, newPassword: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ type: 'users', id: userId, attributes: { username: 'bob' } });
    // profile.vue:1039: the page reloads the user with the token it already has.
    expect((await jvGet(`users/${userId}`, { include: 'groups,wechat' })).status).toBe(200);

    logOut();
    expect(keepSession(await sessionPost('login', { username: 'bob', password: NEW_PASSWORD }))).toBe(userId);
  });

  it('the profile page binds a mobile, then moves it to another after checking the old one', async () => {
    const userId = keepSession(await sessionPost('register', { username: 'carol', password: PASSWORD }));

    // pages/my/profile.vue:800-820 (setphon) and :828-838 (bindphon): bind, the captcha fields sent empty.
    const bindResponse = await jvPost('sms/send', { mobile: MOBILE, type: 'bind', captcha_ticket: '', captcha_rand_str: '' });
    expect(bindResponse.status).toBe(200);
    const bound = await jvPost('sms/verify', { mobile: MOBILE, code: codeSentTo(MOBILE), type: 'bind' });
    expect(bound.status).toBe(200);
    expect(bound.body.data).toMatchObject({ type: 'users', id: userId });
    // profile.vue:845: the page reloads the user and shows its mobile.
    expect((await jvGet(`users/${userId}`, { include: 'groups,wechat' })).body.data.attributes).toMatchObject({ mobile: '138****8000' });

    // profile.vue:864-873 (sendVerifyCode) and :917-923 (oldVerify): a code to the user's own mobile, no mobile sent.
    expect((await jvPost('sms/send', { type: 'verify', captcha_ticket: '', captcha_rand_str: '' })).status).toBe(200);
    const verified = await jvPost('sms/verify', { code: codeSentTo(MOBILE), type: 'verify' });
    expect(verified.status).toBe(200);
    // profile.vue:888-895 (sendVerifyCode2) and :938-947 (newVerify): the new mobile.
    const rebindResponse = await jvPost('sms/send', { mobile: OTHER_MOBILE, type: 'rebind', captcha_ticket: '', captcha_rand_str: '' });
    expect(rebindResponse.status).toBe(200);
    const rebound = await jvPost('sms/verify', { mobile: OTHER_MOBILE, code: codeSentTo(OTHER_MOBILE), type: 'rebind' });
    expect(rebound.status).toBe(200);
    expect((await jvGet(`users/${userId}`, { include: 'groups,wechat' })).body.data.attributes).toMatchObject({ mobile: '139****9000' });
    expect((await users().findOneByOrFail({ id: Number(userId) })).phoneNormalized).toBe(`+86${OTHER_MOBILE}`);
  });

  it('login-bind-phone binds the mobile of a no_bind_user answer to an existing account', async () => {
    const userId = keepSession(await sessionPost('register', { username: 'dave', password: PASSWORD }));
    logOut();

    // phone-login.vue:156-169, then register-bind-phone.vue:262-266 (jump2Login) to pages/user/login-bind-phone.vue.
    const code = await sendCode(MOBILE, 'login');
    storage.set('mobileToken', mobileTokenOf(await sessionPost('sms/verify', { mobile: MOBILE, code, type: 'login' })));
    // login-bind-phone.vue:83-85 reads the token, :117-127 logs in with it.
    const signedIn = await sessionPost('login', { username: 'dave', password: PASSWORD, mobileToken: storage.get('mobileToken') ?? null });
    expect(keepSession(signedIn)).toBe(userId);
    expect((await afterSignIn(userId)).mobile).toBe('138****8000');
  });

  it('shows the messages the pages print from detail[0]', async () => {
    // A second code within the minute: phone-login.vue:125 -> mixin/handleError.js:26-32.
    const code = await sendCode(MOBILE, 'login');
    const tooSoon = firstError(await jvPost('sms/send', { mobile: MOBILE, type: 'login' }), 429);
    expect(tooSoon.code).toBe('sms_interval');

    // A wrong code: phone-login.vue:180-187.
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const wrong = firstError(await sessionPost('sms/verify', { mobile: MOBILE, code: wrongCode, type: 'login' }));
    expect(wrong.code).toBe('sms_verify_error');

    // findpwd.vue:128-134 reads errors[0].detail[0] without a check: a mobile nobody has.
    expect(firstError(await jvPost('sms/send', { mobile: OTHER_MOBILE, type: 'reset_pwd' }), 422).code).toEqual(expect.any(String));
  });

  it('register-bind-phone with a used mobile token creates nothing, and without one (null) registers plainly', async () => {
    const code = await sendCode(MOBILE, 'login');
    const token = mobileTokenOf(await sessionPost('sms/verify', { mobile: MOBILE, code, type: 'login' }));
    keepSession(await sessionPost('register', { username: 'erin', password: PASSWORD, mobileToken: token }));
    logOut();

    // register-bind-phone.vue:197-220 again with the same stored token (localStorage keeps it): :245-252 shows detail[0].
    const reused = firstError(await sessionPost('register', { username: 'frank', password: PASSWORD, mobileToken: token }), 422);
    expect(reused.source).toEqual({ pointer: '/data/attributes/mobileToken' });
    expect(await users().countBy({ username: 'frank' })).toBe(0);

    // Opened directly, the page has no token: localStorage.getItem gives null (register-bind-phone.vue:112).
    const plain = await sessionPost('register', { username: 'grace', password: PASSWORD, mobileToken: null });
    const userId = keepSession(plain);
    expect((await users().findOneByOrFail({ id: Number(userId) })).phoneNormalized).toBeNull();
  });
});
