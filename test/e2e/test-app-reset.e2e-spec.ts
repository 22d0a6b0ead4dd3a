import { DomainErrorCode } from '../../src/error-codes/domain-error-code.enum';
import { AttemptCounterService } from '../../src/rate-limit/attempt-counter.service';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';

const stores: [string, Record<string, string>][] = [['in memory', { REDIS_URL: '' }]];
if (process.env.TEST_REDIS_URL) {
  stores.push(['in Redis', {}]);
}

/** `TestApp.reset()` leaves no count behind, so no test inherits another's budget or lock. */
describe.each(stores)('TestApp.reset() with the counters %s', (_store, env) => {
  const policy = { limit: 2, windowSeconds: 900, lockSeconds: 900 };
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ...env, RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  const attempt = async () => {
    await t.app.get(TenantsService).ensure({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
    return (await t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').send({ email: 'x', password: 'secret1' })).status;
  };
  const budget = () => t.app.get(AttemptCounterService).budget('alice|127.0.0.1', policy);
  const fail = async () => {
    const attempts = budget();
    await attempts.reserve();
    await attempts.recordFailure();
  };

  it('gives the client its per-IP budget back', async () => {
    const statuses = [await attempt(), await attempt(), await attempt()];
    expect(statuses).toEqual([400, 400, 429]);
    await t.reset();
    expect(await attempt()).toBe(400);
  });

  it('unlocks a key that failed logins locked', async () => {
    await fail();
    await fail();
    await expect(budget().reserve()).rejects.toMatchObject({ code: DomainErrorCode.LOGIN_LOCKED });
    await t.reset();
    const afterReset = budget();
    await expect(afterReset.reserve()).resolves.toBeUndefined();
    await afterReset.release();
  });
});
