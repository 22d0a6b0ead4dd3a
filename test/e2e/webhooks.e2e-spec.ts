import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { Clock } from '../../src/clock/clock';
import { TransactionRunnerService } from '../../src/database/transaction-runner.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { OutboxEvent } from '../../src/events/outbox-event.entity';
import { UserEventType } from '../../src/events/user-event';
import { UserEventsService } from '../../src/events/user-events.service';
import type { Tenant } from '../../src/users/entities/tenant.entity';
import { UserStatus } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { RETRY_DELAYS_SECONDS } from '../../src/webhooks/retry-schedule';
import { LEASE_MS, WebhookDeliveriesService } from '../../src/webhooks/webhook-deliveries.service';
import { WebhookDeliveriesStore } from '../../src/webhooks/webhook-deliveries.store';
import { DeliveryStatus, WebhookDelivery } from '../../src/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../../src/webhooks/webhook-endpoint.entity';
import { WebhookEndpointsService } from '../../src/webhooks/webhook-endpoints.service';
import { WEBHOOK_TIMEOUT_MS } from '../../src/webhooks/webhook-sender';
import { createTestApp, makeDataDir, removeDataDir, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { tickAndSettle, WebhookReceiver } from '../utils/webhook-receiver';

/** A short attempt timeout, so that the hanging receiver's test takes half a second rather than 15. */
const TEST_TIMEOUT_MS = 500;

/** Time stands still and the worker's own timer never fires within a test: the test runs each tick. */
const FAKE_TIME_ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '60000', REDIS_URL: '' };

function fakeTimeApp(clock: FakeClock, env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp({ ...FAKE_TIME_ENV, ...env }, (builder) =>
    builder.overrideProvider(Clock).useValue(clock).overrideProvider(WEBHOOK_TIMEOUT_MS).useValue(TEST_TIMEOUT_MS),
  );
}

/** One database for two apps (SQLite file or MariaDB schema), which the test removes. */
async function sharedDatabase(): Promise<{ url: string; dispose: () => Promise<void> }> {
  if (isMysql) {
    const url = await freshDatabaseUrl();
    return { url, dispose: () => dropDatabase(url) };
  }
  const dir = makeDataDir();
  return { url: `sqlite:${join(dir, 'shared.sqlite')}`, dispose: () => Promise.resolve(removeDataDir(dir)) };
}

function recordEvent(t: TestApp, tenant: Tenant, userId = 1): Promise<void> {
  const subject = {
    user: {
      id: userId,
      email: `u${userId}@example.com`,
      username: null,
      phoneNormalized: null,
      status: UserStatus.Active,
      createdAt: Date.UTC(2026, 0, 1),
    },
    tenant,
  };
  return t.app
    .get(TransactionRunnerService)
    .run((transaction) => t.app.get(UserEventsService).record(transaction, UserEventType.Login, subject, 'test'));
}

const DELIVERED = /unireg_webhook_deliveries_total\{outcome="delivered"\}/;
const RETRIED = /unireg_webhook_deliveries_total\{outcome="retried"\}/;
const FAILED = /unireg_webhook_deliveries_total\{outcome="failed"\}/;
const DISABLED = /unireg_webhook_endpoints_disabled_total/;

const deliveries = (t: TestApp) => t.dataSource.getRepository(WebhookDelivery).find({ order: { id: 'ASC' } });
const endpointRow = (t: TestApp, id: number) => t.dataSource.getRepository(WebhookEndpoint).findOneByOrFail({ id });

async function metricValue(t: TestApp, line: RegExp): Promise<number | undefined> {
  const text = (await t.http().get('/metrics')).text;
  const found = new RegExp(`^${line.source} (\\S+)$`, 'm').exec(text);
  return found ? Number(found[1]) : undefined;
}

/** A counter's value now, 0 before its first count; counters outlive `reset()`, so tests compare before and after. */
const counter = async (t: TestApp, line: RegExp) => (await metricValue(t, line)) ?? 0;

async function metric(t: TestApp, line: RegExp): Promise<number> {
  const value = await metricValue(t, line);
  if (value === undefined) throw new Error(`no metric ${line.source}`);
  return value;
}

