import { TenantsService } from '../../src/users/tenants.service';
import { BytepowerAdminService } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { sign } from 'jsonwebtoken';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';

/** CODE_SENDS_PER_HOUR: codes to one email per tenant and hour, beside the resend interval, in each dialect's own rate-limit error. */
describe('codes per email and hour', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ CODE_RESEND_SECONDS: '0', CODE_SENDS_PER_HOUR: '3' });
    const tenants = t.app.get(TenantsService);
    await tenants.create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.3.3', name: 'C.DM.3.3', settings: {} });
    await tenants.create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.3.4', name: 'C.DM.3.4', settings: {} });
    const key = await new BytepowerAdminService(tenants, t.app.get(ServerKeysService)).createApp({ name: 'codes', id: 'codes' });
    token = sign({ key_name: key.keyName, iat: Date.now() }, key.keySecret, { algorithm: 'HS256' });
  });
  afterAll(() => t.close());

  const enduser = (email: string, userDomain = 'C.DM.3.3') =>
    t.http().post('/v2/mail/enduserapi/v2/sendEmail').query({ email, emailType: 1, userDomain });

  it('refuses the fourth code to one email with 5429, and keeps other emails and domains apart', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await enduser('flood@example.com')).body.code);
    expect(codes).toEqual([200, 200, 200, 5429]);
    expect((await enduser('FLOOD@example.com')).body.code).toBe(5429);
    expect((await enduser('other@example.com')).body.code).toBe(200);
    expect((await enduser('flood@example.com', 'C.DM.3.4')).body.code).toBe(200);
  });

  it('answers api_rate_limit in the bytepower dialect', async () => {
    const send = () =>
      t
        .http()
        .post('/bp/server/user/send_email_verify_code')
        .set('Accept', 'application/vnd.bytepower.v1+json')
        .set('X-BytePower-Auth-Token', token)
        .send({ email: 'bp-flood@example.com', type: 'sign_up_email' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await send()).body).toMatchObject({ error: { error_type: 'api_rate_limit' } });
  });
});
