import { sign } from 'jsonwebtoken';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { User } from '../../src/users/entities/user.entity';
import { VerificationCode } from '../../src/users/entities/verification-code.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { SmtpTestServer } from '../utils/smtp-test-server';

const PASSWORD = 'Tulip-Garden-42';
const CYRILLIC_O = 'j\u043ehn';

/** Issue 16: look-alike identities, common passwords, NFC/NFD passwords and free-text fields, in each dialect. */
describe('identities and passwords across dialects', () => {
  const smtp = new SmtpTestServer();
  let t: TestApp;
  let key: IssuedAppKey;

  const users = () => t.dataSource.getRepository(User);

  const pool = (code = 'demo', settings: Record<string, unknown> = {}) =>
    t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code, name: code, settings: { passwordStrength: 1, ...settings } });
  const userpool = (route: 'email' | 'username', body: object, poolId = 'demo') =>
    t.http().post(`/api/v1/register/${route}`).set('x-userpool-id', poolId).send(body);

  const jsonapi = (path: string, attributes: object) =>
    t
      .http()
      .post(path)
      .set('Accept', 'application/vnd.api+json')
      .set('Content-Type', 'application/vnd.api+json')
      .send(JSON.stringify({ data: { type: 'users', attributes } }));

  const bytepower = (body: object, path = '/bp/server/user/signup') =>
    t
      .http()
      .post(path)
      .set('Accept', 'application/vnd.bytepower.v1+json')
      .set(
        'X-BytePower-Auth-Token',
        sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' }),
      )
      .send(body);

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    smtp.received.length = 0;
    key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({ name: 'App', id: 'app1' });
  });

  describe('look-alike identities', () => {
    it('userpool: a look-alike of a taken username or email is taken (409 2026), a new mixed-script one invalid', async () => {
      await pool();
      expect((await userpool('username', { username: 'john', password: PASSWORD })).status).toBe(200);
      const lookAlike = await userpool('username', { username: CYRILLIC_O, password: PASSWORD });
      expect([lookAlike.status, lookAlike.body.code]).toEqual([409, 2026]);
      const mixed = await userpool('username', { username: 'j\u043ehnny', password: PASSWORD });
      expect([mixed.status, mixed.body.code]).toEqual([400, 2000]);
      const cyrillic = await userpool('username', { username: '\u0441\u043e\u0440', password: PASSWORD });
      expect((await userpool('username', { username: 'cop', password: PASSWORD })).body.code).toBe(2026);
      expect(cyrillic.status).toBe(200);

      expect((await userpool('email', { email: 'john@example.com', password: PASSWORD })).status).toBe(200);
      const email = await userpool('email', { email: `${CYRILLIC_O}@example.com`, password: PASSWORD });
      expect([email.status, email.body.code]).toEqual([409, 2026]);
      expect(await users().count()).toBe(3);
    });

    it('userpool: an IDN domain and its punycode form are one mailbox; a mixed-script domain is invalid in either form', async () => {
      await pool();
      expect((await userpool('email', { email: 'p@b\u00fccher.de', password: PASSWORD })).status).toBe(200);
      expect((await userpool('email', { email: 'p@xn--bcher-kva.de', password: PASSWORD })).body.code).toBe(2026);
      for (const email of ['p@ex\u0430mple.com', 'p@xn--exmple-4nf.com']) {
        const response = await userpool('email', { email, password: PASSWORD });
        expect([response.status, response.body.code]).toEqual([400, 2003]);
      }
    });

    it('jsonapi-users: a look-alike username is taken (422 on username)', async () => {
      expect((await jsonapi('/api/register', { username: 'john', password: PASSWORD })).status).toBe(200);
      const response = await jsonapi('/api/register', { username: CYRILLIC_O, password: PASSWORD });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/username' } })]);
    });

    it('bytepower: a look-alike name or email is user_already_exists', async () => {
      expect((await bytepower({ name_password: { name: 'john', password: PASSWORD } })).status).toBe(200);
      const name = await bytepower({ name_password: { name: CYRILLIC_O, password: PASSWORD } });
      expect([name.status, name.body.error.error_type]).toEqual([400, 'user_already_exists']);
      expect((await bytepower({ email_password: { email: 'john@example.com', password: PASSWORD } })).status).toBe(200);
      const email = await bytepower({ email_password: { email: `${CYRILLIC_O}@example.com`, password: PASSWORD } });
      expect([email.status, email.body.error.error_type]).toEqual([400, 'user_already_exists']);
    });
  });

  describe('invisible characters in identifiers', () => {
    const HK = ['hk1\u3164', 'hk\u034F1', 'hk1\uFE0F', 'hk1\u180B', 'hk1\u17B4', 'hk\u115F1'];

    it('userpool: a username or email local part with a default-ignorable is the taken one; with U+2800 or new, invalid', async () => {
      await pool();
      expect((await userpool('username', { username: 'hk1', password: PASSWORD })).status).toBe(200);
      for (const username of HK) {
        const response = await userpool('username', { username, password: PASSWORD });
        expect([username, response.status, response.body.code]).toEqual([username, 409, 2026]);
      }
      for (const username of ['hk1\u2800', 'zz\u3164', 'zz\u034F1']) {
        const response = await userpool('username', { username, password: PASSWORD });
        expect([username, response.status, response.body.code]).toEqual([username, 400, 2000]);
      }
      expect((await userpool('email', { email: 'hk1@example.com', password: PASSWORD })).status).toBe(200);
      expect((await userpool('email', { email: 'hk1\u3164@example.com', password: PASSWORD })).body.code).toBe(2026);
      for (const email of ['zz\u3164@example.com', 'zz\uFFA0@example.com', 'zz\u2800@example.com']) {
        const response = await userpool('email', { email, password: PASSWORD });
        expect([email, response.status, response.body.code]).toEqual([email, 400, 2003]);
      }
      expect(await users().count()).toBe(2);
    });

    it('jsonapi-users: a username with a default-ignorable is the taken one (422 on username)', async () => {
      expect((await jsonapi('/api/register', { username: 'hk1', password: PASSWORD })).status).toBe(200);
      for (const username of [...HK, 'hk1\u2800']) {
        const response = await jsonapi('/api/register', { username, password: PASSWORD });
        expect([username, response.status]).toEqual([username, 422]);
        expect(response.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/username' } })]);
      }
      expect(await users().count()).toBe(1);
    });

    it('bytepower: a name or email with a default-ignorable is user_already_exists, a new one invalid_parameter', async () => {
      expect((await bytepower({ name_password: { name: 'hk1', password: PASSWORD } })).status).toBe(200);
      for (const name of HK) {
        const response = await bytepower({ name_password: { name, password: PASSWORD } });
        expect([name, response.status, response.body.error.error_type]).toEqual([name, 400, 'user_already_exists']);
      }
      const braille = await bytepower({ name_password: { name: 'hk1\u2800', password: PASSWORD } });
      expect([braille.status, braille.body.error.error_type]).toEqual([400, 'invalid_parameter']);
      expect((await bytepower({ email_password: { email: 'hk1@example.com', password: PASSWORD } })).status).toBe(200);
      const email = await bytepower({ email_password: { email: 'hk1\u3164@example.com', password: PASSWORD } });
      expect([email.status, email.body.error.error_type]).toEqual([400, 'user_already_exists']);
      const fresh = await bytepower({ email_password: { email: 'zz\u3164@example.com', password: PASSWORD } });
      expect([fresh.status, fresh.body.error.error_type]).toEqual([400, 'invalid_parameter']);
      expect(await users().count()).toBe(2);
    });
  });

  describe('look-alikes across case, compatibility forms and scripts', () => {
    it('userpool: I/l and O/0 look-alikes are taken whatever their case; names that differ stay apart', async () => {
      await pool();
      for (const [first, second] of [
        ['ALIC5I', 'ALIC5l'],
        ['BOB5O', 'BOB50'],
      ]) {
        expect((await userpool('username', { username: first, password: PASSWORD })).status).toBe(200);
        const response = await userpool('username', { username: second, password: PASSWORD });
        expect([second, response.status, response.body.code]).toEqual([second, 409, 2026]);
      }
      for (const username of ['alice', 'alicia', 'bob5', 'bob6']) {
        expect([username, (await userpool('username', { username, password: PASSWORD })).status]).toEqual([username, 200]);
      }
      expect((await userpool('email', { email: 'ALIC5I@example.com', password: PASSWORD })).status).toBe(200);
      expect((await userpool('email', { email: 'ALIC5l@example.com', password: PASSWORD })).body.code).toBe(2026);
    });

    it('jsonapi-users: BO5O and BO50 are one name', async () => {
      expect((await jsonapi('/api/register', { username: 'BO5O', password: PASSWORD })).status).toBe(200);
      const response = await jsonapi('/api/register', { username: 'BO50', password: PASSWORD });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/username' } })]);
    });

    it('a full-width email local part is the taken one, in userpool and bytepower', async () => {
      await pool();
      expect((await userpool('email', { email: 'fw1@example.com', password: PASSWORD })).status).toBe(200);
      const taken = await userpool('email', { email: '\uFF46\uFF57\uFF11@example.com', password: PASSWORD });
      expect([taken.status, taken.body.code]).toEqual([409, 2026]);
      expect((await bytepower({ email_password: { email: '\uFF46\uFF57\uFF11@example.com', password: PASSWORD } })).status).toBe(200);
      const bp = await bytepower({ email_password: { email: 'FW1@example.com', password: PASSWORD } });
      expect([bp.status, bp.body.error.error_type]).toEqual([400, 'user_already_exists']);
    });

    it('of 20 concurrent sign-ups over look-alike emails exactly one wins', async () => {
      await pool();
      const variants = ['fw1', '\uFF46\uFF57\uFF11', 'FW1', '\uFF26\uFF37\uFF11', 'f\uFF57\uFF11'].map((local) => `${local}@example.com`);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => userpool('email', { email: variants[i % variants.length], password: PASSWORD })),
      );
      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      expect(responses.filter((response) => response.status === 409 && response.body.code === 2026)).toHaveLength(19);
      expect(await users().count()).toBe(1);
    });

    it('Latin mixed with Cherokee, not a Recommended script, is invalid in every dialect', async () => {
      await pool();
      const name = 'j\u13BEhn9';
      const up = await userpool('username', { username: name, password: PASSWORD });
      expect([up.status, up.body.code]).toEqual([400, 2000]);
      const ja = await jsonapi('/api/register', { username: name, password: PASSWORD });
      expect(ja.status).toBe(422);
      expect(ja.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/username' } })]);
      const bp = await bytepower({ name_password: { name, password: PASSWORD } });
      expect([bp.status, bp.body.error.error_type]).toEqual([400, 'invalid_parameter']);
      expect(await users().count()).toBe(0);
    });

    describe('a name in Cherokee, a Limited Use script, is invalid even alone', () => {
      /** Cherokee small letters that fold away from the capitals confusables.txt maps to JAW, and a name all in Cherokee. */
      const SMALL_JAW = '\uAB7B\uAB7A\uAB83020';
      const CHEROKEE = '\u13E3\u13B3\u13A94683';

      it('userpool: 400 2000 for a username, 400 2003 for an email local part', async () => {
        await pool();
        expect((await userpool('username', { username: 'JAW020', password: PASSWORD })).status).toBe(200);
        for (const username of [SMALL_JAW, CHEROKEE, '\u13A0\u13A1\u13A2']) {
          const response = await userpool('username', { username, password: PASSWORD });
          expect([username, response.status, response.body.code]).toEqual([username, 400, 2000]);
        }
        const email = await userpool('email', { email: `${CHEROKEE}@example.com`, password: PASSWORD });
        expect([email.status, email.body.code]).toEqual([400, 2003]);
        expect(await users().count()).toBe(1);
      });

      it('jsonapi-users: 422 on username', async () => {
        expect((await jsonapi('/api/register', { username: 'JAW020', password: PASSWORD })).status).toBe(200);
        for (const username of [SMALL_JAW, CHEROKEE]) {
          const response = await jsonapi('/api/register', { username, password: PASSWORD });
          expect([username, response.status, response.body.errors]).toEqual([
            username,
            422,
            [expect.objectContaining({ source: { pointer: '/data/attributes/username' } })],
          ]);
        }
        expect(await users().count()).toBe(1);
      });

      it('bytepower: invalid_parameter on the name', async () => {
        expect((await bytepower({ name_password: { name: 'JAW020', password: PASSWORD } })).status).toBe(200);
        for (const name of [SMALL_JAW, CHEROKEE]) {
          const response = await bytepower({ name_password: { name, password: PASSWORD } });
          expect([name, response.status, response.body.error.error_type]).toEqual([name, 400, 'invalid_parameter']);
        }
        expect(await users().count()).toBe(1);
      });
    });

    it('a quoted local part is invalid, so "p1"@example.org never parts from p1@example.org', async () => {
      await pool();
      for (const email of ['"p1"@example.org', '"p 1"@example.org']) {
        const response = await userpool('email', { email, password: PASSWORD });
        expect([email, response.status, response.body.code]).toEqual([email, 400, 2003]);
      }
      expect((await userpool('email', { email: 'p1@example.org', password: PASSWORD })).status).toBe(200);
    });
  });

  describe('no code is mailed to an address registration would refuse', () => {
    const REFUSED = [
      'm1@xn--exmple-4nf.com',
      'n1@ex\u0430mple.com',
      'j\u043ehn1@example.com',
      'eu1\u3164@example.com',
      '"q1"@example.com',
      '\u13E3\u13B3\u13A94683@example.com',
    ];
    const codes = () => t.dataSource.getRepository(VerificationCode);

    it.each(['/v2/mail/enduserapi/v2/sendEmail', '/v2/enduser/enduserapi/sendEmailRegisterCode'])(
      'enduser %s answers 5040',
      async (path) => {
        await t.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.1.1', name: 'C.DM.1.1', settings: {} });
        const send = (email: string) => t.http().post(path).query({ email, userDomain: 'C.DM.1.1', emailType: 1 });
        for (const email of REFUSED) {
          const response = await send(email);
          expect([email, response.status, response.body.code]).toEqual([email, 200, 5040]);
        }
        expect([smtp.received.length, await codes().count()]).toEqual([0, 0]);
        expect((await send('ok1@example.com')).body.code).toBe(200);
        expect(smtp.received).toHaveLength(1);
      },
    );

    it('bytepower send_email_verify_code answers invalid_parameter on email', async () => {
      const send = (email: string) =>
        bytepower({ email, type: 'sign_up_email', platform: 'website' }, '/bp/server/user/send_email_verify_code');
      for (const email of REFUSED) {
        const response = await send(email);
        expect([email, response.status, response.body.error]).toEqual([
          email,
          400,
          { error_type: 'invalid_parameter', message: 'email: is not a valid email address.' },
        ]);
      }
      expect([smtp.received.length, await codes().count()]).toEqual([0, 0]);
      expect((await send('ok1@example.com')).status).toBe(200);
      expect(smtp.received).toHaveLength(1);
    });
  });

  describe('common passwords', () => {
    it.each([
      ' password',
      'password ',
      'p a s s w o r d',
      '\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44',
      'password\u200B',
      'password\u2800',
      'p\u0430ssword',
    ])('are found with spaces, compatibility forms, invisible characters and look-alike letters: %j in every dialect', async (password) => {
      await pool();
      const up = await userpool('email', { email: 'a@example.com', password });
      expect([up.status, up.body.code]).toEqual([400, 2029]);
      const ja = await jsonapi('/api/register', { username: 'alice', password });
      expect(ja.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/password' } })]);
      const bp = await bytepower({ name_password: { name: 'alice', password } });
      expect(bp.body.error).toEqual({ error_type: 'invalid_parameter', message: 'name_password.password: is a commonly used password.' });
      expect(await users().count()).toBe(0);
    });

    it('userpool refuses 123456 (400 2029) unless the pool allows common passwords', async () => {
      await pool();
      await pool('lenient', { allowCommonPasswords: true });
      const refused = await userpool('email', { email: 'a@example.com', password: '123456' });
      expect([refused.status, refused.body.code, refused.body.msg]).toEqual([400, 2029, 'Password is too common']);
      expect((await userpool('email', { email: 'a@example.com', password: '123456' }, 'lenient')).status).toBe(200);
    });

    it('jsonapi-users answers 422 on the password field', async () => {
      const response = await jsonapi('/api/register', { username: 'alice', password: 'password' });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          source: { pointer: '/data/attributes/password' },
          detail: ['密码过于常见，请换一个。'],
        }),
      ]);
    });

    it('bytepower refuses six spaces as invalid_parameter on the password', async () => {
      const response = await bytepower({ name_password: { name: 'alice', password: '      ' } });
      expect(response.status).toBe(400);
      expect(response.body.error).toEqual({
        error_type: 'invalid_parameter',
        message: 'name_password.password: is a commonly used password.',
      });
    });
  });

  it('a password registered in NFD logs in in NFC, and the other way round', async () => {
    await t.app.get(SiteService).current();
    expect((await jsonapi('/api/register', { username: 'ann', password: 'Cafe\u0301-Latte-9' })).status).toBe(200);
    expect((await jsonapi('/api/login', { username: 'ann', password: 'Caf\u00e9-Latte-9' })).status).toBe(200);
    expect((await jsonapi('/api/register', { username: 'bob', password: 'Caf\u00e9-Latte-9' })).status).toBe(200);
    expect((await jsonapi('/api/login', { username: 'bob', password: 'Cafe\u0301-Latte-9' })).status).toBe(200);
  });

  describe('free-text fields refuse controls, invisible format characters, private use, unassigned and lone surrogates', () => {
    /** Zero-width space, LRM, RLM, ALM, BOM, a tag letter, line and paragraph separators, an interlinear annotation anchor, private use, a non-character. */
    const INVISIBLE = ['200B', '200E', '200F', '061C', 'FEFF', 'E0041', '2028', '2029', 'FFF9', 'E000', 'FFFF'];
    const around = (hex: string) => `a${String.fromCodePoint(parseInt(hex, 16))}b`;

    it.each(['a\u0000b', 'a\u202eb', 'a\u2067b', 'a\ud800b'])('userpool profile nickname %j', async (nickname) => {
      await pool();
      const response = await userpool('email', { email: 'a@example.com', password: PASSWORD, profile: { nickname } });
      expect(response.status).toBe(400);
      expect(response.body.msg).toMatch(/nickname/);
      expect(await users().count()).toBe(0);
    });

    it.each(INVISIBLE)('userpool profile nickname with U+%s', async (hex) => {
      await pool();
      const response = await userpool('email', { email: 'a@example.com', password: PASSWORD, profile: { nickname: around(hex) } });
      expect([response.status, response.body.msg]).toEqual([400, expect.stringMatching(/nickname/)]);
      expect(await users().count()).toBe(0);
    });

    it.each(['a\u0000b', 'a\u202eb', 'a\ud800b'])('bytepower device field imei %j', async (imei) => {
      const response = await bytepower({ name_password: { name: 'alice', password: PASSWORD }, imei });
      expect([response.status, response.body.error.error_type]).toEqual([400, 'invalid_parameter']);
      expect(response.body.error.message).toMatch(/^imei/);
    });

    it.each(INVISIBLE)('bytepower device field imei with U+%s', async (hex) => {
      const response = await bytepower({ name_password: { name: 'alice', password: PASSWORD }, imei: around(hex) });
      expect([response.status, response.body.error.error_type, response.body.error.message]).toEqual([
        400,
        'invalid_parameter',
        expect.stringMatching(/^imei/),
      ]);
    });

    it.each(['why\u0000', 'why\u202e', 'why\u2066'])('jsonapi-users register_reason %j', async (reason) => {
      await t.app.get(SiteService).update({ registerMode: 'review' });
      const response = await jsonapi('/api/register', { username: 'alice', password: PASSWORD, register_reason: reason });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/register_reason' } })]);
    });

    it.each(INVISIBLE)('jsonapi-users register_reason with U+%s', async (hex) => {
      await t.app.get(SiteService).update({ registerMode: 'review' });
      const response = await jsonapi('/api/register', { username: 'alice', password: PASSWORD, register_reason: around(hex) });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/register_reason' } })]);
    });

    /** Hangul fillers, the braille blank, a grapheme joiner, a lone selector, a Khmer inherent vowel, ZWJs joining nothing. */
    const BLANK = [
      '\u3164',
      '\uFFA0',
      '\u115F\u1160',
      '\u2800',
      'a\u034Fb',
      '\uFE0F',
      '\u17B4',
      '\u180B',
      '\u200D\u200D\u200D',
      `a${'\u200D'.repeat(200)}b`,
    ];

    it.each(BLANK)('userpool profile nickname, jsonapi-users register_reason and bytepower cuid refuse %j', async (text) => {
      await pool();
      const up = await userpool('email', { email: 'a@example.com', password: PASSWORD, profile: { nickname: text } });
      expect([up.status, up.body.msg]).toEqual([400, expect.stringMatching(/nickname/)]);
      await t.app.get(SiteService).update({ registerMode: 'review' });
      const ja = await jsonapi('/api/register', { username: 'alice', password: PASSWORD, register_reason: text });
      expect([ja.status, ja.body.errors]).toEqual([
        422,
        [expect.objectContaining({ source: { pointer: '/data/attributes/register_reason' } })],
      ]);
      const bp = await bytepower({ name_password: { name: 'alice', password: PASSWORD }, cuid: text });
      expect([bp.status, bp.body.error.error_type, bp.body.error.message]).toEqual([
        400,
        'invalid_parameter',
        expect.stringMatching(/^cuid/),
      ]);
      expect(await users().count()).toBe(0);
    });

    it.each([
      ['Persian with ZWNJ', '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'],
      ['an emoji ZWJ sequence', '\u{1F469}\u200D\u{1F4BB}'],
      ['an emoji ZWJ family', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'],
      ['a skin tone', '\u{1F44D}\u{1F3FD}'],
      ['a keycap', '1\uFE0F\u20E3'],
      ['a flag', '\u{1F1EF}\u{1F1F5}'],
      ['the England flag', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'],
    ])('keep %s in free text', async (_, nickname) => {
      await pool();
      const response = await userpool('email', { email: 'a@example.com', password: PASSWORD, profile: { nickname } });
      expect(response.status).toBe(200);
    });

    it('bytepower platform and cuid keep a subdivision flag', async () => {
      const wales = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}';
      const response = await bytepower({ name_password: { name: 'alice', password: PASSWORD }, platform: wales, cuid: wales });
      expect(response.status).toBe(200);
    });

    it('bytepower platform and cuid refuse a tag character', async () => {
      for (const field of ['platform', 'cuid']) {
        const response = await bytepower({ name_password: { name: 'alice', password: PASSWORD }, [field]: 'ios\u{E0041}' });
        expect([field, response.status, response.body.error.error_type]).toEqual([field, 400, 'invalid_parameter']);
      }
    });

    it('keep line breaks and tabs in free text', async () => {
      await t.app.get(SiteService).update({ registerMode: 'review' });
      const response = await jsonapi('/api/register', { username: 'alice', password: PASSWORD, register_reason: 'line one\n\tline two' });
      expect(response.status).toBe(401);
    });
  });
});
