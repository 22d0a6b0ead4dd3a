import { randomInt } from 'node:crypto';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, makeDataDir, removeDataDir, TestApp } from '../utils/create-test-app';
import { TcpProxy } from '../utils/tcp-proxy';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { join } from 'node:path';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';

/** Redis for the shared counters: TEST_REDIS_URL (`.ci/run` starts one); without it these tests are skipped. */
const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const describeWithRedis = TEST_REDIS_URL ? describe : describe.skip;

describeWithRedis('rate limits shared in Redis', () => {
  let dir: string;
  const apps: TestApp[] = [];
  let proxy: TcpProxy;
  let dbUrl: string;
  let proxiedRedisUrl: string;

  beforeAll(async () => {
    dir = makeDataDir();
    const url = new URL(TEST_REDIS_URL!);
    proxy = new TcpProxy(url.hostname, Number(url.port || 6379));
    url.host = `127.0.0.1:${await proxy.start()}`;
    proxiedRedisUrl = url.toString();
    const fresh = await freshDatabaseUrl();
    dbUrl = isMysql ? fresh : `sqlite:${join(dir, 'shared.sqlite')}`;
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await proxy.stop();
    await dropDatabase(dbUrl);
    removeDataDir(dir);
  });

  /** An instance on the shared database and Redis; behind a trusted proxy so each test is its own client. */
  const prefix = `unireg-test-shared-${process.pid}:`;
  const instance = async (redisUrl: string) => {
    const app = await createTestApp({
      DB_URL: dbUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      RATE_LIMIT_PER_MINUTE: '3',
      TRUST_PROXY: 'loopback',
    });
    apps.push(app);
    await app.app.get(TenantsService).ensure({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
    return app;
  };
  const client = () => `198.51.100.${randomInt(1, 255)}, 203.0.113.${randomInt(1, 255)}`;
  const attempt = (app: TestApp, forwardedFor: string) =>
    app
      .http()
      .post('/api/v1/register/email')
      .set('x-userpool-id', 'demo')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: 'x', password: 'Tulip-Garden-42' });

  it('gives two instances one budget per client', async () => {
    const [a, b] = [await instance(TEST_REDIS_URL!), await instance(TEST_REDIS_URL!)];
    const ip = client();
    const statuses = [];
    for (const app of [a, b, a, b, a]) statuses.push((await attempt(app, ip)).status);
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
  });

  it('gives two instances one budget of codes per email (CODE_SENDS_PER_HOUR)', async () => {
    const env = { DB_URL: dbUrl, REDIS_URL: TEST_REDIS_URL!, REDIS_KEY_PREFIX: prefix, CODE_RESEND_SECONDS: '0', CODE_SENDS_PER_HOUR: '2' };
    const [a, b] = [await createTestApp(env), await createTestApp(env)];
    apps.push(a, b);
    await a.app.get(TenantsService).ensure({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.4.4', name: 'C.DM.4.4', settings: {} });
    const email = `budget-${process.pid}-${randomInt(1_000_000)}@example.com`;
    const send = (app: TestApp) =>
      app.http().post('/v2/mail/enduserapi/v2/sendEmail').query({ email, emailType: 1, userDomain: 'C.DM.4.4' });
    const codes = [];
    for (const app of [a, b, a, b]) codes.push((await send(app)).body.code);
    expect(codes).toEqual([200, 200, 5429, 5429]);
  });

  it('counts failed logins of one account and client on every instance (LOGIN_FAILURES_PER_15_MIN)', async () => {
    const env = {
      DB_URL: dbUrl,
      REDIS_URL: TEST_REDIS_URL!,
      REDIS_KEY_PREFIX: prefix,
      LOGIN_FAILURES_PER_15_MIN: '3',
      TRUST_PROXY: 'loopback',
    };
    const [a, b] = [await createTestApp(env), await createTestApp(env)];
    apps.push(a, b);
    const username = `lock${randomInt(1_000_000)}`;
    const ip = client();
    const attributes = (password: string) => ({ data: { attributes: { username, password } } });
    await a.http().post('/api/register').send(attributes('Tulip-Garden-42')).expect(200);
    const login = (app: TestApp, password: string) => app.http().post('/api/login').set('X-Forwarded-For', ip).send(attributes(password));
    const codes = [];
    for (const app of [a, b, a]) codes.push((await login(app, 'wrong-password')).body.errors[0].code);
    codes.push((await login(b, 'Tulip-Garden-42')).body.errors?.[0]?.code);
    expect(codes).toEqual(['login_failed', 'login_failed', 'login_failures_times_toplimit', 'login_failures_times_toplimit']);
  });

  it('locks an account for every client on every instance past 20 failures from all clients', async () => {
    const env = { DB_URL: dbUrl, REDIS_URL: TEST_REDIS_URL!, REDIS_KEY_PREFIX: prefix, TRUST_PROXY: 'loopback' };
    const [a, b] = [await createTestApp(env), await createTestApp(env)];
    apps.push(a, b);
    const username = `spread${randomInt(1_000_000)}`;
    const attributes = (password: string) => ({ data: { attributes: { username, password } } });
    await a.http().post('/api/register').send(attributes('Plum-Tree-42')).expect(200);
    const login = (app: TestApp, password: string, client: number) =>
      app
        .http()
        .post('/api/login')
        .set('X-Forwarded-For', `203.0.113.${client % 10}`)
        .send(attributes(password));
    const codes = [];
    for (let i = 0; i < 21; i++) codes.push((await login(i % 2 ? a : b, 'wrong-password', i)).body.errors[0].code);
    codes.push((await login(a, 'Plum-Tree-42', 99)).body.errors?.[0]?.code);
    expect(codes).toEqual([...Array<string>(20).fill('login_failed'), 'login_failures_times_toplimit', 'login_failures_times_toplimit']);
  });

  it('lets requests through while Redis is away, reports it degraded, and counts again when it returns', async () => {
    const app = await instance(proxiedRedisUrl);
    const ip = client();
    await proxy.stop();
    for (let i = 0; i < 5; i++) expect((await attempt(app, ip)).status).toBe(400);
    const health = await app.http().get('/healthz');
    expect({ status: health.status, redis: health.body.details?.redis }).toEqual({ status: 200, redis: { status: 'degraded' } });
    expect((await app.http().get('/metrics')).text).toMatch(/^unireg_redis_up 0$/m);

    await proxy.start();
    let counted = false;
    for (let i = 0; i < 50 && !counted; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counted = (await app.http().get('/healthz')).body.details?.redis?.status === 'up';
    }
    expect(counted).toBe(true);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(app, ip)).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
  });
});
