import { sign } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';

const ACCEPT = 'application/vnd.bytepower.v1+json';
const JSON_API = 'application/vnd.api+json';

/**
 * docs/operations.md "Sign-in protection": failures per account and client, per account across all clients,
 * IPv6 clients by /64, bytepower's end-user address, and Retry-After on every wait. The counters are in
 * Redis when TEST_REDIS_URL is set, else in memory.
 */
describe('sign-in protection', () => {
  let t: TestApp;
  let key: IssuedAppKey;

  beforeAll(async () => {
    // Behind a trusted proxy on loopback, so that X-Forwarded-For names each request's client.
    t = await createTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({ name: 'App', id: 'app1' });
  });

  const expectWait = (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(900);
  };

  describe('jsonapi-users', () => {
    const call = (path: string, attributes: object, forwardedFor: string) =>
      t
        .http()
        .post(path)
        .set('Content-Type', JSON_API)
        .set('Accept', JSON_API)
        .set('X-Forwarded-For', forwardedFor)
        .send(JSON.stringify({ data: { attributes } }));
    const login = (username: string, password: string, forwardedFor: string) => call('/api/login', { username, password }, forwardedFor);
    const statuses = async (tries: [string, string][]) => {
      const seen: number[] = [];
      for (const [password, forwardedFor] of tries) seen.push((await login('alice', password, forwardedFor)).status);
      return seen;
    };

    beforeEach(async () => {
      expect((await call('/api/register', { username: 'alice', password: 'Plum-Tree-42' }, '192.0.2.1')).status).toBe(200);
    });

    it('38 guesses from ten addresses: the 21st failure locks the account for everyone, the right password too', async () => {
      const guesses = Array.from({ length: 37 }, (_, i): [string, string] => [`wrong-${i}`, `203.0.113.${i % 10}`]);
      expect(await statuses(guesses)).toEqual([...Array<number>(20).fill(403), ...Array<number>(17).fill(402)]);
      const right = await login('alice', 'Plum-Tree-42', '198.51.100.77');
      expectWait(right, 402);
      expect(right.body.errors[0].code).toBe('login_failures_times_toplimit');
    });

    it('counts an IPv6 /64 as one client, and the next /64 as another', async () => {
      const sameNetwork = Array.from({ length: 5 }, (_, i): [string, string] => ['wrong', `2001:db8:1:2::${i + 1}`]);
      expect(await statuses(sameNetwork)).toEqual([403, 403, 403, 403, 402]);
      expectWait(await login('alice', 'Plum-Tree-42', '2001:db8:1:2:ffff:ffff:ffff:ffff'), 402);
      expect((await login('alice', 'Plum-Tree-42', '2001:db8:1:3::1')).status).toBe(200);
    });
  });

  describe('bytepower', () => {
    const token = () => sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' });
    const call = (path: string, body: object, clientIp?: string, authToken = token()) => {
      const request = t.http().post(path).set('Accept', ACCEPT).set('X-BytePower-Auth-Token', authToken);
      return (clientIp === undefined ? request : request.set('X-BytePower-Client-IP', clientIp)).send(body);
    };
    const login = (password: string, clientIp?: string) =>
      call('/bp/server/user/login', { name_password: { name: 'happymumu', password } }, clientIp);
    const statuses = async (tries: [string, string | undefined][]) => {
      const seen: number[] = [];
      for (const [password, clientIp] of tries) seen.push((await login(password, clientIp)).status);
      return seen;
    };

    beforeEach(async () => {
      expect((await call('/bp/server/user/signup', { name_password: { name: 'happymumu', password: 'Plum-Tree-42' } })).status).toBe(200);
    });

    it("happymumu: one end user's five wrong passwords do not lock another end user's right password", async () => {
      expect(await statuses(Array.from({ length: 5 }, (): [string, string] => ['wrong!', '203.0.113.5']))).toEqual([
        400, 400, 400, 400, 400,
      ]);
      const locked = await login('Plum-Tree-42', '203.0.113.5');
      expectWait(locked, 429);
      expect(locked.body.error.error_type).toBe('api_rate_limit');
      expect((await login('Plum-Tree-42', '203.0.113.6')).status).toBe(200);
    });

    it('counts per app alone without the header', async () => {
      expect(await statuses(Array.from({ length: 5 }, (): [string, undefined] => ['wrong!', undefined]))).toEqual([
        400, 400, 400, 400, 400,
      ]);
      expectWait(await login('Plum-Tree-42'), 429);
      expect((await login('Plum-Tree-42', '203.0.113.6')).status).toBe(200);
    });

    it('38 guesses from ten end-user addresses: the 21st failure locks the account for everyone', async () => {
      const guesses = Array.from({ length: 37 }, (_, i): [string, string] => [`wrong-${i}`, `203.0.113.${i % 10}`]);
      expect(await statuses(guesses)).toEqual([...Array<number>(21).fill(400), ...Array<number>(16).fill(429)]);
      expectWait(await login('Plum-Tree-42', '198.51.100.77'), 429);
    });

    it.each(['not-an-ip', '203.0.113.5, 203.0.113.6', 'fe80::1%eth0', '203.0.113.256', ''])(
      'refuses X-BytePower-Client-IP %j with invalid_parameter naming the header',
      async (value) => {
        const response = await login('Plum-Tree-42', value);
        expect(response.status).toBe(400);
        expect(response.body.error).toEqual({ error_type: 'invalid_parameter', message: expect.stringContaining('X-BytePower-Client-IP') });
      },
    );

    it('reads the header only once the server key is valid', async () => {
      const response = await call(
        '/bp/server/user/login',
        { name_password: { name: 'happymumu', password: 'Plum-Tree-42' } },
        'not-an-ip',
        'forged',
      );
      expect(response.status).toBe(401);
    });

    it('sends Retry-After with the code-resend 429: the seconds left of the interval', async () => {
      const send = () => call('/bp/server/user/send_email_verify_code', { email: 'new@example.com', type: 'sign_up_email' });
      expect((await send()).status).toBe(200);
      const tooSoon = await send();
      expect(tooSoon.body.error.error_type).toBe('api_rate_limit');
      expectWait(tooSoon, 429);
      expect(Number(tooSoon.headers['retry-after'])).toBeLessThanOrEqual(60);
    });
  });
});

