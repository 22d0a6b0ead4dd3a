import { sign } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { BytepowerAdminService } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';

/** Every dialect's 429 carries the IETF rate-limit fields and Retry-After, in its own envelope. */
describe('rate limit headers', () => {
  const LIMIT = 2;
  let t: TestApp;
  let bytepowerToken: string;

  beforeEach(async () => {
    // A fresh app per test: the per-IP budget lives in the app's memory.
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    const tenants = t.app.get(TenantsService);
    await tenants.create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
    await tenants.create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.1.1', name: 'demo', settings: {} });
    const key = await new BytepowerAdminService(tenants, t.app.get(ServerKeysService)).createApp({ name: 'demo', id: 'demo' });
    bytepowerToken = sign({ key_name: key.keyName, iat: Date.now() }, key.keySecret, { algorithm: 'HS256' });
  });
  afterEach(() => t.close());

  const dialects: [string, () => Promise<Response>, (body: Record<string, unknown>) => unknown][] = [
    [
      'userpool',
      () => t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').send({ email: 'not-an-email', password: 'secret1' }),
      (body) => body.code,
    ],
    ['enduser', () => t.http().post('/v2/enduser/enduserapi/emailPwdRegister').query({ userDomain: 'C.DM.1.1' }), (body) => body.code],
    [
      'bytepower',
      () =>
        t
          .http()
          .post('/bp/server/user/signup')
          .set('Accept', 'application/vnd.bytepower.v1+json')
          .set('X-BytePower-Auth-Token', bytepowerToken)
          .send({}),
      (body) => (body.error as { error_type: string }).error_type,
    ],
    [
      'jsonapi-users',
      () =>
        t
          .http()
          .post('/api/register')
          .send({ data: { attributes: {} } }),
      (body) => (body.errors as { code: string }[])[0].code,
    ],
  ];

  it.each(dialects)(
    '%s: RateLimit-* on every guarded answer, then 429 with Retry-After in its envelope',
    async (dialect, attempt, codeOf) => {
      const first = await attempt();
      expect(first.status).not.toBe(429);
      expect(first.headers).toMatchObject({
        'ratelimit-limit': String(LIMIT),
        'ratelimit-remaining': String(LIMIT - 1),
        'ratelimit-reset': expect.stringMatching(/^\d+$/),
        'ratelimit-policy': `${LIMIT};w=60`,
      });
      await attempt();
      const limited = await attempt();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.headers).toMatchObject({
        'ratelimit-limit': String(LIMIT),
        'ratelimit-remaining': '0',
        'ratelimit-reset': limited.headers['retry-after'],
      });
      expect(Object.keys(limited.headers).filter((name) => /x-ratelimit|per-ip/i.test(name))).toEqual([]);
      const expected = { userpool: 2100, enduser: 5429, bytepower: 'api_rate_limit', 'jsonapi-users': 'too_many_requests' }[dialect];
      expect(codeOf(limited.body)).toBe(expected);
    },
  );
});
