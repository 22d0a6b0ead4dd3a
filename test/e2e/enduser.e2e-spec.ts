import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Clock } from '../../src/clock/clock';
import { encryptPwd } from '../../src/dialects/enduser/pwd-cipher';
import { User } from '../../src/users/entities/user.entity';
import { VerificationCode } from '../../src/users/entities/verification-code.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, makeDataDir, removeDataDir, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { SmtpTestServer } from '../utils/smtp-test-server';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';

const DOMAIN = 'C.DM.1.1';
const REGISTER = '/v2/enduser/enduserapi/emailPwdRegister';
const REGISTER_V2 = '/v2/enduser/enduserapi/v2/emailPwdRegister';
const SEND = '/v2/mail/enduserapi/v2/sendEmail';
const SEND_LEGACY = '/v2/enduser/enduserapi/sendEmailRegisterCode';

type Params = Record<string, string | number>;

describe('enduser dialect', () => {
  const smtp = new SmtpTestServer();
  const clock = new FakeClock();
  let t: TestApp;

  const expectCode = (response: { status: number; body: unknown }, code: number) => {
    expect({ status: response.status, code: (response.body as { code: number }).code }).toEqual({ status: 200, code });
    expect(Object.keys(response.body as object).sort()).toEqual(['code', 'data', 'extMsg', 'msg']);
    expect(response.body).toMatchObject({ msg: expect.any(String), extMsg: expect.any(String), ...(code === 200 ? {} : { data: null }) });
  };
  const send = (email: string, userDomain = DOMAIN, path = SEND) =>
    t
      .http()
      .post(path)
      .query({ email, userDomain, ...(path === SEND ? { emailType: 1 } : {}) });
  const codeFor = async (email: string, userDomain = DOMAIN) => {
    expectCode(await send(email, userDomain), 200);
    return smtp.lastCode(email);
  };
  const register = (params: Params, path = REGISTER) => t.http().post(path).query(params);
  const registration = async (email: string, extra: Params = {}): Promise<Params> => ({
    email,
    pwd: 'china1234',
    userDomain: DOMAIN,
    code: await codeFor(email),
    ...extra,
  });
  const domains = () => t.app.get(TenantsService);
  const users = () => t.dataSource.getRepository(User);
  const codes = () => t.dataSource.getRepository(VerificationCode);

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    smtp.refuse = false;
    await domains().create({ kind: ENDUSER_TENANT_KIND, code: DOMAIN, name: DOMAIN, settings: {} });
  });

  describe('registration', () => {
    it.each([REGISTER, REGISTER_V2])('registers through %s with query parameters and answers the user id', async (path) => {
      const response = await register(await registration('alice@example.com'), path);
      expectCode(response, 200);
      expect(response.body.data).toMatch(/^C\d+$/);
      const user = await users().findOneByOrFail({ id: Number(response.body.data.slice(1)) });
      expect(user).toMatchObject({ email: 'alice@example.com', emailVerified: true, registerSource: 'enduser:email' });
    });

    it('decrypts an AES pwd (seed vector) and stores the hash of the plaintext', async () => {
      const params = await registration('aes@example.com', { pwd: 'lkZMvj0KDSJXlp66jBieHA==', random: 'j1acpdj2bmtqZXVb' });
      expectCode(await register(params), 200);
      const user = await users()
        .createQueryBuilder('u')
        .addSelect('u.passwordHash')
        .where('u.email = :e', { e: 'aes@example.com' })
        .getOneOrFail();
      const bcrypt = await import('bcrypt');
      expect(await bcrypt.compare('china1234', user.passwordHash!)).toBe(true);
    });

    it('accepts the parameters as a form body', async () => {
      const params = await registration('form@example.com');
      const response = await t
        .http()
        .post(REGISTER)
        .type('form')
        .send(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
      expectCode(response, 200);
    });

    it('accepts the parameters as a JSON body, numbers included', async () => {
      const params = await registration('json@example.com', { lang: 37, timezone: 0 });
      expectCode(await t.http().post(REGISTER).send(params), 200);
    });

    it('stores language, nationality, time zone and MCC ids from the served tables', async () => {
      const languages = (await t.http().get('/v2/enduser/enduserapi/getLanguageList').expect(200)).body;
      const countries = (await t.http().get('/v2/enduser/enduserapi/getNationalityList').expect(200)).body;
      const zones = (await t.http().get('/v2/enduser/enduserapi/getTimezoneList').expect(200)).body;
      expectCode({ status: 200, body: languages }, 200);
      const lang = languages.data.find((l: { code: string }) => l.code === 'de').id;
      const nationality = countries.data.find((c: { code: string }) => c.code === 'DE').id;
      const zone = zones.data.find((z: { zone: string }) => z.zone === 'Europe/Berlin');
      expect(zone.offset).toMatch(/^\+0[12]:00$/);
      const response = await register(await registration('de@example.com', { lang, nationality, timezone: zone.id, mcc: 262 }));
      expectCode(response, 200);
      const user = await users().findOneByOrFail({ email: 'de@example.com' });
      expect(user.profile).toEqual({ lang, nationality, timezone: zone.id, mcc: 262 });
    });

    it('names list entries in Chinese with Accept-Language: zh', async () => {
      const countries = await t.http().get('/v2/enduser/enduserapi/getNationalityList').set('Accept-Language', 'zh-CN');
      expect(countries.body.data.find((c: { code: string }) => c.code === 'CN').name).toBe('中国');
    });
  });

  describe('every code of the table', () => {
    const valid: Params = { email: 'bob@example.com', pwd: 'china1234', userDomain: DOMAIN, code: '123456' };
    const without = (name: string, extra: Params = {}) =>
      Object.fromEntries(Object.entries({ ...valid, ...extra }).filter(([k]) => k !== name));

    it.each([
      ['pwd', 5022],
      ['userDomain', 5023],
      ['email', 5026],
      ['code', 5064],
    ])('a missing %s is %i', async (name, code) => {
      expectCode(await register(without(name)), code);
      expectCode(await register({ ...valid, [name]: '' }), code);
    });

    it('reports required parameters in the seed table order', async () => {
      expectCode(await register({}), 5022);
      expectCode(await register({ pwd: 'china1234' }), 5023);
      expectCode(await register({ pwd: 'china1234', userDomain: DOMAIN }), 5026);
    });

    it.each(['C.DM.1', 'c.dm.1.1', 'X', 'C.DM.1.1; DROP TABLE users'])('5013 for the user domain %j', async (userDomain) => {
      expectCode(await register({ ...valid, userDomain }), 5013);
    });

    it.each(['plain', 'a@b', 'a@x.io\u0000', "' OR '1'='1"])('5040 for the email %j', async (email) => {
      expectCode(await register({ ...valid, email }), 5040);
    });

    it.each(['12345', 'x'.repeat(21), 'has space1', '密码密码密码'])('5056 for the password %j', async (pwd) => {
      expectCode(await register({ ...valid, pwd }), 5056);
    });

    it('5056 when a decrypted password breaks the rule', async () => {
      expectCode(await register({ ...valid, pwd: encryptPwd('short', 'r4nd0m'), random: 'r4nd0m' }), 5056);
    });

    it.each([
      ['not base64!', 'j1acpdj2bmtqZXVb'],
      ['lkZMvj0KDSJXlp66jBieHA==', 'another-random'],
      ['AAAA', 'j1acpdj2bmtqZXVb'],
    ])('5353 when pwd %j cannot be decrypted with random %j', async (pwd, random) => {
      expectCode(await register({ ...valid, pwd, random }), 5353);
    });

    it.each([
      ['timezone', 5171],
      ['nationality', 5172],
      ['lang', 5173],
    ])('%s: non-integer or unknown ids fail with %i, 0 means unset', async (name, code) => {
      expectCode(await register({ ...valid, [name]: 'abc' }), code);
      expectCode(await register({ ...valid, [name]: '-1' }), code);
      expectCode(await register({ ...valid, [name]: 999999 }), code);
      expectCode(await register({ ...valid, [name]: 0 }), 5046);
    });

    it('6085 for an MCC that maps to no country', async () => {
      expectCode(await register({ ...valid, mcc: 999 }), 6085);
      expectCode(await register({ ...valid, mcc: 'abc' }), 6085);
    });

    it('5015 for an unknown user domain, 5104 for a disabled one', async () => {
      expectCode(await register({ ...valid, userDomain: 'C.DM.9.9' }), 5015);
      await domains().setEnabled(ENDUSER_TENANT_KIND, DOMAIN, false);
      expectCode(await register(valid), 5104);
    });

    it('5039 for an email already registered in the domain, by case and Unicode form too', async () => {
      expectCode(await register(await registration('carol@example.com')), 200);
      expectCode(await register({ ...valid, email: 'CAROL@example.com' }), 5039);
      expectCode(await register(await registration('jos\u00e9@example.com')), 200);
      expectCode(await register({ ...valid, email: 'jose\u0301@example.com' }), 5039);
      expectCode(await send('JOSE\u0301@example.com'), 5039);
    });

    it('5046 for a wrong code', async () => {
      await codeFor('dave@example.com');
      expectCode(
        await register({ ...valid, email: 'dave@example.com', code: '000000' === smtp.lastCode('dave@example.com') ? '111111' : '000000' }),
        5046,
      );
    });

    it('checks formats before existence and existence before the code', async () => {
      expectCode(await register({ ...valid, userDomain: 'bad', email: 'bad' }), 5013);
      expectCode(await register({ ...valid, userDomain: 'C.DM.9.9', email: 'bad' }), 5040);
      expectCode(await register({ ...valid, userDomain: 'C.DM.9.9', lang: 'x' }), 5173);
      expectCode(await register(await registration('erin@example.com')), 200);
      expectCode(await register({ ...valid, email: 'erin@example.com', code: 'wrong!' }), 5039);
    });

    it('answers in Chinese with Accept-Language: zh', async () => {
      const response = await register(without('email')).set('Accept-Language', 'zh');
      expect(response.body).toMatchObject({ code: 5026, msg: '请输入邮箱' });
      expect((await register(without('email'))).body.msg).toBe('Please enter email');
    });

    it('leaves nothing behind when a registration fails', async () => {
      await register({ ...valid, pwd: 'x' });
      await register({ ...valid, mcc: 999 });
      expect(await users().count()).toBe(0);
    });
  });

  describe('verification codes', () => {
    it('mails a code for the legacy endpoint too', async () => {
      expectCode(await send('frank@example.com', DOMAIN, SEND_LEGACY), 200);
      expectCode(
        await register({ email: 'frank@example.com', pwd: 'china1234', userDomain: DOMAIN, code: smtp.lastCode('frank@example.com') }),
        200,
      );
    });

    it('stores only a hash of the code', async () => {
      const code = await codeFor('hash@example.com');
      const row = await codes().findOneByOrFail({ recipient: 'hash@example.com' });
      expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.codeHash).not.toContain(code);
    });

    it('takes a code until CODE_TTL_SECONDS have passed, and refuses it from then on', async () => {
      const early = await registration('early@example.com');
      const late = await registration('late@example.com');
      clock.advance(t.config.codes.ttlSeconds - 1);
      expectCode(await register(early), 200);
      clock.advance(1);
      expectCode(await register(late), 5046);
    });

    it('sends a new code once CODE_RESEND_SECONDS have passed, and only the new one is taken', async () => {
      const first = await codeFor('again@example.com');
      clock.advance(t.config.codes.resendSeconds - 1);
      expectCode(await send('again@example.com'), 5465);
      clock.advance(1);
      const second = await codeFor('again@example.com');
      const params = { email: 'again@example.com', pwd: 'china1234', userDomain: DOMAIN };
      // Six random digits repeat once in a million sends; only then is the old code the new one.
      if (first !== second) {
        expectCode(await register({ ...params, code: first }), 5046);
      }
      expectCode(await register({ ...params, code: second }), 200);
    });

    it('refuses a code that was already used', async () => {
      const params = await registration('once@example.com');
      expectCode(await register(params), 200);
      await users().delete({ email: 'once@example.com' });
      expectCode(await register(params), 5046);
    });

    it('kills a code after five wrong tries', async () => {
      const params = await registration('guess@example.com');
      const wrong = String((Number(params.code) + 1) % 1_000_000).padStart(6, '0');
      for (let i = 0; i < 5; i++) {
        expectCode(await register({ ...params, code: wrong }), 5046);
      }
      expectCode(await register(params), 5046);
    });

    it('still takes the right code after four wrong tries', async () => {
      const params = await registration('four@example.com');
      const wrong = String((Number(params.code) + 1) % 1_000_000).padStart(6, '0');
      for (let i = 0; i < 4; i++) {
        expectCode(await register({ ...params, code: wrong }), 5046);
      }
      expectCode(await register(params), 200);
    });

    it('refuses a code sent for another domain or another email', async () => {
      await domains().create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.2.2', name: 'other', settings: {} });
      const params = await registration('gina@example.com');
      expectCode(await register({ ...params, userDomain: 'C.DM.2.2' }), 5046);
      expectCode(await register({ ...params, email: 'hank@example.com' }), 5046);
      expectCode(await register(params), 200);
    });

    it('sends at most one code per email per interval (5465)', async () => {
      await codeFor('ivan@example.com');
      expectCode(await send('ivan@example.com'), 5465);
      expectCode(await send('other@example.com'), 200);
    });

    it('5466 for an email type other than registration (1) and password reset (2)', async () => {
      expectCode(await t.http().post(SEND).query({ email: 'j@example.com', userDomain: DOMAIN, emailType: 3 }), 5466);
      expectCode(await t.http().post(SEND).query('email=j@example.com&userDomain=C.DM.1.1&emailType[]=1'), 5466);
    });

    it('400 naming emailType when it is missing, after the parameters of the vendor table and before any format', async () => {
      const missing = await t.http().post(SEND).query({ email: 'not-an-email', userDomain: 'bad' });
      expectCode(missing, 400);
      expect(missing.body).toMatchObject({ msg: 'Please enter email type', extMsg: 'emailType' });
      expectCode(await t.http().post(SEND).query({ email: 'j@example.com', userDomain: DOMAIN, emailType: '' }), 400);
      expectCode(await t.http().post(SEND).query({ email: 'j@example.com' }), 5023);
      expectCode(await t.http().post(SEND).query({ userDomain: DOMAIN }), 5026);
      expectCode(await t.http().post(SEND_LEGACY).query({ email: 'j@example.com', userDomain: DOMAIN }), 200);
    });

    it('takes a parameter sent as a list (email[]=) as malformed, not missing', async () => {
      expectCode(await t.http().post(SEND).query('email[]=j@example.com&userDomain=C.DM.1.1&emailType=1'), 5040);
      expectCode(await t.http().post(SEND).query('email[0]=&userDomain=C.DM.1.1&emailType=1'), 5040);
      expectCode(await t.http().post(SEND).query('email=j@example.com&userDomain[]=C.DM.1.1&emailType=1'), 5013);
      expectCode(await t.http().post(SEND).type('form').send('email[]=j@example.com&userDomain=C.DM.1.1&emailType=1'), 5040);
      const params = await registration('list@example.com');
      const { pwd, ...rest } = params;
      expectCode(await register(rest).query(`pwd[]=${pwd}`), 5056);
      expectCode(await register(params), 200);
    });

    it('checks the send request like a registration: domain, email, existing account', async () => {
      expectCode(await t.http().post(SEND).query({ emailType: 1, email: 'k@example.com' }), 5023);
      expectCode(await t.http().post(SEND).query({ emailType: 1, userDomain: DOMAIN }), 5026);
      expectCode(await send('k@example.com', 'bad'), 5013);
      expectCode(await send('bad', DOMAIN), 5040);
      expectCode(await send('k@example.com', 'C.DM.9.9'), 5015);
      expectCode(await register(await registration('taken@example.com')), 200);
      expectCode(await send('taken@example.com'), 5039);
    });

    it('5441 when the mail cannot be delivered, leaving no usable code', async () => {
      smtp.refuse = true;
      expectCode(await send('lost@example.com'), 5441);
      expect(await codes().countBy({ recipient: 'lost@example.com' })).toBe(0);
      smtp.refuse = false;
      const code = await codeFor('lost@example.com');
      expectCode(await register({ email: 'lost@example.com', pwd: 'china1234', userDomain: DOMAIN, code }), 200);
    });

    it('lets exactly one of 20 concurrent registrations of one email win', async () => {
      const params = await registration('race@example.com');
      const responses = await Promise.all(Array.from({ length: 20 }, () => register(params)));
      const codesSeen = responses.map((r) => r.body.code);
      expect(codesSeen.filter((c) => c === 200)).toHaveLength(1);
      expect(codesSeen.filter((c) => c === 5039)).toHaveLength(19);
      expect(await users().countBy({ emailNormalized: 'race@example.com' })).toBe(1);
    });
  });

  describe('transport-level failures', () => {
    it.each([
      ['{"__proto__": {"admin": true}, "email": "p@example.com"}', '__proto__'],
      ['{"email": "p@example.com", "extra": {"constructor": {}}}', 'extra.constructor'],
    ])('400 in the envelope for a prototype key in the body: %s', async (raw, field) => {
      const response = await t.http().post(SEND).set('content-type', 'application/json').send(raw);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: { code: 400, msg: 'Unknown parameter', data: null, extMsg: field },
      });
    });

    it('400 in the envelope for a body nested 3,000 levels deep', async () => {
      const deep = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
      const response = await t.http().post(REGISTER).set('content-type', 'application/json').send(deep);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 400 });
    });

    it('400 in the envelope for malformed JSON', async () => {
      const response = await t.http().post(REGISTER).set('content-type', 'application/json').send('{"email":');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 400, msg: expect.any(String), data: null, extMsg: '' });
    });

    it('400 in the envelope for a corrupt gzip body and for too many form fields', async () => {
      const gzip = await t.http().post(REGISTER).set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"a":1}');
      expect(gzip.status).toBe(400);
      expect(gzip.body).toMatchObject({ code: 400, data: null });
      const fields = Array.from({ length: 300 }, (_, i) => `a${i}=1`).join('&');
      const form = await t.http().post(REGISTER).type('form').send(fields);
      expect(form.status).toBe(400);
      expect(form.body).toMatchObject({ code: 400, data: null });
    });

    it('413 in the envelope for a 2 MiB body', async () => {
      const response = await t
        .http()
        .post(REGISTER)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ email: 'x'.repeat(2 * 1024 * 1024) }));
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ code: 413, data: null });
    });

    it('404 in the envelope for an unknown route', async () => {
      const response = await t.http().post('/v2/enduser/enduserapi/phonePwdRegister');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 404, data: null });
    });
  });
});

