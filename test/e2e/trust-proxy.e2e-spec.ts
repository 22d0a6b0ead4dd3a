import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';

/** The client address behind rate limits comes from X-Forwarded-For only through a trusted proxy. */
describe('TRUST_PROXY', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const appWith = async (env: Record<string, string>) => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2', ...env });
    await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
    return t;
  };
  const attempt = (app: TestApp, forwardedFor?: string) => {
    const call = app.http().post('/api/v1/register/email').set('x-userpool-id', 'demo');
    return (forwardedFor === undefined ? call : call.set('X-Forwarded-For', forwardedFor)).send({ email: 'x', password: 'secret1' });
  };
  const statuses = async (app: TestApp, forwardedFor: (i: number) => string | undefined, count: number) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await attempt(app, forwardedFor(i))).status);
    return seen;
  };

  it('ignores a spoofed X-Forwarded-For when unset: every request counts for the socket address', async () => {
    const app = await appWith({});
    expect(await statuses(app, (i) => `203.0.113.${i}`, 3)).toEqual([400, 400, 429]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const app = await appWith({ TRUST_PROXY: '10.0.0.1' });
    expect(await statuses(app, (i) => `203.0.113.${i}`, 3)).toEqual([400, 400, 429]);
  });

  it('honours the address a trusted proxy saw, and only that one', async () => {
    const app = await appWith({ TRUST_PROXY: 'loopback' });
    expect(await statuses(app, (i) => `203.0.113.${i}`, 3)).toEqual([400, 400, 400]);
    // A client that forges the left of the chain still counts as the address the proxy appended.
    expect(await statuses(app, (i) => `198.51.100.${i}, 192.0.2.7`, 3)).toEqual([400, 400, 429]);
  });

  it('takes a hop count', async () => {
    const app = await appWith({ TRUST_PROXY: '1' });
    expect(await statuses(app, (i) => `203.0.113.${i}`, 3)).toEqual([400, 400, 400]);
  });
});