describe('webhooks: delivery', () => {
  let t: TestApp;
  let clock: FakeClock;
  let receiver: WebhookReceiver;
  let tenant: Tenant;
  let endpointId: number;

  const tick = () => tickAndSettle(t.app.get(WebhookDeliveriesService));
  const addEndpoint = async (url = receiver.url, events?: string[]) => {
    const { endpoint, secret } = await t.app.get(WebhookEndpointsService).add(tenant, url, events);
    return { id: endpoint.id, secret };
  };

  beforeAll(async () => {
    clock = new FakeClock(Date.now());
    t = await fakeTimeApp(clock);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    tenant = await t.app
      .get(TenantsService)
      .create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: { passwordStrength: 1 } });
    receiver = new WebhookReceiver();
    await receiver.start();
    const { id, secret } = await addEndpoint();
    endpointId = id;
    receiver.secrets = [secret];
  });
  afterEach(() => receiver.stop());

  it('delivers a registration made through a dialect API, signed and verifiable, as §2.9 shapes it', async () => {
    const deliveredBefore = await counter(t, DELIVERED);
    const registered = await t
      .http()
      .post('/api/v1/register/email')
      .set('x-userpool-id', 'demo')
      .send({ email: 'alice@example.com', password: 'Tulip-Garden-42' });
    expect(registered.status).toBe(200);
    await tick();

    expect(receiver.unverified).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [webhook] = receiver.received;
    expect(webhook.payload).toEqual({
      type: 'user.created',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        tenant: { kind: 'userpool', id: 'demo' },
        user: {
          id: Number(registered.body.data.id),
          email: 'alice@example.com',
          username: null,
          mobile: null,
          status: 'active',
          createdAt: expect.stringMatching(/Z$/),
        },
        dialect: 'userpool',
        source: 'basic:email',
      },
    });
    expect(webhook.body).not.toMatch(/Tulip|password|hash/i);
    expect(webhook.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^unireg-webhooks\/\d+\.\d+\.\d+$/),
      'webhook-id': expect.stringMatching(/^msg_/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/=]+$/),
    });
    expect(Math.abs(Number(webhook.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(await deliveries(t)).toEqual([
      expect.objectContaining({ status: DeliveryStatus.Delivered, attempts: 1, lastStatus: 200, lastError: null, leaseOwner: null }),
    ]);
    expect((await counter(t, DELIVERED)) - deliveredBefore).toBe(1);
    expect(await metric(t, /unireg_webhook_oldest_undelivered_seconds/)).toBe(0);
  });

  it('sends only the event types an endpoint takes', async () => {
    await t.app.get(WebhookEndpointsService).disable(endpointId);
    const created = new WebhookReceiver();
    await created.start();
    try {
      const { secret } = await addEndpoint(created.url, ['user.created']);
      created.secrets = [secret];
      await recordEvent(t, tenant);
      await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'demo')
        .send({ email: 'bob@example.com', password: 'Tulip-Garden-42' });
      await tick();
      expect(created.received.map((webhook) => webhook.payload.type)).toEqual(['user.created']);
    } finally {
      await created.stop();
    }
  });

  it('hands out in one tick the events no endpoint takes, with no delivery, beside those it delivers', async () => {
    const quiet = await t.app
      .get(TenantsService)
      .create({ kind: USERPOOL_TENANT_KIND, code: 'quiet', name: 'quiet', settings: { passwordStrength: 1 } });
    await t.app.get(WebhookEndpointsService).disable(endpointId);
    const { id: createdOnly, secret } = await addEndpoint(receiver.url, ['user.created']);
    receiver.secrets = [secret];
    await recordEvent(t, quiet, 1);
    await recordEvent(t, tenant, 2);
    await t
      .http()
      .post('/api/v1/register/email')
      .set('x-userpool-id', 'demo')
      .send({ email: 'bob@example.com', password: 'Tulip-Garden-42' });
    await recordEvent(t, quiet, 3);
    await tick();
    const events = await t.dataSource.getRepository(OutboxEvent).find({ order: { id: 'ASC' } });
    expect(events.map((event) => [event.tenantId, event.type, event.dispatchedAt !== null])).toEqual([
      [quiet.id, 'user.login', true],
      [tenant.id, 'user.login', true],
      [tenant.id, 'user.created', true],
      [quiet.id, 'user.login', true],
    ]);
    expect((await deliveries(t)).map((delivery) => [delivery.eventId, delivery.endpointId])).toEqual([[events[2].id, createdOnly]]);
    expect(receiver.received.map((webhook) => webhook.payload.type)).toEqual(['user.created']);
  });

  it('retries on the Standard Webhooks schedule with the same webhook-id, then marks the delivery failed', async () => {
    const retriedBefore = await counter(t, RETRIED);
    const failedBefore = await counter(t, FAILED);
    receiver.status = 500;
    await recordEvent(t, tenant);
    await tick();
    expect(receiver.received).toHaveLength(1);
    for (const [index, seconds] of RETRY_DELAYS_SECONDS.entries()) {
      const [pending] = await deliveries(t);
      expect(pending).toMatchObject({ status: DeliveryStatus.Pending, attempts: index + 1, lastStatus: 500, lastError: 'HTTP 500' });
      const wait = pending.nextAttemptAt - clock.now();
      expect(wait).toBeGreaterThanOrEqual(seconds * 900);
      expect(wait).toBeLessThanOrEqual(seconds * 1100);
      clock.advance(seconds * 0.89);
      await tick();
      expect(receiver.received).toHaveLength(index + 1);
      clock.advance(seconds * 0.22);
      await tick();
      expect(receiver.received).toHaveLength(index + 2);
    }
    expect(await deliveries(t)).toEqual([expect.objectContaining({ status: DeliveryStatus.Failed, attempts: 10, lastStatus: 500 })]);
    expect(new Set(receiver.ids).size).toBe(1);
    clock.advance(7 * 86_400);
    await tick();
    expect(receiver.received).toHaveLength(10);
    expect((await counter(t, RETRIED)) - retriedBefore).toBe(9);
    expect((await counter(t, FAILED)) - failedBefore).toBe(1);
  });

  it('delivers once a receiver that was down comes back', async () => {
    const port = receiver.port;
    await receiver.stop();
    await recordEvent(t, tenant);
    await tick();
    expect(await deliveries(t)).toEqual([
      expect.objectContaining({ status: DeliveryStatus.Pending, attempts: 1, lastStatus: null, lastError: 'ECONNREFUSED' }),
    ]);
    expect((await endpointRow(t, endpointId)).failingSince).toBe(clock.now());
    expect(await metric(t, /unireg_webhook_oldest_undelivered_seconds/)).toBe(0);
    clock.advance(30);
    expect(await metric(t, /unireg_webhook_oldest_undelivered_seconds/)).toBe(30);

    await receiver.start(port);
    clock.advance(6);
    await tick();
    expect(receiver.received).toHaveLength(1);
    expect(await deliveries(t)).toEqual([expect.objectContaining({ status: DeliveryStatus.Delivered, attempts: 2, lastStatus: 200 })]);
    expect((await endpointRow(t, endpointId)).failingSince).toBeNull();
  });

  it('disables an endpoint that failed for 5 days, holds its deliveries, and resumes them when enabled', async () => {
    const disabledBefore = await counter(t, DISABLED);
    receiver.status = 503;
    await recordEvent(t, tenant, 1);
    await tick();
    clock.advance(5 * 86_400 - 60);
    await recordEvent(t, tenant, 2);
    await tick();
    expect((await endpointRow(t, endpointId)).enabled).toBe(true);
    clock.advance(60);
    await recordEvent(t, tenant, 3);
    await tick();
    const disabled = await endpointRow(t, endpointId);
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'every delivery failed for 5 days', disabledAt: clock.now() });
    expect((await counter(t, DISABLED)) - disabledBefore).toBe(1);

    const sent = receiver.requests;
    await recordEvent(t, tenant, 4);
    clock.advance(86_400);
    await tick();
    expect(receiver.requests).toBe(sent);
    expect(await metric(t, /unireg_webhook_oldest_undelivered_seconds/)).toBe(0);

    receiver.status = 200;
    await t.app.get(WebhookEndpointsService).enable(endpointId);
    expect((await endpointRow(t, endpointId)).failingSince).toBeNull();
    await tick();
    // The three held deliveries went; the event written while the endpoint was disabled got none.
    expect((await deliveries(t)).map((delivery) => delivery.status)).toEqual([
      DeliveryStatus.Delivered,
      DeliveryStatus.Delivered,
      DeliveryStatus.Delivered,
    ]);
    expect(receiver.received.filter((webhook) => webhook.payload.data.user.id === 4)).toHaveLength(0);
  });

  it('sends the held deliveries at once when an endpoint is enabled, though their next attempt was minutes away', async () => {
    receiver.status = 503;
    await recordEvent(t, tenant);
    await tick();
    clock.advance(RETRY_DELAYS_SECONDS[0] * 1.1);
    await tick();
    expect(receiver.requests).toBe(2);
    const [held] = await deliveries(t);
    expect(held.nextAttemptAt - clock.now()).toBeGreaterThan(4 * 60_000);

    await t.app.get(WebhookEndpointsService).disable(endpointId);
    receiver.status = 200;
    await t.app.get(WebhookEndpointsService).enable(endpointId);
    expect((await deliveries(t))[0].nextAttemptAt).toBe(clock.now());
    await tick();
    expect(receiver.requests).toBe(3);
    expect(await deliveries(t)).toEqual([expect.objectContaining({ status: DeliveryStatus.Delivered, attempts: 3, lastStatus: 200 })]);
  });

  it('signs with both secrets during a rotation’s grace, then with the new one alone', async () => {
    const [oldSecret] = receiver.secrets;
    const { secret: newSecret } = await t.app.get(WebhookEndpointsService).rotateSecret(endpointId, 24);
    receiver.secrets = [newSecret];
    await recordEvent(t, tenant, 1);
    await tick();
    const during = receiver.received[0];
    const signatures = String(during.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    const headers = (signature: string) => ({ ...(during.headers as Record<string, string>), 'webhook-signature': signature });
    expect(() => new Webhook(newSecret).verify(during.body, headers(signatures[0]))).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(during.body, headers(signatures[1]))).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();

    clock.advance(24 * 3600 + 1);
    await recordEvent(t, tenant, 2);
    await tick();
    const after = receiver.received[1];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(oldSecret).verify(after.body, after.headers as Record<string, string>)).toThrow();
    expect(receiver.unverified).toBe(0);
  });

  it('replays a delivery with the same webhook-id, its attempts starting over', async () => {
    await recordEvent(t, tenant);
    await tick();
    const [delivered] = await deliveries(t);
    await t.app.get(WebhookEndpointsService).replay(delivered.id);
    expect(await deliveries(t)).toEqual([expect.objectContaining({ status: DeliveryStatus.Pending, attempts: 0, deliveredAt: null })]);
    await tick();
    expect(receiver.ids).toHaveLength(2);
    expect(receiver.ids[1]).toBe(receiver.ids[0]);
    expect(await deliveries(t)).toEqual([expect.objectContaining({ status: DeliveryStatus.Delivered, attempts: 1 })]);
  });

  it('leaves a delivery another instance holds, and takes it over once that lease runs out', async () => {
    await recordEvent(t, tenant);
    await tick();
    const [delivery] = await deliveries(t);
    await t.app.get(WebhookEndpointsService).replay(delivery.id);
    // An instance that took the lease and then died.
    const now = clock.now();
    await t.app
      .get(TransactionRunnerService)
      .runStatement((transaction) => t.app.get(WebhookDeliveriesStore).claim(transaction, delivery.id, 'crashed', now, now + LEASE_MS));
    await tick();
    expect(receiver.received).toHaveLength(1);
    clock.advance(LEASE_MS / 1000 + 1);
    await tick();
    expect(receiver.received).toHaveLength(2);
    expect(await deliveries(t)).toEqual([
      expect.objectContaining({ status: DeliveryStatus.Delivered, leaseOwner: null, leaseUntil: null }),
    ]);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const elsewhere = new WebhookReceiver(...receiver.secrets);
    await elsewhere.start();
    try {
      receiver.status = 307;
      receiver.answerHeaders = { location: elsewhere.url };
      await recordEvent(t, tenant);
      await tick();
      expect(elsewhere.requests).toBe(0);
      expect(await deliveries(t)).toEqual([
        expect.objectContaining({ status: DeliveryStatus.Pending, lastStatus: 307, lastError: 'HTTP 307' }),
      ]);
    } finally {
      await elsewhere.stop();
    }
  });

  it('reads no more than a few KiB of an answer', async () => {
    receiver.mode = 'big';
    await recordEvent(t, tenant);
    await tick();
    expect(await receiver.bigFinished).toBe(false);
    expect(await deliveries(t)).toEqual([expect.objectContaining({ status: DeliveryStatus.Delivered, lastStatus: 200 })]);
  });

  it('gives up on an attempt that takes longer than the timeout', async () => {
    receiver.mode = 'hang';
    await recordEvent(t, tenant);
    const started = Date.now();
    await tick();
    expect(Date.now() - started).toBeLessThan(TEST_TIMEOUT_MS * 6);
    expect(await deliveries(t)).toEqual([
      expect.objectContaining({ status: DeliveryStatus.Pending, lastStatus: null, lastError: 'no answer within 0.5 s' }),
    ]);
  });

  it('counts a dropped connection as a failed attempt', async () => {
    receiver.mode = 'close';
    await recordEvent(t, tenant);
    await tick();
    expect(await deliveries(t)).toEqual([
      expect.objectContaining({ status: DeliveryStatus.Pending, lastStatus: null, lastError: 'ECONNRESET' }),
    ]);
  });
});

