import { sign } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { BYTEPOWER_TENANT_KIND } from '../../src/dialects/bytepower/bytepower.tenant-kind';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { Tenant } from '../../src/users/entities/tenant.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, TestApp } from '../utils/create-test-app';

const PASSWORD = 'Tulip-Garden-42';
const MOBILE = '+8613800138000';
const JSON_API = 'application/vnd.api+json';

/**
 * SPEC §1 "Sign-in protection": failures count per account, whichever of its names was typed
 * (UsersService.authenticate keys the budget by the user it found), per client and across clients.
 */
describe('one failure budget per account, whatever name it is typed by', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Behind a trusted proxy on loopback, so that X-Forwarded-For names each request's client.
    t = await createTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  const registerUser = (tenant: Tenant, names: { email?: string; username?: string; mobile?: string }) =>
    t.app.get(UsersService).register({ tenant, ...names, password: PASSWORD, registerSource: 'test' });

  describe('jsonapi-users: username and mobile', () => {
    const login = (username: string, password: string, from = '192.0.2.1') =>
      t
        .http()
        .post('/api/login')
        .set('Content-Type', JSON_API)
        .set('Accept', JSON_API)
        .set('X-Forwarded-For', from)
        .send(JSON.stringify({ data: { attributes: { username, password } } }));
    const details = (response: Response) => [response.status, response.body.errors?.[0]?.detail?.[0]];

    beforeEach(async () => {
      await registerUser((await t.app.get(SiteService).current()).site, { username: 'alice', mobile: MOBILE });
    });

    it('counts failures by username against the mobile, and locks both names for this client', async () => {
      for (const left of [4, 3]) {
        expect(details(await login('alice', 'wrong-password'))).toEqual([403, `帐号或密码错误，还可以尝试 ${left} 次。`]);
      }
      for (const left of [2, 1]) {
        expect(details(await login('13800138000', 'wrong-password'))).toEqual([403, `帐号或密码错误，还可以尝试 ${left} 次。`]);
      }
      expect((await login('13800138000', 'wrong-password')).status).toBe(402);
      expect((await login('alice', PASSWORD)).status).toBe(402);
      expect((await login('13800138000', PASSWORD)).status).toBe(402);
      expect((await login('13800138000', PASSWORD, '192.0.2.2')).status).toBe(200);
    });

    it('locks the account for everyone after 21 failures from ten clients, shared by its names', async () => {
      for (let i = 0; i < 21; i++) {
        expect((await login(i % 2 ? 'alice' : '13800138000', `wrong-${i}`, `203.0.113.${i % 10}`)).status).toBe(i < 20 ? 403 : 402);
      }
      expect((await login('alice', PASSWORD, '198.51.100.7')).status).toBe(402);
      expect((await login('13800138000', PASSWORD, '198.51.100.8')).status).toBe(402);
    });

    it('still limits an unknown name, apart from the account', async () => {
      for (const left of [4, 3, 2, 1]) {
        expect(details(await login('nobody', 'wrong-password'))).toEqual([403, `帐号或密码错误，还可以尝试 ${left} 次。`]);
      }
      expect((await login('nobody', 'wrong-password')).status).toBe(402);
      expect((await login('NOBODY', 'wrong-password')).status).toBe(402);
      expect((await login('alice', PASSWORD)).status).toBe(200);
    });
  });

  describe('userpool: email, username and phone', () => {
    const login = (account: string, password: string, from = '192.0.2.1') =>
      t.http().post('/api/v1/login/account').set('X-Forwarded-For', from).set('x-userpool-id', 'demo').send({ account, password });
    const codeOf = async (response: Promise<Response>) => ((await response).body as { code: number }).code;

    beforeEach(async () => {
      const pool = await t.app
        .get(TenantsService)
        .create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', enabled: true, settings: { passwordStrength: 1 } });
      await registerUser(pool, { email: 'carol@example.com', username: 'carol', mobile: MOBILE });
    });

    it('spends the default five tries of a client across the three names', async () => {
      const names = ['carol@example.com', 'carol', '13800138000', 'Carol@Example.com', '+86 138-0013-8000'];
      const codes: number[] = [];
      for (const name of names) {
        codes.push(await codeOf(login(name, 'Wrong-Password-1')));
      }
      expect(codes).toEqual([2333, 2333, 2333, 2333, 2333]);
      for (const name of ['carol@example.com', 'carol', '13800138000']) {
        expect(await codeOf(login(name, PASSWORD))).toBe(2057);
      }
      expect(await codeOf(login('carol', PASSWORD, '192.0.2.2'))).toBe(0);
    });

    it('locks the account for everyone after 21 failures by its three names from many clients', async () => {
      const names = ['carol@example.com', 'carol', '13800138000'];
      for (let i = 0; i < 21; i++) {
        expect(await codeOf(login(names[i % 3], `Wrong-Password-${i}`, `203.0.113.${i}`))).toBe(2333);
      }
      for (const name of names) {
        expect(await codeOf(login(name, PASSWORD, '198.51.100.7'))).toBe(2057);
      }
    });

    it('still limits an unknown name', async () => {
      for (let i = 0; i < 5; i++) {
        expect(await codeOf(login('nobody@example.com', PASSWORD))).toBe(2333);
      }
      expect(await codeOf(login('nobody@example.com', PASSWORD))).toBe(2057);
      expect(await codeOf(login('carol', PASSWORD))).toBe(0);
    });
  });

  describe('bytepower: name and email', () => {
    let key: IssuedAppKey;
    const token = () => sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' });
    const login = (credentials: object, clientIp = '203.0.113.5') =>
      t
        .http()
        .post('/bp/server/user/login')
        .set('Accept', 'application/vnd.bytepower.v1+json')
        .set('X-BytePower-Auth-Token', token())
        .set('X-BytePower-Client-IP', clientIp)
        .send(credentials);
    const byName = (password: string, clientIp?: string) => login({ name_password: { name: 'happymumu', password } }, clientIp);
    const byEmail = (password: string, clientIp?: string) => login({ email_password: { email: 'mumu@example.com', password } }, clientIp);

    beforeEach(async () => {
      key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({ name: 'App', id: 'app1' });
      const app = await t.app.get(TenantsService).require(BYTEPOWER_TENANT_KIND, 'app1');
      await registerUser(app, { username: 'happymumu', email: 'mumu@example.com' });
    });

    it('counts wrong passwords by name against the email, per end user and across end users', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await (i % 2 ? byEmail : byName)('wrong!')).status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400]);
      expect((await byEmail(PASSWORD)).status).toBe(429);
      expect((await byName(PASSWORD)).status).toBe(429);
      for (let i = 0; i < 16; i++) {
        expect((await (i % 2 ? byEmail : byName)('wrong!', `198.51.100.${i}`)).status).toBe(400);
      }
      expect((await byName(PASSWORD, '192.0.2.200')).status).toBe(429);
      expect((await byEmail(PASSWORD, '192.0.2.201')).status).toBe(429);
    });
  });
});
