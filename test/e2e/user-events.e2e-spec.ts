import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import {
  AccountDeletionsService,
  DELETION_DELAY_SECONDS,
  DELETION_SWEEP_INTERVAL_MS,
} from '../../src/dialects/enduser/account-deletions.service';
import { DomainSecretsService } from '../../src/dialects/enduser/domain-secrets.service';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { WechatAppsService } from '../../src/dialects/jsonapi-users/wechat/wechat-apps';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { OutboxEvent } from '../../src/events/outbox-event.entity';
import { UserEventPayload, UserEventUser } from '../../src/events/user-event';
import { MailService, OutgoingMail } from '../../src/mail/mail.service';
import { SmsCode, SmsService } from '../../src/sms/sms.service';
import { Tenant } from '../../src/users/entities/tenant.entity';
import { User } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { WechatStandIn, WechatUser } from '../utils/wechat-stand-in';

// Four dialects, the WeChat stand-in and CLI runs on one database; slow on MariaDB.
jest.setTimeout(60_000);

const PASSWORD = 'Tulip-Garden-42';
const NEW_PASSWORD = 'Maple-River-77';
const DOMAIN = 'C.DM.1.1';
const ENDUSER_API = '/v2/enduser/enduserapi';
const JSONAPI = 'application/vnd.api+json';
const BYTEPOWER = 'application/vnd.bytepower.v1+json';

type Body = Record<string, any>;

/** One expected event: its type and source, the tenant and dialect, and the fields of the user that matter. */
interface Expected {
  type: string;
  source: string;
  tenant: Pick<Tenant, 'id' | 'kind' | 'code'>;
  dialect: string;
  user: Partial<UserEventUser>;
  /** When it was made, in ISO 8601: the fake clock's now unless given (the CLI runs on the real clock). */
  timestamp?: unknown;
}

const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const wechatApp = () => ({ appId: `wx${randomBytes(8).toString('hex')}`, secret: randomBytes(16).toString('hex') });
const WENDY: WechatUser = { openid: 'oWendy_mp_0123456789abcdef', miniOpenid: 'oWendy_min_0123456789abcde', nickname: 'wendy' };

/**
 * Issue 20, deliverable 1: every change of a user, in every dialect and the CLI, writes its event to the outbox
 * in the change's transaction (SPEC §2.9), and a rolled-back change writes none. The events are read back from
 * outbox_events through the app's DataSource; each check takes the events written since the last one.
 */