describe('enduser dialect: outbox and data centre', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ DATA_CENTER_COUNTRIES: 'CN' });
    await t.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: DOMAIN, name: DOMAIN, settings: {} });
  });
  afterAll(() => t.close());

  it('writes the code mail to the outbox when no SMTP server is configured', async () => {
    const response = await t
      .http()
      .post(SEND)
      .set('Accept-Language', 'zh')
      .query({ email: 'box@example.com', emailType: 1, userDomain: DOMAIN });
    expect(response.body.code).toBe(200);
    const outbox = join(t.config.server.dataDir, 'outbox');
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const raw = readFileSync(join(outbox, files[0]), 'utf8');
    expect(raw).toMatch(/^To: box@example\.com$/m);
    const encodedSubject = raw.match(/^Subject: =\?UTF-8\?B\?([^?]+)\?=$/m)?.[1];
    expect(Buffer.from(encodedSubject ?? '', 'base64').toString('utf8')).toBe('注册验证码');
  });

  it('6084 for an MCC of a country served by another data centre', async () => {
    const base = { email: 'mcc@example.com', pwd: 'china1234', userDomain: DOMAIN, code: '123456' };
    expect(
      (
        await t
          .http()
          .post(REGISTER)
          .query({ ...base, mcc: 310 })
      ).body.code,
    ).toBe(6084);
    expect(
      (
        await t
          .http()
          .post(REGISTER)
          .query({ ...base, mcc: 460 })
      ).body.code,
    ).toBe(5046);
  });
});