describe('webhooks: two instances on one database', () => {
  let database: { url: string; dispose: () => Promise<void> };
  let receiver: WebhookReceiver;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await sharedDatabase();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await receiver.stop();
  });
  afterAll(() => database.dispose());

  it('deliver each event exactly once', async () => {
    const env = { DB_URL: database.url, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '100' };
    // One after the other: on MariaDB the first runs the migrations.
    apps.push(await createTestApp(env));
    apps.push(await createTestApp(env));
    const [first] = apps;
    await first.reset();
    const tenant = await first.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'pair', name: 'pair', settings: {} });
    receiver = new WebhookReceiver();
    await receiver.start();
    const { secret } = await first.app.get(WebhookEndpointsService).add(tenant, receiver.url);
    receiver.secrets = [secret];
    const events = 60;
    for (let user = 1; user <= events; user++) {
      await recordEvent(apps[user % 2], tenant, user);
    }
    await receiver.waitFor(events);
    // Time for a second delivery of any event to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.unverified).toBe(0);
    expect(receiver.received).toHaveLength(events);
    expect(new Set(receiver.ids).size).toBe(events);
    expect((await deliveries(first)).every((delivery) => delivery.status === DeliveryStatus.Delivered && delivery.attempts === 1)).toBe(
      true,
    );
  });

  it('refuse a private address at delivery time when WEBHOOK_ALLOW_PRIVATE is off, though it was on when the endpoint was added', async () => {
    const clock = new FakeClock(Date.now());
    const env = { ...FAKE_TIME_ENV, DB_URL: database.url };
    apps.push(await fakeTimeApp(clock, env));
    apps.push(await fakeTimeApp(clock, { ...env, WEBHOOK_ALLOW_PRIVATE: 'false' }));
    const [open, strict] = apps;
    await open.reset();
    const tenant = await open.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'strict', name: 'strict', settings: {} });
    receiver = new WebhookReceiver();
    await receiver.start();
    const byAddress = await open.app.get(WebhookEndpointsService).add(tenant, receiver.url);
    const byName = await open.app.get(WebhookEndpointsService).add(tenant, `http://localhost:${receiver.port}/hooks`);
    receiver.secrets = [byAddress.secret, byName.secret];
    await recordEvent(strict, tenant);
    await tickAndSettle(strict.app.get(WebhookDeliveriesService));

    expect(receiver.requests).toBe(0);
    const rows = await deliveries(strict);
    expect(rows.map(({ endpointId, status, lastStatus, lastError }) => ({ endpointId, status, lastStatus, lastError }))).toEqual([
      {
        endpointId: byAddress.endpoint.id,
        status: DeliveryStatus.Pending,
        lastStatus: null,
        lastError: 'refused: 127.0.0.1 is a loopback address',
      },
      {
        endpointId: byName.endpoint.id,
        status: DeliveryStatus.Pending,
        lastStatus: null,
        lastError: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/),
      },
    ]);
  });
});

