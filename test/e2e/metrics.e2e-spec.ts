import { sign } from 'jsonwebtoken';
import { Clock } from '../../src/clock/clock';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { SmtpTestServer } from '../utils/smtp-test-server';

/** The value of one sample of the Prometheus text, 0 when the series does not exist yet. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  const smtp = new SmtpTestServer();
  const clock = new FakeClock();
  let t: TestApp;
  let bytepowerKey: IssuedAppKey;

  beforeAll(async () => {
    t = await createTestApp({ SMTP_URL: await smtp.start() }, (builder) => builder.overrideProvider(Clock).useValue(clock));
    const tenants = t.app.get(TenantsService);
    await tenants.create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
    await tenants.create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.1.1', name: 'demo', settings: {} });
    bytepowerKey = await new BytepowerAdminService(tenants, t.app.get(ServerKeysService)).createApp({ name: 'demo', id: 'demo' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const scrape = async () => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    return response.text;
  };
  const userpool = (body: object) => t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').send(body);
  const bytepower = (body: object) => {
    const token = sign({ key_name: bytepowerKey.keyName, iat: clock.now() }, bytepowerKey.keySecret, { algorithm: 'HS256' });
    return t
      .http()
      .post('/bp/server/user/signup')
      .set('Accept', 'application/vnd.bytepower.v1+json')
      .set('X-BytePower-Auth-Token', token)
      .send(body);
  };

  it('counts registrations by dialect and outcome', async () => {
    const before = await scrape();
    await userpool({ email: 'm1@example.com', password: 'Tulip-Garden-42' }).expect(200);
    await userpool({ email: 'm1@example.com', password: 'Tulip-Garden-42' }).expect(409);
    await userpool({ email: 'not-an-email', password: 'Tulip-Garden-42' }).expect(400);
    await t
      .http()
      .post('/api/v1/register/email')
      .set('x-userpool-id', 'demo')
      .set('content-type', 'application/json')
      .send('{')
      .expect(400);
    await t
      .http()
      .post('/api/register')
      .send({ data: { attributes: { username: 'metrics', password: 'Tulip-Garden-42' } } })
      .expect(200);
    await bytepower({ name_password: { name: 'metrics', password: 'Tulip-Garden-42' } }).expect(200);
    await bytepower({ name_password: { name: 'METRICS', password: 'Tulip-Garden-42' } }).expect(400);
    await bytepower({ name_password: { name: 'metrics2', password: '12345' } }).expect(400);
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('unireg_registrations_total{dialect="userpool",outcome="created"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="userpool",outcome="duplicate"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="userpool",outcome="invalid"}')).toBe(2);
    expect(delta('unireg_registrations_total{dialect="jsonapi-users",outcome="created"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="bytepower",outcome="created"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="bytepower",outcome="duplicate"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="bytepower",outcome="invalid"}')).toBe(1);
    expect(delta('unireg_http_requests_total{dialect="bytepower",route="/bp/server/user/signup",status="400"}')).toBe(2);
    expect(delta('unireg_http_requests_total{dialect="userpool",route="/api/v1/register/email",status="409"}')).toBe(1);
    expect(delta('unireg_http_request_duration_seconds_count{dialect="userpool",route="/api/v1/register/email",status="200"}')).toBe(1);
    // One per user created: a duplicate is refused before its password is hashed.
    expect(delta('unireg_bcrypt_hash_duration_seconds_count')).toBe(3);
  });

  it('counts codes sent, accepted and rejected, and mail deliveries', async () => {
    const before = await scrape();
    const send = (email: string) =>
      t.http().post('/v2/mail/enduserapi/v2/sendEmail').query({ email, emailType: 1, userDomain: 'C.DM.1.1' });
    expect((await send('c1@example.com')).body.code).toBe(200);
    const register = (code: string) =>
      t
        .http()
        .post('/v2/enduser/enduserapi/emailPwdRegister')
        .query({ email: 'c1@example.com', pwd: 'china1234', userDomain: 'C.DM.1.1', code });
    const code = smtp.lastCode('c1@example.com');
    expect((await register(code === '000000' ? '111111' : '000000')).body.code).toBe(5046);
    expect((await register(code)).body.code).toBe(200);
    smtp.refuse = true;
    expect((await send('c2@example.com')).body.code).toBe(5441);
    smtp.refuse = false;
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('unireg_verification_codes_total{event="sent"}')).toBe(1);
    expect(delta('unireg_verification_codes_total{event="rejected"}')).toBe(1);
    expect(delta('unireg_verification_codes_total{event="accepted"}')).toBe(1);
    expect(delta('unireg_mail_deliveries_total{outcome="delivered"}')).toBe(1);
    expect(delta('unireg_mail_deliveries_total{outcome="failed"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="enduser",outcome="invalid"}')).toBe(1);
    expect(delta('unireg_registrations_total{dialect="enduser",outcome="created"}')).toBe(1);
  });

  it('reports the database, the runtime, and no value a client chose', async () => {
    await userpool({ email: 'secret-address@example.com', password: 'hunter2hunter2' });
    await t.http().get('/no/such/path/chosen-by-client');
    const text = await scrape();
    expect(sample(text, 'unireg_database_up')).toBe(1);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('route="unmatched"');
    expect(text).not.toMatch(/secret-address|hunter2|chosen-by-client|127\.0\.0\.1|@example\.com/);
  });
});

describe('metrics behind METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: 'a-metrics-token-long-enough' });
  });
  afterAll(() => t.close());

  it('asks for the bearer token', async () => {
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect((await t.http().get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length')).status).toBe(401);
    const scraped = await t.http().get('/metrics').set('Authorization', 'Bearer a-metrics-token-long-enough');
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('unireg_database_up');
  });
});
