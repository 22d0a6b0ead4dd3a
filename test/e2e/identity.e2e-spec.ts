import { sign } from 'jsonwebtoken';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { User } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';

const PASSWORD = 'Tulip-Garden-42';
const CYRILLIC_O = 'j\u043ehn';

/** Issue 16: look-alike identities, common passwords, NFC/NFD passwords and free-text fields, in each dialect. */
describe('identities and passwords across dialects', () => {
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

  const bytepower = (body: object) =>
    t
      .http()
      .post('/bp/server/user/signup')
      .set('Accept', 'application/vnd.bytepower.v1+json')
      .set(
        'X-BytePower-Auth-Token',
        sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' }),
      )
      .send(body);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
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

  describe('common passwords', () => {
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

  describe('free-text fields refuse controls, bidi overrides and lone surrogates', () => {
    it.each(['a\u0000b', 'a\u202eb', 'a\u2067b', 'a\ud800b'])('userpool profile nickname %j', async (nickname) => {
      await pool();
      const response = await userpool('email', { email: 'a@example.com', password: PASSWORD, profile: { nickname } });
      expect(response.status).toBe(400);
      expect(response.body.msg).toMatch(/nickname/);
      expect(await users().count()).toBe(0);
    });

    it.each(['a\u0000b', 'a\u202eb', 'a\ud800b'])('bytepower device field imei %j', async (imei) => {
      const response = await bytepower({ name_password: { name: 'alice', password: PASSWORD }, imei });
      expect([response.status, response.body.error.error_type]).toEqual([400, 'invalid_parameter']);
      expect(response.body.error.message).toMatch(/^imei/);
    });

    it.each(['why\u0000', 'why\u202e', 'why\u2066'])('jsonapi-users register_reason %j', async (reason) => {
      await t.app.get(SiteService).update({ registerMode: 'review' });
      const response = await jsonapi('/api/register', { username: 'alice', password: PASSWORD, register_reason: reason });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/register_reason' } })]);
    });

    it('keep line breaks and tabs in free text', async () => {
      await t.app.get(SiteService).update({ registerMode: 'review' });
      const response = await jsonapi('/api/register', { username: 'alice', password: PASSWORD, register_reason: 'line one\n\tline two' });
      expect(response.status).toBe(401);
    });
  });
});
