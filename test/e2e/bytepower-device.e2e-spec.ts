import { sign } from 'jsonwebtoken';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { DeviceBinding } from '../../src/dialects/bytepower/device-binding.entity';
import { DeviceBindingsService } from '../../src/dialects/bytepower/device-bindings.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { User, UserStatus } from '../../src/users/entities/user.entity';
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
const PASSWORD = 'Tulip-Garden-42';
const ONE_OF = 'name_password, email_password, device, anonymity: exactly one of these is required.';

interface BytepowerUser {
  uid: string;
  name: string | null;
  email: string | null;
  create_time: number;
  is_new_user: boolean;
  cuid: string | null;
  session: { session_token: string };
}

describe('bytepower dialect: device and anonymous sign-in', () => {
  const smtp = new SmtpTestServer();
  const clock = new FakeClock();
  let t: TestApp;
  let key: IssuedAppKey;

  const admin = () => new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService));
  const users = () => t.dataSource.getRepository(User);
  const bindings = () => t.dataSource.getRepository(DeviceBinding);
  const idOf = (uid: string) => Number(uid.slice(1));

  const mint = (k: IssuedAppKey = key) =>
    sign({ key_name: k.keyName, iat: Math.floor(clock.now() / 1000) }, k.keySecret, { algorithm: 'HS256' });
  const post = (path: string, body: unknown, k?: IssuedAppKey) =>
    t
      .http()
      .post(path)
      .set('Accept', ACCEPT)
      .set('X-BytePower-Auth-Token', mint(k))
      .send(body as object);
  const login = (body: unknown, k?: IssuedAppKey) => post(LOGIN, body, k);
  const signup = (body: unknown, k?: IssuedAppKey) => post(SIGNUP, body, k);
  const me = (sessionToken: string) =>
    t.http().get(ME).set('Accept', ACCEPT).set('X-BytePower-Auth-Token', mint()).set('X-BytePower-Session-Token', sessionToken);

  /** A request that must succeed, and the user object it answers. */
  const ok = async (response: Promise<{ status: number; body: { user?: BytepowerUser } }>): Promise<BytepowerUser> => {
    const { status, body } = await response;
    expect({ status, body }).toEqual({ status: 200, body: { user: expect.any(Object) } });
    return body.user!;
  };
  const expectError = (response: { status: number; body: unknown }, status: number, errorType: string, message?: string) => {
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { error: { error_type: errorType, message: message === undefined ? expect.any(String) : expect.stringContaining(message) } },
    });
  };

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start(), REDIS_URL: '' }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    key = await admin().createApp({ name: 'Test app', id: 'app1' });
  });

  describe('device login', () => {
    it('makes a user with no name, email or password on the first login, storing the device fields', async () => {
      const device = { id: 'dev-1', login_device_id: 'dev-1', imei: 'test_imei', platform: 'android', cuid: 'c-1' };
      const user = await ok(login({ device }));
      expect(user).toEqual({
        uid: expect.stringMatching(/^u\d+$/),
        name: null,
        create_time: clock.now(),
        is_new_user: true,
        social_accounts: [],
        phone: null,
        email: null,
        cuid: 'c-1',
        session: { session_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
      });
      const stored = await users().createQueryBuilder('user').addSelect('user.passwordHash').getOneOrFail();
      expect(stored).toMatchObject({
        id: idOf(user.uid),
        username: null,
        email: null,
        passwordHash: null,
        registerSource: 'bytepower:device',
        profile: { imei: 'test_imei', platform: 'android', cuid: 'c-1', login_device_id: 'dev-1' },
      });
      expect(await bindings().find()).toEqual([expect.objectContaining({ kind: 'device', deviceId: 'dev-1', userId: stored.id })]);
    });

    it('signs the same device in again as the same user, with a new session that me accepts', async () => {
      const first = await ok(login({ device: { id: 'dev-1' } }));
      clock.advance(60);
      const again = await ok(login({ device: { id: 'dev-1', gaid: 'g' } }));
      expect(again).toMatchObject({ uid: first.uid, create_time: first.create_time, is_new_user: false });
      expect(again.session.session_token).not.toBe(first.session.session_token);
      const response = await me(again.session.session_token);
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({ uid: first.uid, name: null, email: null, is_new_user: false });
      expect(await users().count()).toBe(1);
      // A login counts, but leaves the profile as the first login stored it.
      expect(await users().findOneByOrFail({ id: idOf(first.uid) })).toMatchObject({
        loginsCount: 1,
        profile: { login_device_id: 'dev-1' },
      });
    });

    it('signs in the user who signed up with that login_device_id', async () => {
      const signedUp = await ok(signup({ name_password: { name: 'happymumu', password: PASSWORD }, login_device_id: 'dev-1' }));
      const byDevice = await ok(login({ device: { id: 'dev-1', login_device_id: 'dev-1' } }));
      expect(byDevice).toMatchObject({ uid: signedUp.uid, name: 'happymumu', is_new_user: false });
      expect(await users().count()).toBe(1);
    });

    it('keeps devices, local uids and apps apart, and compares ids exactly but in NFC', async () => {
      const other = await admin().createApp({ name: 'Other', id: 'app2' });
      const device = await ok(login({ device: { id: 'same-id' } }));
      const anonymous = await ok(login({ anonymity: { local_uid: 'same-id' } }));
      const otherApp = await ok(login({ device: { id: 'same-id' } }, other));
      const otherCase = await ok(login({ device: { id: 'SAME-ID' } }));
      expect(new Set([device.uid, anonymous.uid, otherApp.uid, otherCase.uid]).size).toBe(4);
      expect([device, anonymous, otherApp, otherCase].map((user) => user.is_new_user)).toEqual([true, true, true, true]);

      const composed = await ok(login({ device: { id: 'caf\u00e9' } }));
      const decomposed = await ok(login({ device: { id: 'cafe\u0301' } }));
      expect(decomposed).toMatchObject({ uid: composed.uid, is_new_user: false });
    });

    it('takes ids of 256 characters, and ids that look like object keys as plain text', async () => {
      for (const id of ['x'.repeat(256), '密'.repeat(256), '__proto__', 'constructor', 'a b', "'; DROP TABLE users; --"]) {
        const first = await ok(login({ device: { id } }));
        const again = await ok(login({ device: { id } }));
        expect({ id, uid: again.uid, isNew: again.is_new_user }).toEqual({ id, uid: first.uid, isNew: false });
      }
      expect(await bindings().count()).toBe(6);
    });

    it('refuses a device login of a disabled user, and lets it in again once enabled', async () => {
      const user = await ok(login({ device: { id: 'dev-1' } }));
      await t.app.get(UsersService).setStatus(idOf(user.uid), { status: UserStatus.Disabled, source: 'test' });
      expectError(await login({ device: { id: 'dev-1' } }), 403, 'forbidden');
      expectError(await me(user.session.session_token), 401, 'unauthorized');
      expect(await users().count()).toBe(1);
      await t.app.get(UsersService).setStatus(idOf(user.uid), { status: UserStatus.Active, source: 'test' });
      expect(await ok(login({ device: { id: 'dev-1' } }))).toMatchObject({ uid: user.uid, is_new_user: false });
    });

    it('is no password guess: a device signs in while its account is locked against passwords', async () => {
      const user = await ok(signup({ name_password: { name: 'alice', password: PASSWORD }, login_device_id: 'dev-1' }));
      for (let i = 0; i < 5; i++) {
        expectError(await login({ name_password: { name: 'alice', password: 'Wrong-Garden-41' } }), 400, 'invalid_credentials');
      }
      expectError(await login({ name_password: { name: 'alice', password: PASSWORD } }), 429, 'api_rate_limit');
      expect(await ok(login({ device: { id: 'dev-1' } }))).toMatchObject({ uid: user.uid, is_new_user: false });
    });
  });

  describe('anonymous login', () => {
    it('makes a user for a new local uid and signs it in again later', async () => {
      const first = await ok(login({ anonymity: { local_uid: 'install-7f3a' } }));
      expect(first).toMatchObject({ name: null, email: null, cuid: null, is_new_user: true });
      const again = await ok(login({ anonymity: { local_uid: 'install-7f3a' } }));
      expect(again).toMatchObject({ uid: first.uid, is_new_user: false });
      expect((await me(again.session.session_token)).body.user.uid).toBe(first.uid);
      expect(await users().findOneByOrFail({ id: idOf(first.uid) })).toMatchObject({ registerSource: 'bytepower:anonymity', profile: {} });
    });
  });

  describe('sign-up on a device', () => {
    it('upgrades the device user by a name sign-up: same uid and create_time, is_new_user false', async () => {
      const device = await ok(login({ device: { id: 'dev-1', imei: 'test_imei' } }));
      clock.advance(3600);
      const upgraded = await ok(
        signup({ name_password: { name: 'happymumu', password: PASSWORD }, login_device_id: 'dev-1', cuid: 'c-9', platform: 'ios' }),
      );
      expect(upgraded).toMatchObject({
        uid: device.uid,
        create_time: device.create_time,
        name: 'happymumu',
        cuid: 'c-9',
        is_new_user: false,
      });
      expect(await users().count()).toBe(1);
      expect(await users().findOneByOrFail({ id: idOf(device.uid) })).toMatchObject({
        usernameNormalized: 'happymumu',
        registerSource: 'bytepower:device',
        updatedAt: clock.now(),
        profile: { imei: 'test_imei', login_device_id: 'dev-1', cuid: 'c-9', platform: 'ios' },
      });
      // Every way in now leads to the one user, the earlier session included.
      expect((await ok(login({ name_password: { name: 'HappyMumu', password: PASSWORD } }))).uid).toBe(device.uid);
      expect((await ok(login({ device: { id: 'dev-1' } }))).uid).toBe(device.uid);
      expect((await me(device.session.session_token)).body.user).toMatchObject({ uid: device.uid, name: 'happymumu' });
    });

    it('upgrades the device user by an email sign-up, spending the verification code with it', async () => {
      await admin().updateSettings('app1', { signupVerification: true });
      const device = await ok(login({ device: { id: 'dev-1' } }));
      const sent = await post(SEND_CODE, { email: 'mou@example.com', type: 'sign_up_email' });
      expect(sent.status).toBe(200);
      const upgraded = await ok(
        signup({
          email_password: { email: 'Mou@Example.com', password: PASSWORD, verify_code: smtp.lastCode('mou@example.com') },
          login_device_id: 'dev-1',
        }),
      );
      expect(upgraded).toMatchObject({ uid: device.uid, name: null, email: 'Mou@Example.com', is_new_user: false });
      expect(await users().findOneByOrFail({ id: idOf(device.uid) })).toMatchObject({
        emailNormalized: 'mou@example.com',
        emailVerified: true,
      });
      expect((await ok(login({ email_password: { email: 'mou@example.com', password: PASSWORD } }))).uid).toBe(device.uid);
      expect(await users().count()).toBe(1);
    });

    it.each([
      ['a taken name', { name_password: { name: 'alice', password: PASSWORD } }, 400, 'user_already_exists'],
      ['a look-alike of a taken name', { name_password: { name: 'ALICE', password: PASSWORD } }, 400, 'user_already_exists'],
      ['a common password', { name_password: { name: 'bob', password: 'password1' } }, 400, 'invalid_parameter'],
      [
        'a wrong code',
        { email_password: { email: 'b@example.com', password: PASSWORD, verify_code: '000000' } },
        400,
        'invalid_verify_code',
      ],
    ])('refuses an upgrade with %s and leaves the device user as it was', async (_label, credentials, status, errorType) => {
      await admin().updateSettings('app1', { signupVerification: true });
      await ok(signup({ name_password: { name: 'alice', password: PASSWORD } }));
      const device = await ok(login({ device: { id: 'dev-1' } }));
      expectError(await signup({ ...credentials, login_device_id: 'dev-1' }), status, errorType);
      const stored = await users()
        .createQueryBuilder('user')
        .addSelect('user.passwordHash')
        .where({ id: idOf(device.uid) })
        .getOneOrFail();
      expect(stored).toMatchObject({ username: null, email: null, passwordHash: null });
      expect(await users().count()).toBe(2);
      expect((await ok(login({ device: { id: 'dev-1' } }))).uid).toBe(device.uid);
    });

    it('moves a device from a full account to the next sign-up on it', async () => {
      const first = await ok(signup({ name_password: { name: 'first', password: PASSWORD }, login_device_id: 'dev-1' }));
      const second = await ok(signup({ name_password: { name: 'second', password: PASSWORD }, login_device_id: 'dev-1' }));
      expect(second).toMatchObject({ name: 'second', is_new_user: true });
      expect(second.uid).not.toBe(first.uid);
      expect((await ok(login({ device: { id: 'dev-1' } }))).uid).toBe(second.uid);
      expect(await bindings().count()).toBe(1);
    });

    it('leaves a device with its disabled user: a sign-up on it makes a user the device does not sign in as', async () => {
      const device = await ok(login({ device: { id: 'dev-1' } }));
      await t.app.get(UsersService).setStatus(idOf(device.uid), { status: UserStatus.Disabled, source: 'test' });
      const signedUp = await ok(signup({ name_password: { name: 'alice', password: PASSWORD }, login_device_id: 'dev-1' }));
      expect(signedUp).toMatchObject({ is_new_user: true, name: 'alice' });
      expect(signedUp.uid).not.toBe(device.uid);
      expectError(await login({ device: { id: 'dev-1' } }), 403, 'forbidden');
      expect(await bindings().find()).toEqual([expect.objectContaining({ userId: idOf(device.uid) })]);
    });
  });

  describe('races', () => {
    afterEach(() => jest.restoreAllMocks());

    /**
     * Holds the first `count` look-ups of a binding until all of them have looked, so that every racer finds
     * the id unbound and the unique index alone must settle the race: without this, SQLite's one connection
     * often lets a racer finish before the next one looks. Look-ups after a lost race go straight through.
     */
    const lookUpTogether = (count: number) => {
      const devices = t.app.get(DeviceBindingsService);
      const lookUp = devices.userIdOf.bind(devices);
      let waiting = 0;
      let release = () => {};
      const allLooked = new Promise<void>((resolve) => (release = resolve));
      jest.spyOn(devices, 'userIdOf').mockImplementation(async (...args) => {
        const found = await lookUp(...args);
        if (waiting < count) {
          waiting += 1;
          if (waiting === count) {
            release();
          }
          await allLooked;
        }
        return found;
      });
    };

    it.each([
      ['device', 'as they come', { device: { id: 'race-device' } }, false],
      ['device', 'all looking before any binds', { device: { id: 'race-device' } }, true],
      ['anonymity', 'as they come', { anonymity: { local_uid: 'race-install' } }, false],
      ['anonymity', 'all looking before any binds', { anonymity: { local_uid: 'race-install' } }, true],
    ])('makes one user of 20 concurrent first %s logins (%s), all answered 200 with its uid', async (_kind, _how, body, together) => {
      if (together) {
        lookUpTogether(20);
      }
      const responses = await Promise.all(Array.from({ length: 20 }, () => login(body)));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      const uids = new Set(responses.map((response) => response.body.user.uid as string));
      expect(uids.size).toBe(1);
      expect(responses.filter((response) => response.body.user.is_new_user === true)).toHaveLength(1);
      expect(await users().count()).toBe(1);
      expect(await bindings().count()).toBe(1);
    });

    it.each([
      ['as they come', false],
      ['all looking before any binds', true],
    ])('makes one user of a sign-up on a device racing with ten first logins of it (%s)', async (_how, together) => {
      if (together) {
        lookUpTogether(11);
      }
      const responses = await Promise.all([
        ...Array.from({ length: 10 }, () => login({ device: { id: 'dev-1' } })),
        signup({ name_password: { name: 'racer', password: PASSWORD }, login_device_id: 'dev-1' }),
      ]);
      expect(responses.map((response) => response.status)).toEqual(Array(11).fill(200));
      expect(new Set(responses.map((response) => response.body.user.uid as string)).size).toBe(1);
      expect(await users().count()).toBe(1);
      expect((await users().findOneByOrFail({})).usernameNormalized).toBe('racer');
      expect(await bindings().count()).toBe(1);
    });
  });

  describe('refused requests', () => {
    const control = (id: unknown) => ({ device: { id } });
    it.each([
      ['an id of 257 characters', control('x'.repeat(257)), 'device.id'],
      ['an empty id', control(''), 'device.id'],
      ['a missing id', { device: {} }, 'device.id'],
      ['a null id', control(null), 'device.id'],
      ['a numeric id', control(42), 'device.id'],
      ['a boolean id', control(true), 'device.id'],
      ['an array id', control(['dev-1']), 'device.id'],
      ['an object id', control({ id: 'dev-1' }), 'device.id'],
      ['an id with a NUL', control('dev\u00001'), 'device.id'],
      ['an id with a tab', control('dev\t1'), 'device.id'],
      ['an id with a line feed', control('dev\n1'), 'device.id'],
      ['an id with DEL', control('dev\u007f1'), 'device.id'],
      ['an id with a zero-width space', control('dev\u200b1'), 'device.id'],
      ['an id with a right-to-left override', control('dev\u202e1'), 'device.id'],
      ['an id with a zero-width joiner', control('dev\u200d1'), 'device.id'],
      ['an id with a Hangul filler', control('dev\u31641'), 'device.id'],
      ['an id with a variation selector', control('dev\ufe0f'), 'device.id'],
      ['an id with a braille blank', control('dev\u28001'), 'device.id'],
      ['an id with a private-use character', control('dev\ue0001'), 'device.id'],
      ['an id with a lone surrogate', control('dev\ud8001'), 'device.id'],
      ['an id with a leading space', control(' dev-1'), 'device.id'],
      ['an id with a trailing no-break space', control('dev-1\u00a0'), 'device.id'],
      ['an id of spaces only', control('   '), 'device.id'],
      ['a local_uid of 257 characters', { anonymity: { local_uid: 'x'.repeat(257) } }, 'anonymity.local_uid'],
      ['a numeric local_uid', { anonymity: { local_uid: 7 } }, 'anonymity.local_uid'],
      ['a local_uid with a control character', { anonymity: { local_uid: 'a\u0007b' } }, 'anonymity.local_uid'],
      ['device as a string', { device: 'dev-1' }, 'device'],
      ['device as an array', { device: ['dev-1'] }, 'device'],
      ['device as null', { device: null }, 'device'],
      ['anonymity as a number', { anonymity: 1 }, 'anonymity'],
      ['an unknown field in device', { device: { id: 'dev-1', local_uid: 'x' } }, 'device.local_uid'],
      ['a device field in anonymity', { anonymity: { local_uid: 'x', imei: 'i' } }, 'anonymity.imei'],
      ['a numeric device field', { device: { id: 'dev-1', imei: 1 } }, 'device.imei'],
      [
        'a login_device_id other than the id',
        { device: { id: 'dev-1', login_device_id: 'dev-2' } },
        'device.login_device_id: must equal device.id.',
      ],
      ['device beside name_password', { device: { id: 'dev-1' }, name_password: { name: 'a', password: PASSWORD } }, ONE_OF],
      ['device beside anonymity', { device: { id: 'dev-1' }, anonymity: { local_uid: 'x' } }, ONE_OF],
      ['no credential object', {}, ONE_OF],
      ['device fields outside device', { imei: 'x', device: { id: 'dev-1' } }, 'imei'],
    ])('refuses %s with invalid_parameter naming it, creating nothing', async (_label, body, message) => {
      expectError(await login(body), 400, 'invalid_parameter', message);
      expect(await users().count()).toBe(0);
      expect(await bindings().count()).toBe(0);
    });

    it('refuses a __proto__ key inside device before it reaches the validation', async () => {
      const raw = '{"device": {"id": "dev-1", "__proto__": {"admin": true}}}';
      const response = await t
        .http()
        .post(LOGIN)
        .set('Accept', ACCEPT)
        .set('X-BytePower-Auth-Token', mint())
        .set('Content-Type', 'application/json')
        .send(raw);
      expectError(response, 400, 'invalid_parameter');
      expect(await users().count()).toBe(0);
    });

    it.each([
      ['a control character', 'dev\u00011'],
      ['a zero-width space', 'dev\u200b1'],
      ['surrounding spaces', ' dev-1 '],
      ['257 characters', 'd'.repeat(257)],
    ])('refuses a sign-up whose login_device_id has %s, creating nothing', async (_label, id) => {
      expectError(
        await signup({ name_password: { name: 'alice', password: PASSWORD }, login_device_id: id }),
        400,
        'invalid_parameter',
        'login_device_id',
      );
      expect(await users().count()).toBe(0);
    });

    it('documents the device and anonymity objects in the OpenAPI document', async () => {
      const { schemas } = (await t.http().get('/docs/openapi.json').expect(200)).body.components;
      expect(Object.keys(schemas.LoginRequestDto.properties).sort()).toEqual(['anonymity', 'device', 'email_password', 'name_password']);
      expect(schemas.DeviceCredentialsDto).toMatchObject({
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string', minLength: 1, maxLength: 256 }, imei: { maxLength: 256 } },
      });
      expect(schemas.AnonymityCredentialsDto).toMatchObject({
        required: ['local_uid'],
        additionalProperties: false,
        properties: { local_uid: { type: 'string', minLength: 1, maxLength: 256 } },
      });
    });
  });
});

describe('bytepower dialect: device logins under the rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('counts device logins against RATE_LIMIT_PER_MINUTE like any other request', async () => {
    const key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({
      name: 'L',
      id: 'limited',
    });
    const token = sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' });
    const attempt = () =>
      t
        .http()
        .post(LOGIN)
        .set('Accept', ACCEPT)
        .set('X-BytePower-Auth-Token', token)
        .send({ device: { id: 'dev-1' } });
    expect((await attempt()).status).toBe(200);
    expect((await attempt()).status).toBe(200);
    const limited = await attempt();
    expect({ status: limited.status, type: limited.body.error?.error_type }).toEqual({ status: 429, type: 'api_rate_limit' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