describe('sign-in protection: rate limits and code sends', () => {
  let t: TestApp;
  let key: IssuedAppKey;

  beforeEach(async () => {
    // A fresh app per test: the per-client budget lives in the app's memory without Redis.
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2', CODE_RESEND_SECONDS: '0', CODE_SENDS_PER_HOUR: '1', TRUST_PROXY: 'loopback' });
    key = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({ name: 'App', id: 'app1' });
  });
  afterEach(() => t.close());

  const signup = (name: string, clientIp?: string, forwardedFor = '192.0.2.1') => {
    const request = t
      .http()
      .post('/bp/server/user/signup')
      .set('Accept', ACCEPT)
      .set('X-Forwarded-For', forwardedFor)
      .set(
        'X-BytePower-Auth-Token',
        sign({ key_name: key.keyName, iat: Math.floor(Date.now() / 1000) }, key.keySecret, { algorithm: 'HS256' }),
      );
    return (clientIp === undefined ? request : request.set('X-BytePower-Client-IP', clientIp)).send({
      name_password: { name, password: 'Plum-Tree-42' },
    });
  };

  it('bytepower: counts the rate limit per app and end-user address, whatever address the app server calls from', async () => {
    expect((await signup('a1', '203.0.113.5', '192.0.2.1')).status).toBe(200);
    expect((await signup('a2', '203.0.113.5', '192.0.2.2')).status).toBe(200);
    expect((await signup('a3', '203.0.113.5', '192.0.2.3')).status).toBe(429);
    expect((await signup('b1', '203.0.113.6')).status).toBe(200);
    expect((await signup('c1', '2001:db8::1')).status).toBe(200);
    expect((await signup('c2', '2001:db8::2')).status).toBe(200);
    expect((await signup('c3', '2001:db8::3')).status).toBe(429);
  });

  it('bytepower: counts the rate limit per app alone without the header', async () => {
    expect((await signup('a1', undefined, '192.0.2.1')).status).toBe(200);
    expect((await signup('a2', undefined, '192.0.2.2')).status).toBe(200);
    expect((await signup('a3', undefined, '192.0.2.3')).status).toBe(429);
  });

  it('enduser: the code-sends 429 carries Retry-After', async () => {
    await t.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.1.1', name: 'demo', settings: {} });
    const send = (forwardedFor: string) =>
      t
        .http()
        .post('/v2/mail/enduserapi/v2/sendEmail')
        .set('X-Forwarded-For', forwardedFor)
        .query({ email: 'a@example.com', emailType: 1, userDomain: 'C.DM.1.1' });
    expect((await send('192.0.2.1')).body.code).toBe(200);
    const refused = await send('192.0.2.2');
    expect(refused.body.code).toBe(5429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
  });
});
