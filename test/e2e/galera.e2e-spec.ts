import { createConnection } from 'mysql2/promise';
import { User } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { SmtpTestServer } from '../utils/smtp-test-server';
import { WebhookReceiver } from '../utils/webhook-receiver';
import { WebhookEndpointsService } from '../../src/webhooks/webhook-endpoints.service';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';

/**
 * Three unireg instances, one on each node of a multi-primary MariaDB Galera cluster
 * (`scripts/galera-cluster.sh start`; `.ci/run` does it). TEST_GALERA_URLS names the three nodes,
 * comma-separated, e.g. `mysql://unireg@127.0.0.1:3311,mysql://unireg@127.0.0.1:3312,...`; without it
 * these tests are skipped.
 */
const NODES = process.env.TEST_GALERA_URLS?.split(',').map((url) => url.trim());
const describeOnGalera = NODES ? describe : describe.skip;

describeOnGalera('a three-node Galera cluster', () => {
  const database = `unireg_galera_${process.pid}`;
  const smtp = new SmtpTestServer();
  const apps: TestApp[] = [];

  const onNode = async (node: number, sql: string) => {
    const url = new URL(NODES![node]);
    const connection = await createConnection({ host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username) });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  const nodeUrl = (node: number) => `${NODES![node].replace(/\/$/, '')}/${database}`;

  beforeAll(async () => {
    await onNode(0, `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
    const smtpUrl = await smtp.start();
    // One at a time: the first applies the migrations, the others find them done.
    for (const node of [0, 1, 2]) {
      // Every instance delivers webhooks, as in production: the leases must keep one event to one delivery across nodes.
      apps.push(await createTestApp({ DB_URL: nodeUrl(node), SMTP_URL: smtpUrl, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '100' }));
    }
    const tenants = apps[0].app.get(TenantsService);
    await tenants.create({ kind: USERPOOL_TENANT_KIND, code: 'galera', name: 'galera', settings: {} });
    await tenants.create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.9.1', name: 'C.DM.9.1', settings: {} });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await smtp.stop();
    await onNode(0, `DROP DATABASE IF EXISTS \`${database}\``);
  });

  it('answers one 200 and only duplicate errors to 21 registrations of one email split across the nodes, round after round', async () => {
    for (let round = 0; round < 10; round++) {
      const email = `race${round}@example.com`;
      const responses = await Promise.all(
        Array.from({ length: 21 }, (_, i) =>
          apps[i % 3].http().post('/api/v1/register/email').set('x-userpool-id', 'galera').send({ email, password: 'Tulip-Garden-42' }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, ...Array(20).fill(409)] });
      for (const response of responses.filter((r) => r.status === 409)) {
        expect(response.body.code).toBe(2026);
      }
      expect(await apps[round % 3].dataSource.getRepository(User).countBy({ emailNormalized: email })).toBe(1);
    }
  }, 120_000);

  it('answers one token and only validation errors to 21 registrations of one Discuz! Q username across the nodes', async () => {
    for (let round = 0; round < 3; round++) {
      const username = `racer${round}`;
      const responses = await Promise.all(
        Array.from({ length: 21 }, (_, i) =>
          apps[i % 3]
            .http()
            .post('/api/register')
            .send({ data: { attributes: { username, password: 'Tulip-Garden-42' } } }),
        ),
      );
      expect({ round, statuses: responses.map((response) => response.status).sort() }).toEqual({
        round,
        statuses: [200, ...Array(20).fill(422)],
      });
      expect(await apps[0].dataSource.getRepository(User).countBy({ usernameNormalized: username })).toBe(1);
    }
  }, 120_000);

  it('delivers each registration made across the nodes to a webhook exactly once, with every node running delivery', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    try {
      const tenant = await apps[0].app
        .get(TenantsService)
        .create({ kind: USERPOOL_TENANT_KIND, code: 'galera-hooks', name: 'hooks', settings: {} });
      const { secret } = await apps[1].app.get(WebhookEndpointsService).add(tenant, receiver.url);
      receiver.secrets = [secret];
      const registrations = 30;
      const responses = await Promise.all(
        Array.from({ length: registrations }, (_, i) =>
          apps[i % 3]
            .http()
            .post('/api/v1/register/email')
            .set('x-userpool-id', 'galera-hooks')
            .send({ email: `hook${i}@example.com`, password: 'Tulip-Garden-42' }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(registrations).fill(200));
      await receiver.waitFor(registrations, 60_000);
      // Time for a second delivery of any event to show.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(receiver.unverified).toBe(0);
      expect(receiver.received).toHaveLength(registrations);
      expect(new Set(receiver.ids).size).toBe(registrations);
      expect(new Set(receiver.received.map((webhook) => webhook.payload.data.user.email))).toEqual(
        new Set(Array.from({ length: registrations }, (_, i) => `hook${i}@example.com`)),
      );
    } finally {
      await receiver.stop();
    }
  }, 120_000);

  it('spends through one node a code sent through another', async () => {
    const sent = await apps[0]
      .http()
      .post('/v2/mail/enduserapi/v2/sendEmail')
      .query({ email: 'cross@example.com', emailType: 1, userDomain: 'C.DM.9.1' });
    expect(sent.body.code).toBe(200);
    const code = smtp.lastCode('cross@example.com');
    const params = { email: 'cross@example.com', pwd: 'china1234', userDomain: 'C.DM.9.1', code };
    expect((await apps[1].http().post('/v2/enduser/enduserapi/emailPwdRegister').query(params)).body.code).toBe(200);
    expect((await apps[2].http().post('/v2/enduser/enduserapi/emailPwdRegister').query(params)).body.code).toBe(5039);
  }, 60_000);
});
