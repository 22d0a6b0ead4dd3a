import { JwtPayload, verify } from 'jsonwebtoken';
import { User } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';

/** Every key of the vendor's user object (docs/dialects/userpool.md). */
const SEED_USER_KEYS = (
  'id createdAt updatedAt userpoolId isRoot status userType code email secondaryEmail phone username nickname ' +
  'company photo browser device password loginsCount lastIp name website gender birthdate folk education zoneinfo ' +
  'locale address formatted streetAddress locality region postalCode city province country registerSource ' +
  'emailVerified phoneVerified lastLogin signedUp externalId mainDepartmentId mainDepartmentCode ' +
  'passwordSecurityLevel resetPasswordOnFirstLogin phoneCountryCode resetedPassword lastOrganizationUuid ' +
  'lastLoginApp lastLoginAppName lastLoginAppLogo resetPasswordOnNextLogin expiredAt perpetual accessToken ' +
  'refreshToken orgs token tokenExpiredAt newUser unionid openid displayName'
).split(' ');

describe('userpool dialect: POST /api/v1/register/{email,username}', () => {
  let t: TestApp;
  let tenants: TenantsService;

  const createPool = (code: string, passwordStrength = 1, enabled = true) =>
    tenants.create({ kind: USERPOOL_TENANT_KIND, code, name: code, enabled, settings: { passwordStrength } });
  const registerEmail = (body: unknown, poolId: string | null = 'demo') => {
    const call = t.http().post('/api/v1/register/email');
    return poolId === null ? call.send(body as object) : call.set('x-userpool-id', poolId).send(body as object);
  };
  const registerUsername = (body: object, poolId = 'demo') =>
    t.http().post('/api/v1/register/username').set('x-userpool-id', poolId).send(body);
  const expectError = (response: { status: number; body: unknown }, status: number, code: number) => {
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { code, success: false, msg: expect.any(String), data: {} },
    });
  };
  const userCount = () => t.dataSource.getRepository(User).count();

  beforeAll(async () => {
    t = await createTestApp();
    tenants = t.app.get(TenantsService);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    await createPool('demo');
  });

  describe('success', () => {
    it('registers by email and answers the seed user object', async () => {
      const response = await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ code: 0, success: true, msg: expect.any(String) });
      const user = response.body.data;
      expect(Object.keys(user).sort()).toEqual([...SEED_USER_KEYS].sort());
      expect(user).toMatchObject({
        id: expect.stringMatching(/^\d+$/),
        userpoolId: 'demo',
        email: 'alice@example.com',
        emailVerified: false,
        registerSource: ['basic:email'],
        loginsCount: 0,
        password: null,
        orgs: [],
        token: null,
        tokenExpiredAt: null,
      });
      expect(new Date(user.createdAt).getTime()).not.toBeNaN();
      expect(user.signedUp).toBe(user.createdAt);
      expect(JSON.stringify(response.body)).not.toMatch(/Tulip-Garden-42|\$2[aby]\$/);
    });

    it('stores profile fields and returns them', async () => {
      const profile = {
        nickname: 'Al',
        name: 'Alice Liddell',
        gender: 'F',
        birthdate: '1990-01-31',
        locale: 'en-GB',
        phone: '+441234567890',
      };
      const response = await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42', profile });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject(profile);
    });

    it('issues a token with forceLogin', async () => {
      const response = await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42', forceLogin: true });
      expect(response.status).toBe(200);
      const { token, tokenExpiredAt, id, loginsCount } = response.body.data;
      const claims = verify(token, t.config.security.jwtSecret, {
        algorithms: ['HS256'],
        issuer: 'unireg',
        audience: 'userpool:demo',
      }) as JwtPayload;
      expect(claims).toMatchObject({ sub: id, userpoolId: 'demo', aud: 'userpool:demo' });
      expect(new Date(tokenExpiredAt).getTime()).toBe(claims.exp! * 1000);
      expect(loginsCount).toBe(1);
    });

    it('registers by username', async () => {
      const response = await registerUsername({ username: 'Alice', password: 'Tulip-Garden-42' });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ username: 'Alice', email: null, registerSource: ['basic:username-password'] });
    });

    it('answers with a request id', async () => {
      const response = await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42' });
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
    });
  });

  describe('every row of the error table', () => {
    it('2224/400 when the header is missing', async () => {
      expectError(await registerEmail({ email: 'a@x.io', password: 'Tulip-Garden-42' }, null), 400, 2224);
    });

    it('2224/404 when the userpool is unknown', async () => {
      expectError(await registerEmail({ email: 'a@x.io', password: 'Tulip-Garden-42' }, 'nope'), 404, 2224);
    });

    it.each([{}, { email: '' }, { email: null }, { password: 'Tulip-Garden-42' }])('2028/400 when email is missing: %j', async (body) => {
      expectError(await registerEmail(body), 400, 2028);
    });

    it.each(['plainaddress', 'a@b', 42, ['a@x.io'], "' OR 1=1; --", 'a\u200b@x.io', `${'a'.repeat(250)}@x.io`])(
      '2003/400 when email is malformed: %j',
      async (email) => {
        expectError(await registerEmail({ email, password: 'Tulip-Garden-42' }), 400, 2003);
      },
    );

    it.each([{ email: 'a@x.io' }, { email: 'a@x.io', password: '' }, { email: 'a@x.io', password: null }])(
      '2032/400 when password is missing: %j',
      async (body) => {
        expectError(await registerEmail(body), 400, 2032);
      },
    );

    it.each([
      [0, 'x', 200],
      [1, '62941', 2029],
      [1, '629417', 200],
      [2, 'abcdef', 2029],
      [2, 'tulip42', 200],
      [3, 'tulip42', 2029],
      [3, 'abc12!', 200],
    ])('pool at strength %i, password %j -> %i', async (level, password, expected) => {
      await createPool(`level${level}`, level);
      const response = await registerEmail({ email: 'a@x.io', password }, `level${level}`);
      if (expected === 200) {
        expect(response.status).toBe(200);
      } else {
        expectError(response, 400, expected);
      }
    });

    it('2026/409 when the email is taken in the pool', async () => {
      await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42' }).expect(200);
      expectError(await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-43' }), 409, 2026);
    });

    it('2031/403 when registration is disabled', async () => {
      await createPool('closed', 1, false);
      expectError(await registerEmail({ email: 'a@x.io', password: 'Tulip-Garden-42' }, 'closed'), 403, 2031);
      expect(await userCount()).toBe(0);
    });

    describe('the order of checks (docs/dialects/userpool.md): the body is read first, then the header and the pool, then the fields', () => {
      const raw = (poolId: string | null, type: string, body: string) => {
        const call = t.http().post('/api/v1/register/email').set('content-type', type);
        return (poolId === null ? call : call.set('x-userpool-id', poolId)).send(body);
      };

      it.each([
        ['malformed JSON to a disabled pool', 'closed', 'application/json', '{"email": ', 400, 2000],
        ['malformed JSON without the header', null, 'application/json', '{"email": ', 400, 2000],
        ['a prototype key to an unknown pool', 'nope', 'application/json', '{"__proto__": {}}', 400, 2000],
        ['a form body to a disabled pool', 'closed', 'application/x-www-form-urlencoded', 'email=a%40x.io', 403, 2031],
        ['no email to a disabled pool', 'closed', 'application/json', '{"password": "Tulip-Garden-42"}', 403, 2031],
        ['no email without the header', null, 'application/json', '{"password": "Tulip-Garden-42"}', 400, 2224],
        ['a malformed email to an unknown pool', 'nope', 'application/json', '{"email": "x", "password": "Tulip-Garden-42"}', 404, 2224],
      ] as const)('%s answers %i/%i', async (_label, poolId, type, body, status, code) => {
        await createPool('closed', 1, false);
        expectError(await raw(poolId, type, body), status, code);
      });
    });

    it.each([2000, 3000])('2000/400, never a 500, for a profile nested %i levels deep', async (levels) => {
      const profile = `${'{"nickname":'.repeat(levels)}"x"${'}'.repeat(levels)}`;
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .set('content-type', 'application/json')
        .send(`{"email":"deep@example.com","password":"Tulip-Garden-42","profile":${profile}}`);
      expectError(response, 400, 2000);
    });

    it('2000/400 for malformed JSON', async () => {
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .set('content-type', 'application/json')
        .send('{"email": "a@x.io",');
      expectError(response, 400, 2000);
    });

    it.each([
      ['text/plain', 'email=a@x.io&password=Tulip-Garden-42'],
      ['application/x-www-form-urlencoded', 'email=a@x.io&password=Tulip-Garden-42'],
    ])('2000/400 for content type %s', async (type, body) => {
      const response = await t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').set('content-type', type).send(body);
      expectError(response, 400, 2000);
    });

    it.each(['[1,2]', '"text"', 'null'])('2000/400 for a JSON body that is not an object: %s', async (body) => {
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .set('content-type', 'application/json')
        .send(body);
      expectError(response, 400, 2000);
    });

    it('2000/400 for unknown fields, also inside profile', async () => {
      expectError(await registerEmail({ email: 'a@x.io', password: 'Tulip-Garden-42', admin: true }), 400, 2000);
      expectError(await registerEmail({ email: 'a@x.io', password: 'Tulip-Garden-42', profile: { isRoot: true } }), 400, 2000);
      expectError(await registerEmail({ email: 'a@x.io', password: 'Tulip-Garden-42', profile: { gender: 'X' } }), 400, 2000);
      expect(await userCount()).toBe(0);
    });

    it('2000/400 for a body that claims gzip but is not', async () => {
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .send('{"email":"a@x.io"}');
      expectError(response, 400, 2000);
    });

    it('2000/400 for a password with a lone surrogate, which bcrypt would fold into U+FFFD', async () => {
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .set('content-type', 'application/json')
        .send('{"email":"a@x.io","password":"secret\\ud800"}');
      expectError(response, 400, 2000);
      expect(await userCount()).toBe(0);
    });

    it('2000/413 for a 2 MiB body', async () => {
      const body = JSON.stringify({ email: 'a@x.io', password: 'Tulip-Garden-42', profile: { nickname: 'x'.repeat(2 * 1024 * 1024) } });
      const response = await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .set('content-type', 'application/json')
        .send(body);
      expectError(response, 413, 2000);
      expect(await userCount()).toBe(0);
    });

    it('2000/404 in the same envelope for an unknown route under the dialect', async () => {
      expectError(await t.http().post('/api/v1/register/phone').send({}), 404, 2000);
    });
  });

  describe('passwords', () => {
    it('refuses a 73-byte password rather than truncating it', async () => {
      expectError(await registerEmail({ email: 'a@x.io', password: 'a'.repeat(71) + 'é' }), 400, 2029);
      expect(await userCount()).toBe(0);
    });

    it('accepts exactly 72 bytes', async () => {
      await registerEmail({ email: 'a@x.io', password: 'é'.repeat(35) + 'ab' }).expect(200);
    });
  });

  describe('duplicates', () => {
    it.each([
      ['case', 'Alice@Example.com', 'alice@example.COM'],
      ['Unicode form (NFC vs NFD)', 'jos\u00e9@example.com', 'jose\u0301@example.com'],
    ])('treats emails differing by %s as one', async (_kind, first, second) => {
      await registerEmail({ email: first, password: 'Tulip-Garden-42' }).expect(200);
      expectError(await registerEmail({ email: second, password: 'Tulip-Garden-42' }), 409, 2026);
    });

    it('keeps josé and jose apart', async () => {
      await registerEmail({ email: 'josé@example.com', password: 'Tulip-Garden-42' }).expect(200);
      await registerEmail({ email: 'jose@example.com', password: 'Tulip-Garden-42' }).expect(200);
    });

    it.each([
      ['case', 'Alice', 'ALICE'],
      ['compatibility form (NFKC)', 'ｊｏｈｎ', 'john'],
      ['composition (NFC vs NFD)', 'jos\u00e9', 'jose\u0301'],
    ])('treats usernames differing by %s as one', async (_kind, first, second) => {
      await registerUsername({ username: first, password: 'Tulip-Garden-42' }).expect(200);
      const response = await registerUsername({ username: second, password: 'Tulip-Garden-42' });
      expectError(response, 409, 2026);
    });

    it('refuses zero-width and control characters, and white space at either end, in usernames', async () => {
      for (const username of ['al\u200bice', 'bob\u0007', ' bob', 'bob ', '   ']) {
        expectError(await registerUsername({ username, password: 'Tulip-Garden-42' }), 400, 2000);
      }
      expect(await userCount()).toBe(0);
    });

    it('allows the same email in another pool', async () => {
      await createPool('other');
      await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42' }).expect(200);
      await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42' }, 'other').expect(200);
    });

    it('lets the unique index decide when the pre-check is bypassed', async () => {
      await registerEmail({ email: 'alice@example.com', password: 'Tulip-Garden-42' }).expect(200);
      const users = t.app.get(UsersService);
      const precheck = jest.spyOn(users, 'assertAvailable').mockResolvedValue();
      try {
        expectError(await registerEmail({ email: 'ALICE@example.com', password: 'Tulip-Garden-42' }), 409, 2026);
        expectError(
          await registerUsername({ username: 'x', password: 'Tulip-Garden-42' }).then(() =>
            registerUsername({ username: 'X', password: 'Tulip-Garden-42' }),
          ),
          409,
          2026,
        );
      } finally {
        precheck.mockRestore();
      }
      expect(await userCount()).toBe(2);
    });

    it('lets exactly one of 20 concurrent registrations of one email win', async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          registerEmail({ email: i % 2 ? 'race@example.com' : 'RACE@example.com', password: 'Tulip-Garden-42' }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expectError(response, 409, 2026);
      }
      expect(await t.dataSource.getRepository(User).countBy({ emailNormalized: 'race@example.com' })).toBe(1);
    });
  });
});

describe('userpool dialect: rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
  });
  afterAll(() => t.close());

  it('2100/429 once a client exceeds RATE_LIMIT_PER_MINUTE', async () => {
    const send = () => t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').send({ email: 'not-an-email', password: 'x' });
    for (let i = 0; i < 3; i++) {
      expect((await send()).status).toBe(400);
    }
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 2100, success: false, msg: expect.any(String), data: {} });
  });
});
