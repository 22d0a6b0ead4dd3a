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

  it('honours only the proxies of a narrow IPv4-mapped range: twelve wrong logins with forged X-Forwarded-For lock', async () => {
    // The test client connects from loopback, which `::ffff:10.0.0.0/104` (10.0.0.0/8) does not cover.
    const app = await appWith({ RATE_LIMIT_PER_MINUTE: '0', TRUST_PROXY: '::ffff:10.0.0.0/104' });
    const call = (path: string, attributes: object, forwardedFor: string) =>
      app
        .http()
        .post(path)
        .set('Content-Type', 'application/vnd.api+json')
        .set('X-Forwarded-For', forwardedFor)
        .send(JSON.stringify({ data: { attributes } }));
    expect((await call('/api/register', { username: 'alice', password: 'Plum-Tree-42' }, '192.0.2.1')).status).toBe(200);
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) seen.push((await call('/api/login', { username: 'alice', password: 'wrong' }, `203.0.113.${i}`)).status);
    expect(seen).toEqual([403, 403, 403, 403, ...Array<number>(8).fill(402)]);
  });

  it('starts with IPv6 entries that end in a dotted IPv4 address, and still ignores X-Forwarded-For from loopback', async () => {
    const app = await appWith({ TRUST_PROXY: '64:ff9b::10.0.0.0/104,::1.2.3.4,2001:db8::1.2.3.4,::ffff:1.0.0.0/104' });
    expect(await statuses(app, (i) => `203.0.113.${i}`, 3)).toEqual([400, 400, 429]);
  });

  it('takes a hop count', async () => {
    const app = await appWith({ TRUST_PROXY: '1' });
    expect(await statuses(app, (i) => `203.0.113.${i}`, 3)).toEqual([400, 400, 400]);
  });
});