describe('user events in the outbox', () => {
  const clock = new FakeClock();
  const mails: OutgoingMail[] = [];
  const texts: SmsCode[] = [];
  const wechat = new WechatStandIn(wechatApp(), wechatApp());
  /** Strings no payload may hold: the passwords, codes and tokens a test used. */
  const secrets = new Set<string>([PASSWORD, NEW_PASSWORD]);
  let env: Record<string, string>;
  let t: TestApp;

  const outbox = () => t.app.get(DataSource).getRepository(OutboxEvent);
  const users = () => t.app.get(DataSource).getRepository(User);
  const tenants = () => t.app.get(TenantsService);
  const iso = (at = clock.now()) => new Date(at).toISOString();

  /** Takes the events written since the last call and checks them against `expected`, in order. */
  const expectEvents = async (...expected: Expected[]) => {
    const rows = await outbox().find({ order: { id: 'ASC' } });
    await outbox().createQueryBuilder().delete().execute();
    const payloads = rows.map((row) => JSON.parse(row.payload) as UserEventPayload);
    expect(payloads).toEqual(
      expected.map(({ type, source, tenant, dialect, user, timestamp }) => ({
        type,
        timestamp: timestamp ?? iso(),
        data: {
          tenant: { kind: tenant.kind, id: tenant.code },
          user: { id: expect.any(Number), email: null, username: null, mobile: null, status: 'active', createdAt: iso(), ...user },
          dialect,
          source,
        },
      })),
    );
    rows.forEach((row, index) => {
      expect(row).toMatchObject({
        tenantId: expected[index].tenant.id,
        type: expected[index].type,
        createdAt: Date.parse(payloads[index].timestamp),
      });
      expect(payloads[index].timestamp).toMatch(ISO_8601);
      expect(payloads[index].data.user.createdAt).toMatch(ISO_8601);
      expect(row.messageId).toMatch(/^msg_[A-Za-z0-9_-]+$/);
      for (const secret of [...secrets, ...wechat.secrets]) {
        expect(row.payload).not.toContain(secret);
      }
      expect(row.payload).not.toMatch(/\$2[aby]\$|\$argon2/);
    });
  };
  /** The code in the last mail to `email`, kept as a secret. */
  const mailedCode = (email: string) => {
    const code = /\b(\d{6})\b/.exec(mails.filter((mail) => mail.to === email).at(-1)?.text ?? '')?.[1];
    expect(code).toBeDefined();
    secrets.add(code!);
    return code!;
  };
  /** The code in the last SMS to `to` (E.164), kept as a secret. */
  const textedCode = (to: string) => {
    const code = texts.filter((text) => text.to === to).at(-1)?.code;
    expect(code).toBeDefined();
    secrets.add(code!);
    return code!;
  };
  const keep = <T extends string>(secret: T): T => (secrets.add(secret), secret);
  const cli = async (...args: string[]) => {
    const result = await runCli(env, ...args, '--json');
    return { error: result.error?.message, output: result.error ? undefined : parseJsonOutput(result.stdout) };
  };

  beforeAll(async () => {
    const base = testEnvironment({ WECHAT_API_URL: await wechat.start(), WECHAT_OPEN_URL: wechat.url });
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'events.sqlite')}` };
    t = await createTestApp(env, (builder) =>
      builder
        .overrideProvider(Clock)
        .useValue(clock)
        .overrideProvider(DELETION_SWEEP_INTERVAL_MS)
        .useValue(2 ** 31 - 1)
        .overrideProvider(MailService)
        .useValue({ send: (mail: OutgoingMail) => (mails.push(mail), Promise.resolve()) })
        .overrideProvider(SmsService)
        .useValue({ sendCode: (text: SmsCode) => (texts.push(text), Promise.resolve()) }),
    );
  });
  afterAll(async () => {
    await t?.close();
    await wechat.stop();
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });
  beforeEach(async () => {
    await t.reset();
    mails.length = 0;
    texts.length = 0;
  });

  describe('userpool', () => {
    let pool: Tenant;
    const post = (path: string, body: object, token?: string) => {
      const request = t.http().post(`/api/v1/${path}`).set('x-userpool-id', 'demo');
      return (token ? request.set('Authorization', `Bearer ${token}`) : request).send(body);
    };
    const ok = (response: Response) => {
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 200, code: 0 });
      return response.body.data as Body;
    };
    const event = (type: string, source: string, user: Partial<UserEventUser>): Expected => ({
      type,
      source,
      tenant: pool,
      dialect: 'userpool',
      user,
    });

    beforeEach(async () => {
      pool = await tenants().create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: { passwordStrength: 1 } });
    });

    it('user.created for each registration, and user.login only where a token comes with it', async () => {
      const alice = ok(await post('register/email', { email: 'alice@example.com', password: PASSWORD }));
      await expectEvents(event('user.created', 'basic:email', { id: Number(alice.id), email: 'alice@example.com' }));
      const bob = ok(await post('register/username', { username: 'Bob', password: PASSWORD, forceLogin: true }));
      await expectEvents(
        event('user.created', 'basic:username-password', { id: Number(bob.id), username: 'Bob' }),
        event('user.login', 'login:register', { id: Number(bob.id), username: 'Bob' }),
      );
      const carol = ok(await post('register/email', { email: 'carol@example.com', password: PASSWORD, profile: { phone: '13800138000' } }));
      await expectEvents(
        event('user.created', 'basic:email', { id: Number(carol.id), email: 'carol@example.com', mobile: '+8613800138000' }),
      );
    });

    it('writes nothing for a registration that fails: a duplicate, a wrong code', async () => {
      ok(await post('register/email', { email: 'alice@example.com', password: PASSWORD }));
      await expectEvents(event('user.created', 'basic:email', { email: 'alice@example.com' }));
      expect((await post('register/email', { email: 'ALICE@example.com', password: PASSWORD })).body.code).not.toBe(0);
      ok(await post('email/send', { email: 'dave@example.com', scene: 'REGISTER_VERIFY_CODE' }));
      const code = mailedCode('dave@example.com');
      const wrong = code === '000000' ? '111111' : '000000';
      expect((await post('register/email-code', { email: 'dave@example.com', code: wrong, password: PASSWORD })).body.code).not.toBe(0);
      await expectEvents();
      ok(await post('register/email-code', { email: 'dave@example.com', code, password: PASSWORD }));
      await expectEvents(event('user.created', 'basic:email-code', { email: 'dave@example.com' }));
    });

    it('user.login for password and code sign-ins, user.updated for a password change and reset; nothing for a wrong password', async () => {
      const alice = ok(await post('register/email', { email: 'alice@example.com', password: PASSWORD }));
      const user = { id: Number(alice.id), email: 'alice@example.com' };
      await expectEvents(event('user.created', 'basic:email', user));
      expect((await post('login/account', { account: 'alice@example.com', password: 'Wrong-Garden-42' })).body.code).toBe(2333);
      await expectEvents();
      const { token } = ok(await post('login/account', { account: 'alice@example.com', password: PASSWORD }));
      keep(token as string);
      await expectEvents(event('user.login', 'login:password', user));
      ok(await post('email/send', { email: 'alice@example.com', scene: 'LOGIN_VERIFY_CODE' }));
      ok(await post('login/email-code', { email: 'alice@example.com', code: mailedCode('alice@example.com') }));
      await expectEvents(event('user.login', 'login:email-code', user));
      ok(await post('password/update', { oldPassword: PASSWORD, newPassword: NEW_PASSWORD }, token as string));
      await expectEvents(event('user.updated', 'password.change', user));
      ok(await post('email/send', { email: 'alice@example.com', scene: 'RESET_PASSWORD_VERIFY_CODE' }));
      ok(await post('password/reset/email', { email: 'alice@example.com', code: mailedCode('alice@example.com'), newPassword: PASSWORD }));
      await expectEvents(event('user.updated', 'password.reset', user));
    });
  });

  describe('enduser', () => {
    let domain: Tenant;
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    const expectCode = (response: Response, code: number) =>
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 200, code });
    const event = (type: string, source: string, user: Partial<UserEventUser>): Expected => ({
      type,
      source,
      tenant: domain,
      dialect: 'enduser',
      user,
    });
    const register = async (email: string, code?: string) => {
      if (code === undefined) {
        expectCode(await t.http().post('/v2/mail/enduserapi/v2/sendEmail').query({ email, userDomain: DOMAIN, emailType: 1 }), 200);
      }
      return t
        .http()
        .post(`${ENDUSER_API}/emailPwdRegister`)
        .query({ email, pwd: PASSWORD, userDomain: DOMAIN, code: code ?? mailedCode(email) });
    };
    const signIn = async (email: string) => {
      const secret = (await t.app.get(DomainSecretsService).secretOf(domain))!;
      const response = await t
        .http()
        .post(`${ENDUSER_API}/emailPwdLogin`)
        .query({ email, pwd: PASSWORD, userDomain: DOMAIN, signature: sha256(`${email}${PASSWORD}${secret}`) });
      expectCode(response, 200);
      return keep(response.body.data.accessToken.token as string);
    };

    beforeEach(async () => {
      domain = await tenants().create({ kind: ENDUSER_TENANT_KIND, code: DOMAIN, name: DOMAIN, settings: {} });
    });

    it('user.created on registration (none with a wrong code), user.login, user.updated for the profile and the password', async () => {
      expectCode(
        await t.http().post('/v2/mail/enduserapi/v2/sendEmail').query({ email: 'erin@example.com', userDomain: DOMAIN, emailType: 1 }),
        200,
      );
      const code = mailedCode('erin@example.com');
      expect((await register('erin@example.com', code === '000000' ? '111111' : '000000')).body.code).not.toBe(200);
      await expectEvents();
      expectCode(await register('erin@example.com', code), 200);
      const user = { id: (await users().findOneByOrFail({ emailNormalized: 'erin@example.com' })).id, email: 'erin@example.com' };
      await expectEvents(event('user.created', 'enduser:email', user));
      const token = await signIn('erin@example.com');
      await expectEvents(event('user.login', 'login:password', user));
      expectCode(await t.http().put(`${ENDUSER_API}/setUserInfo`).set('Authorization', token).query({ nikeName: 'Erin' }), 200);
      await expectEvents(event('user.updated', 'profile', user));
      expectCode(
        await t.http().put(`${ENDUSER_API}/setUserPwd`).set('Authorization', token).query({ oldPwd: PASSWORD, newPwd: NEW_PASSWORD }),
        200,
      );
      await expectEvents(event('user.updated', 'password.change', user));
    });

    it('user.deleted with the user as it was, for a deletion now and for one the sweep makes when due', async () => {
      expectCode(await register('now@example.com'), 200);
      expectCode(await register('later@example.com'), 200);
      const now = await users().findOneByOrFail({ emailNormalized: 'now@example.com' });
      const later = await users().findOneByOrFail({ emailNormalized: 'later@example.com' });
      await expectEvents(
        event('user.created', 'enduser:email', { id: now.id, email: 'now@example.com' }),
        event('user.created', 'enduser:email', { id: later.id, email: 'later@example.com' }),
      );
      const tokens = [await signIn('now@example.com'), await signIn('later@example.com')];
      await expectEvents(
        event('user.login', 'login:password', { id: now.id, email: 'now@example.com' }),
        event('user.login', 'login:password', { id: later.id, email: 'later@example.com' }),
      );
      expectCode(await t.http().delete(`${ENDUSER_API}/userDelete`).set('Authorization', tokens[0]).query({ type: 1 }), 200);
      await expectEvents(event('user.deleted', 'account-deletion', { id: now.id, email: 'now@example.com' }));
      expectCode(await t.http().delete(`${ENDUSER_API}/userDelete`).set('Authorization', tokens[1]).query({ type: 2 }), 200);
      await expectEvents();
      const createdAt = iso();
      clock.advance(DELETION_DELAY_SECONDS);
      await expect(t.app.get(AccountDeletionsService).sweep()).resolves.toBe(1);
      await expectEvents(event('user.deleted', 'account-deletion', { id: later.id, email: 'later@example.com', createdAt }));
      expect(await users().countBy({ tenantId: domain.id })).toBe(0);
    });
  });

  describe('jsonapi-users', () => {
    let site: Tenant;
    const post = async (path: string, attributes: Body, token?: string) => {
      const request = t.http().post(path).set('Content-Type', 'application/json;charset=utf-8').set('Accept', JSONAPI);
      return (token ? request.set('Authorization', `Bearer ${token}`) : request).send(JSON.stringify({ data: { attributes } }));
    };
    const session = (response: Response) => {
      expect(response.status).toBe(200);
      const { id, attributes } = response.body.data;
      return { id: Number(id), access: keep(attributes.access_token as string), refresh: keep(attributes.refresh_token as string) };
    };
    const event = (type: string, source: string, user: Partial<UserEventUser>): Expected => ({
      type,
      source,
      tenant: site,
      dialect: 'jsonapi-users',
      user,
    });
    const smsCode = async (mobile: string, type: string, token?: string) => {
      expect((await post('/api/sms/send', type === 'verify' ? { type } : { mobile, type }, token)).status).toBe(200);
      return textedCode(`+86${mobile}`);
    };

    beforeEach(async () => {
      await t.app.get(SiteService).update({ sms: true });
      site = (await t.app.get(SiteService).current()).site;
    });

    it('user.created and user.login on registration, user.login at sign-in, user.updated for a password change; nothing for a refused registration', async () => {
      const alice = session(await post('/api/register', { username: 'alice', password: PASSWORD }));
      await expectEvents(
        event('user.created', 'jsonapi-users:username', { id: alice.id, username: 'alice' }),
        event('user.login', 'login:register', { id: alice.id, username: 'alice' }),
      );
      expect((await post('/api/register', { username: 'ALICE', password: PASSWORD })).status).toBe(422);
      expect((await post('/api/register', { username: 'bob', password: PASSWORD, mobileToken: 'x'.repeat(40) })).status).toBe(422);
      await expectEvents();
      const signedIn = session(await post('/api/login', { username: 'alice', password: PASSWORD }));
      await expectEvents(event('user.login', 'login:password', { id: alice.id, username: 'alice' }));
      const changed = await t
        .http()
        .patch(`/api/users/${alice.id}`)
        .set('Content-Type', 'application/json;charset=utf-8')
        .set('Authorization', `Bearer ${signedIn.access}`)
        .send(
          JSON.stringify({
            data: {
              type: 'users',
              id: String(alice.id),
              attributes: { password: PASSWORD, newPassword: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
            },
          }),
        );
      expect(changed.status).toBe(200);
      await expectEvents(event('user.updated', 'password.change', { id: alice.id, username: 'alice' }));
    });

    it('SMS: user.created by mobile, user.login by code, user.updated for a mobile bound or rebound and a password reset', async () => {
      const phone = session(
        await post('/api/sms/verify', { mobile: '13800138000', code: await smsCode('13800138000', 'login'), type: 'login', register: 1 }),
      );
      const phoneUser = (await users().findOneByOrFail({ id: phone.id })).username;
      await expectEvents(
        event('user.created', 'jsonapi-users:mobile', { id: phone.id, username: phoneUser, mobile: '+8613800138000' }),
        event('user.login', 'login:register', { id: phone.id, username: phoneUser, mobile: '+8613800138000' }),
      );
      const createdAt = iso();
      // One code per mobile and type a minute.
      clock.advance(60);
      session(await post('/api/sms/verify', { mobile: '13800138000', code: await smsCode('13800138000', 'login'), type: 'login' }));
      await expectEvents(event('user.login', 'login:sms', { id: phone.id, username: phoneUser, mobile: '+8613800138000', createdAt }));

      const carol = session(await post('/api/register', { username: 'carol', password: PASSWORD }));
      await expectEvents(
        event('user.created', 'jsonapi-users:username', { username: 'carol' }),
        event('user.login', 'login:register', { username: 'carol' }),
      );
      const bound = await post(
        '/api/sms/verify',
        { mobile: '13900139000', code: await smsCode('13900139000', 'bind', carol.access), type: 'bind' },
        carol.access,
      );
      expect(bound.status).toBe(200);
      await expectEvents(event('user.updated', 'mobile.bind', { id: carol.id, username: 'carol', mobile: '+8613900139000' }));
      expect(
        (
          await post(
            '/api/sms/verify',
            { mobile: '13900139000', code: await smsCode('13900139000', 'verify', carol.access), type: 'verify' },
            carol.access,
          )
        ).status,
      ).toBe(200);
      const rebound = await post(
        '/api/sms/verify',
        { mobile: '13700137000', code: await smsCode('13700137000', 'rebind', carol.access), type: 'rebind' },
        carol.access,
      );
      expect(rebound.status).toBe(200);
      await expectEvents(event('user.updated', 'mobile.rebind', { id: carol.id, username: 'carol', mobile: '+8613700137000' }));
      const reset = await post('/api/sms/verify', {
        mobile: '13700137000',
        code: await smsCode('13700137000', 'reset_pwd'),
        type: 'reset_pwd',
        password: NEW_PASSWORD,
      });
      expect(reset.status).toBe(200);
      await expectEvents(event('user.updated', 'password.reset', { id: carol.id, username: 'carol', mobile: '+8613700137000' }));
    });

    it('a sign-in with a mobile token binds the mobile: user.login, then user.updated', async () => {
      const dora = session(await post('/api/register', { username: 'dora', password: PASSWORD }));
      await expectEvents(
        event('user.created', 'jsonapi-users:username', { username: 'dora' }),
        event('user.login', 'login:register', { username: 'dora' }),
      );
      const noBind = await post('/api/sms/verify', { mobile: '13800138000', code: await smsCode('13800138000', 'login'), type: 'login' });
      expect(noBind.status).toBe(400);
      const mobileToken = keep(noBind.body.errors[0].token as string);
      session(await post('/api/login', { username: 'dora', password: PASSWORD, mobileToken }));
      await expectEvents(
        event('user.login', 'login:password', { id: dora.id, username: 'dora' }),
        event('user.updated', 'mobile.bind', { id: dora.id, username: 'dora', mobile: '+8613800138000' }),
      );
    });

    it('WeChat: user.created by the mini program, user.login by WeChat, user.updated for a binding won and for one lost', async () => {
      const apps = t.app.get(WechatAppsService);
      await t.app.get(SiteService).update({ miniprogram: apps.seal('miniprogram', wechat.miniprogram.appId, wechat.miniprogram.secret) });
      const created = session(await post('/api/oauth/wechat/miniprogram', { ...wechat.miniProgramLogin(WENDY), register: 1 }));
      await expectEvents(
        event('user.created', 'jsonapi-users:wechat-miniprogram', { id: created.id, username: 'wendy' }),
        event('user.login', 'login:register', { id: created.id, username: 'wendy' }),
      );
      session(await post('/api/oauth/wechat/miniprogram', wechat.miniProgramLogin(WENDY)));
      await expectEvents(event('user.login', 'login:wechat', { id: created.id, username: 'wendy' }));

      const erin = session(await post('/api/register', { username: 'erin', password: PASSWORD }));
      await expectEvents(
        event('user.created', 'jsonapi-users:username', { username: 'erin' }),
        event('user.login', 'login:register', { username: 'erin' }),
      );
      // The password proved erin and the sign-in counted before the binding was refused, in a transaction of its own.
      expect((await post('/api/login', { username: 'erin', password: PASSWORD, ...wechat.miniProgramLogin(WENDY) })).status).not.toBe(200);
      await expectEvents(event('user.login', 'login:password', { id: erin.id, username: 'erin' }));
      session(await post('/api/login', { username: 'erin', password: PASSWORD, ...wechat.miniProgramLogin(WENDY), rebind: 1 }));
      await expectEvents(
        event('user.login', 'login:password', { id: erin.id, username: 'erin' }),
        event('user.updated', 'wechat.unbind', { id: created.id, username: 'wendy' }),
        event('user.updated', 'wechat.bind', { id: erin.id, username: 'erin' }),
      );
      // Bound to erin already: nothing changes but the sign-in count.
      session(await post('/api/login', { username: 'erin', password: PASSWORD, ...wechat.miniProgramLogin(WENDY) }));
      await expectEvents(event('user.login', 'login:password', { id: erin.id, username: 'erin' }));
    });

    it('review mode and the CLI: user.created pending, user.approved and user.rejected, user.updated to disable and enable; nothing for a refused command', async () => {
      await t.app.get(SiteService).update({ registerMode: 'review' });
      for (const username of ['pat', 'rex']) {
        expect((await post('/api/register', { username, password: PASSWORD, register_reason: 'hello' })).status).toBe(401);
      }
      const pat = (await users().findOneByOrFail({ usernameNormalized: 'pat' })).id;
      const rex = (await users().findOneByOrFail({ usernameNormalized: 'rex' })).id;
      await expectEvents(
        event('user.created', 'jsonapi-users:username', { id: pat, username: 'pat', status: 'pending_review' }),
        event('user.created', 'jsonapi-users:username', { id: rex, username: 'rex', status: 'pending_review' }),
      );
      expect(await cli('users', 'approve', String(pat))).toEqual({
        error: undefined,
        output: { ok: true, id: String(pat), status: 'active' },
      });
      await expectEvents({ ...event('user.approved', 'cli', { id: pat, username: 'pat' }), timestamp: expect.stringMatching(ISO_8601) });
      expect((await cli('users', 'reject', String(rex))).output).toMatchObject({ status: 'rejected' });
      await expectEvents({
        ...event('user.rejected', 'cli', { id: rex, username: 'rex', status: 'rejected' }),
        timestamp: expect.stringMatching(ISO_8601),
      });
      expect((await cli('users', 'approve', String(rex))).error).toBe(`user ${rex} is rejected, not waiting for review: nothing changed`);
      expect((await cli('users', 'enable', String(pat))).error).toMatch(/not disabled: nothing changed$/);
      await expectEvents();
      expect((await cli('users', 'disable', String(pat))).output).toMatchObject({ status: 'disabled' });
      await expectEvents({
        ...event('user.updated', 'cli', { id: pat, username: 'pat', status: 'disabled' }),
        timestamp: expect.stringMatching(ISO_8601),
      });
      expect((await cli('users', 'enable', String(pat))).output).toMatchObject({ status: 'active' });
      await expectEvents({
        ...event('user.updated', 'cli', { id: pat, username: 'pat', status: 'active' }),
        timestamp: expect.stringMatching(ISO_8601),
      });
    });
  });

  describe('bytepower', () => {
    let key: IssuedAppKey;
    let app: Tenant;
    const post = (path: string, body: object) =>
      t
        .http()
        .post(`/bp/server/user/${path}`)
        .set('Accept', BYTEPOWER)
        .set(
          'X-BytePower-Auth-Token',
          sign({ key_name: key.keyName, iat: Math.floor(clock.now() / 1000) }, key.keySecret, { algorithm: 'HS256' }),
        )
        .send(body);
    const ok = async (response: Promise<Response>) => {
      const { status, body } = await response;
      expect(status).toBe(200);
      keep(body.user.session?.session_token as string);
      return { ...(body.user as Body), id: Number((body.user.uid as string).slice(1)) };
    };
    const event = (type: string, source: string, user: Partial<UserEventUser>): Expected => ({
      type,
      source,
      tenant: app,
      dialect: 'bytepower',
      user,
    });

    beforeEach(async () => {
      key = await new BytepowerAdminService(tenants(), t.app.get(ServerKeysService)).createApp({ name: 'Test app', id: 'app1' });
      keep(key.keySecret);
      app = (await tenants().resolve('bytepower-app:app1'))!;
    });

    it('user.created on sign-up and device login, user.login by password and device; nothing for a wrong password', async () => {
      const bob = await ok(post('signup', { name_password: { name: 'bob', password: PASSWORD } }));
      await expectEvents(event('user.created', 'bytepower:name_password', { id: bob.id, username: 'bob' }));
      expect((await post('login', { name_password: { name: 'bob', password: 'Wrong-Garden-42' } })).status).not.toBe(200);
      await expectEvents();
      await ok(post('login', { name_password: { name: 'bob', password: PASSWORD } }));
      await expectEvents(event('user.login', 'login:password', { id: bob.id, username: 'bob' }));
      const device = await ok(post('login', { device: { id: 'dev-1' } }));
      await expectEvents(event('user.created', 'bytepower:device', { id: device.id }));
      await ok(post('login', { device: { id: 'dev-1' } }));
      const anonymous = await ok(post('login', { anonymity: { local_uid: 'local-1' } }));
      await ok(post('login', { anonymity: { local_uid: 'local-1' } }));
      await expectEvents(
        event('user.login', 'login:device', { id: device.id }),
        event('user.created', 'bytepower:anonymity', { id: anonymous.id }),
        event('user.login', 'login:anonymity', { id: anonymous.id }),
      );
    });

    it('a sign-up on a device user completes it (user.updated), and one on a full account moves the device (user.updated for the loser)', async () => {
      const device = await ok(post('login', { device: { id: 'dev-2' } }));
      await expectEvents(event('user.created', 'bytepower:device', { id: device.id }));
      const completed = await ok(
        post('signup', { email_password: { email: 'dev@example.com', password: PASSWORD }, login_device_id: 'dev-2' }),
      );
      expect(completed.id).toBe(device.id);
      await expectEvents(event('user.updated', 'identity', { id: device.id, email: 'dev@example.com' }));
      const next = await ok(post('signup', { name_password: { name: 'nina', password: PASSWORD }, login_device_id: 'dev-2' }));
      await expectEvents(
        event('user.updated', 'device.unbind', { id: device.id, email: 'dev@example.com' }),
        event('user.created', 'bytepower:name_password', { id: next.id, username: 'nina' }),
      );
    });

    it('user.updated for a password reset', async () => {
      const user = await ok(post('signup', { email_password: { email: 'reset@example.com', password: PASSWORD } }));
      await expectEvents(event('user.created', 'bytepower:email_password', { id: user.id, email: 'reset@example.com' }));
      expect((await post('send_email_verify_code', { email: 'reset@example.com', type: 'reset_password_email' })).status).toBe(200);
      const reset = await post('reset_password', {
        email: 'reset@example.com',
        verify_code: mailedCode('reset@example.com'),
        password: NEW_PASSWORD,
      });
      expect(reset.status).toBe(200);
      await expectEvents(event('user.updated', 'password.reset', { id: user.id, email: 'reset@example.com' }));
    });
  });
});
