import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Webhook } from 'standardwebhooks';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { TenantsService } from '../../src/users/tenants.service';
import { WebhookDeliveriesService } from '../../src/webhooks/webhook-deliveries.service';
import { WebhookDelivery } from '../../src/webhooks/webhook-delivery.entity';
import { WebhookEndpointsService } from '../../src/webhooks/webhook-endpoints.service';
import { createTestApp, makeDataDir, removeDataDir } from '../utils/create-test-app';
import { listeningPort, serviceEnvironment, spawnService } from '../utils/service-process';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { tickAndSettle, WebhookReceiver } from '../utils/webhook-receiver';
import { closedPort } from '../utils/sms-stand-ins';

function exited(server: ChildProcess): Promise<void> {
  return server.exitCode !== null || server.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => server.once('exit', () => resolve()));
}

/**
 * The outbox as an operator relies on it: a registration answered 200 has its event in the database, so a
 * service killed (SIGKILL) at that moment, before any delivery, loses nothing; the next instance delivers it.
 */
describe('webhooks: an instance killed right after a registration', () => {
  const dir = makeDataDir();
  let env: Record<string, string>;
  const receiver = new WebhookReceiver();
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    const db = isMysql ? await freshDatabaseUrl() : `sqlite:${join(dir, 'kill.sqlite')}`;
    env = serviceEnvironment(dir, 'kill.sqlite', { DB_URL: db, WEBHOOK_ALLOW_PRIVATE: 'true', RATE_LIMIT_PER_MINUTE: '0' });
    await receiver.start();
    // The tenant and its endpoint are set up in-process (with the service's JWT_SECRET, which seals the endpoint's secret).
    const setup = await createTestApp({
      DB_URL: db,
      DATA_DIR: dir,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_MS: '60000',
      REDIS_URL: '',
    });
    try {
      const tenant = await setup.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'kill', name: 'kill', settings: {} });
      receiver.secrets = [(await setup.app.get(WebhookEndpointsService).add(tenant, receiver.url)).secret];
    } finally {
      await setup.close();
    }
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      await exited(server);
    }
    await receiver.stop();
    await dropDatabase(env.DB_URL);
    removeDataDir(dir);
  });

  it('delivers the event from the next instance on the same database', async () => {
    // This instance's first tick would come after a minute: it is killed long before.
    const first = spawnService({ ...env, WEBHOOK_POLL_MS: '60000' });
    servers.push(first);
    const response = await fetch(`http://127.0.0.1:${await listeningPort(first)}/api/v1/register/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-userpool-id': 'kill' },
      body: JSON.stringify({ email: 'kept@example.com', password: 'Tulip-Garden-42' }),
    });
    first.kill('SIGKILL');
    expect(response.status).toBe(200);
    await exited(first);
    expect(receiver.requests).toBe(0);

    const second = spawnService({ ...env, WEBHOOK_POLL_MS: '200' });
    servers.push(second);
    await listeningPort(second);
    await receiver.waitFor(1, 30_000);
    expect(receiver.unverified).toBe(0);
    expect(receiver.received[0].payload).toMatchObject({ type: 'user.created', data: { user: { email: 'kept@example.com' } } });
    second.kill('SIGTERM');
    await exited(second);
    expect(receiver.received).toHaveLength(1);
  }, 120_000);
});

describe('webhooks: docs/examples/webhook-receiver.js', () => {
  it('runs as docs/webhooks.md shows, and takes what unireg sends, refusing a bad signature', async () => {
    const t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '60000', REDIS_URL: '' });
    const port = await closedPort();
    let example: ChildProcess | undefined;
    try {
      const tenant = await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'docs', name: 'docs', settings: {} });
      const { secret } = await t.app.get(WebhookEndpointsService).add(tenant, `http://127.0.0.1:${port}/`);
      example = spawn(process.execPath, ['docs/examples/webhook-receiver.js'], {
        env: { PATH: process.env.PATH ?? '', WEBHOOK_SECRET: secret, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines: string[] = [];
      createInterface({ input: example.stdout! }).on('line', (line) => lines.push(line));
      const waitForLine = async (pattern: RegExp) => {
        for (let waited = 0; !lines.some((line) => pattern.test(line)); waited += 25) {
          if (waited > 10_000) throw new Error(`the example printed ${JSON.stringify(lines)}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      };
      await waitForLine(new RegExp(`^listening on port ${port}$`));

      await t
        .http()
        .post('/api/v1/register/email')
        .set('x-userpool-id', 'docs')
        .send({ email: 'docs@example.com', password: 'Tulip-Garden-42' })
        .expect(200);
      await tickAndSettle(t.app.get(WebhookDeliveriesService));
      const [delivery] = await t.dataSource.getRepository(WebhookDelivery).find({ relations: { event: true } });
      expect(delivery).toMatchObject({ status: 'delivered', lastStatus: 204 });
      await waitForLine(new RegExp(`^${delivery.event!.messageId} user.created user \\d+ of userpool:docs$`));

      const body = '{"type":"user.created"}';
      const signedAt = new Date();
      const headers = {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
        'webhook-signature': new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).sign('msg_forged', signedAt, body),
      };
      const forged = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body });
      expect(forged.status).toBe(401);
    } finally {
      example?.kill('SIGTERM');
      if (example) await exited(example);
      await t.close();
    }
  }, 30_000);
});