describe('enduser dialect: rate limit', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterEach(() => t.close());

  it('5429 with HTTP 429 once a client exceeds RATE_LIMIT_PER_MINUTE, one budget across endpoints', async () => {
    const allowed = [
      await t.http().post(REGISTER).query({}),
      await t.http().post(SEND).query({ emailType: 1 }),
      await t.http().post(REGISTER_V2).query({}),
    ];
    expect(allowed.map((r) => [r.status, r.body.code])).toEqual([
      [200, 5022],
      [200, 5023],
      [200, 5022],
    ]);
    for (const path of [REGISTER, SEND_LEGACY]) {
      const refused = await t.http().post(path).query({});
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 429,
        body: { code: 5429, msg: expect.any(String), data: null, extMsg: '' },
      });
    }
    // Old-password guesses count too, before the token is even looked at.
    const guess = await t.http().put('/v2/enduser/enduserapi/setUserPwd').set('Authorization', 'Bearer x').query({});
    expect({ status: guess.status, code: guess.body.code }).toEqual({ status: 429, code: 5429 });
  });
});

describe('enduser dialect: two instances sharing one database', () => {
  const smtp = new SmtpTestServer();
  let sender: TestApp;
  let receiver: TestApp;
  let dbUrl: string;
  const dir = makeDataDir();

  beforeAll(async () => {
    const url = await freshDatabaseUrl();
    dbUrl = isMysql ? url : `sqlite:${join(dir, 'shared.sqlite')}`;
    const smtpUrl = await smtp.start();
    sender = await createTestApp({ DB_URL: dbUrl, SMTP_URL: smtpUrl });
    receiver = await createTestApp({ DB_URL: dbUrl, SMTP_URL: smtpUrl });
    await sender.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: DOMAIN, name: DOMAIN, settings: {} });
  });
  afterAll(async () => {
    await sender.close();
    await receiver.close();
    await smtp.stop();
    await dropDatabase(dbUrl);
    removeDataDir(dir);
  });

  it('accepts on one instance a code sent by the other, and enforces the resend interval across them', async () => {
    const send = (app: TestApp) => app.http().post(SEND).query({ email: 'shared@example.com', emailType: 1, userDomain: DOMAIN });
    expect((await send(sender)).body.code).toBe(200);
    expect((await send(receiver)).body.code).toBe(5465);
    const params = { email: 'shared@example.com', pwd: 'china1234', userDomain: DOMAIN, code: smtp.lastCode('shared@example.com') };
    expect((await receiver.http().post(REGISTER).query(params)).body.code).toBe(200);
    expect((await sender.http().post(REGISTER).query(params)).body.code).toBe(5039);
  });
});