/** The real attempt timeout (15 s): these tests show that nothing waits for it. */
describe('webhooks: a pool of sends', () => {
  let database: { url: string; dispose: () => Promise<void> };
  const receivers: WebhookReceiver[] = [];
  const apps: TestApp[] = [];

  const realTimeoutApp = async (clock: FakeClock): Promise<TestApp> => {
    const app = await createTestApp({ ...FAKE_TIME_ENV, DB_URL: database.url }, (builder) =>
      builder.overrideProvider(Clock).useValue(clock),
    );
    apps.push(app);
    return app;
  };
  const startReceiver = async (mode: WebhookReceiver['mode']): Promise<WebhookReceiver> => {
    const receiver = new WebhookReceiver();
    receiver.mode = mode;
    receivers.push(receiver);
    await receiver.start();
    return receiver;
  };
  const endpointFor = async (t: TestApp, code: string, receiver: WebhookReceiver): Promise<{ tenant: Tenant; endpointId: number }> => {
    const tenant = await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code, name: code, settings: {} });
    const { endpoint, secret } = await t.app.get(WebhookEndpointsService).add(tenant, receiver.url);
    receiver.secrets = [secret];
    return { tenant, endpointId: endpoint.id };
  };

  beforeAll(async () => {
    database = await sharedDatabase();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
  });
  afterAll(() => database.dispose());

  it('a hanging receiver of one tenant does not hold up another tenant’s events', async () => {
    const t = await realTimeoutApp(new FakeClock(Date.now()));
    await t.reset();
    const hanging = await startReceiver('hang');
    const healthy = await startReceiver('status');
    const slow = await endpointFor(t, 'slow', hanging);
    const quick = await endpointFor(t, 'quick', healthy);
    const service = t.app.get(WebhookDeliveriesService);

    const started = Date.now();
    await recordEvent(t, slow.tenant, 1);
    await service.tick();
    await hanging.waitFor(1);
    await recordEvent(t, quick.tenant, 2);
    await service.tick();
    await healthy.waitFor(1, 5000);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The hanging attempt is still open: leased, no outcome recorded.
    const rows = await deliveries(t);
    expect(rows.find((row) => row.endpointId === slow.endpointId)).toMatchObject({
      status: DeliveryStatus.Pending,
      attempts: 0,
      leaseOwner: expect.any(String),
    });
    expect(rows.find((row) => row.endpointId === quick.endpointId)).toMatchObject({ status: DeliveryStatus.Delivered, attempts: 1 });
  });

  it('on shutdown cuts its sends short, gives their leases back, and another instance sends them at once', async () => {
    const clock = new FakeClock(Date.now());
    // One after the other: on MariaDB the first runs the migrations.
    const stopping = await realTimeoutApp(clock);
    const other = await realTimeoutApp(clock);
    await stopping.reset();
    const receiver = await startReceiver('hang');
    const { tenant } = await endpointFor(stopping, 'handover', receiver);
    await recordEvent(stopping, tenant, 1);
    await stopping.app.get(WebhookDeliveriesService).tick();
    await receiver.waitFor(1);

    const started = Date.now();
    await apps.splice(apps.indexOf(stopping), 1)[0].close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await deliveries(other)).toEqual([
      expect.objectContaining({ status: DeliveryStatus.Pending, attempts: 0, leaseOwner: null, leaseUntil: null }),
    ]);

    receiver.mode = 'status';
    await tickAndSettle(other.app.get(WebhookDeliveriesService));
    expect(receiver.ids).toHaveLength(2);
    expect(receiver.ids[1]).toBe(receiver.ids[0]);
    expect(await deliveries(other)).toEqual([expect.objectContaining({ status: DeliveryStatus.Delivered, attempts: 1, lastStatus: 200 })]);
  });
});
