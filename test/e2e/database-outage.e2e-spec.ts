import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { BytepowerAdminService, IssuedAppKey } from '../../src/dialects/bytepower/bytepower-admin.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, makeDataDir, removeDataDir, TestApp } from '../utils/create-test-app';
import { TcpProxy } from '../utils/tcp-proxy';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { ENDUSER_TENANT_KIND } from '../../src/dialects/enduser/enduser.tenant-kind';

/**
 * On MySQL the outage is real: the app talks through a TCP relay that the test cuts and restores.
 * SQLite has no server to lose, so there the connection is closed under the app and reopened.
 */
describe('database outage', () => {
  let t: TestApp;
  let proxy: TcpProxy | undefined;
  let dbUrl: string;
  let dir: string | undefined;
  let bytepowerKey: IssuedAppKey;

  beforeAll(async () => {
    let appDbUrl: string;
    if (isMysql) {
      dbUrl = await freshDatabaseUrl();
      const url = new URL(dbUrl);
      proxy = new TcpProxy(url.hostname, Number(url.port || 3306));
      url.host = `127.0.0.1:${await proxy.start()}`;
      appDbUrl = url.toString();
    } else {
      dir = makeDataDir();
      dbUrl = appDbUrl = `sqlite:${join(dir, 'outage.sqlite')}`;
    }
    t = await createTestApp({ DB_URL: appDbUrl });
    await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
    await t.app.get(TenantsService).create({ kind: ENDUSER_TENANT_KIND, code: 'C.DM.1.1', name: 'demo', settings: {} });
    bytepowerKey = await new BytepowerAdminService(t.app.get(TenantsService), t.app.get(ServerKeysService)).createApp({
      name: 'demo',
      id: 'demo',
    });
  });
  afterAll(async () => {
    await proxy?.start();
    await t.close();
    await proxy?.stop();
    await dropDatabase(dbUrl);
    if (dir) removeDataDir(dir);
  });

  const cut = async () => (proxy ? proxy.stop() : t.dataSource.destroy());
  const restore = async () => (proxy ? proxy.start() : t.dataSource.initialize());
  const register = (email: string) =>
    t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').send({ email, password: 'Tulip-Garden-42' });

  it('answers in the service-failure envelope of every dialect (userpool 1000/503, enduser 5000, bytepower 502 gateway) while the database is down, and recovers without a restart', async () => {
    await register('before@example.com').expect(200);
    await t.http().get('/healthz').expect(200);

    await cut();
    const during = await register('during@example.com');
    expect(during.status).toBe(503);
    expect(during.body).toEqual({ code: 1000, success: false, msg: expect.any(String), data: {} });
    const enduser = await t
      .http()
      .post('/v2/enduser/enduserapi/emailPwdRegister')
      .query({ userDomain: 'C.DM.1.1', email: 'e@example.com', pwd: 'china1234', code: '123456' });
    expect(enduser.status).toBe(200);
    expect(enduser.body).toEqual({ code: 5000, msg: expect.any(String), data: null, extMsg: '' });
    const bytepower = await t
      .http()
      .post('/bp/server/user/signup')
      .set('Accept', 'application/vnd.bytepower.v1+json')
      .set('X-BytePower-Auth-Token', sign({ key_name: bytepowerKey.keyName, iat: Date.now() }, bytepowerKey.keySecret))
      .send({ name_password: { name: 'during', password: 'Tulip-Garden-42' } });
    expect({ status: bytepower.status, body: bytepower.body }).toEqual({
      status: 502,
      body: { error: { error_type: 'gateway', message: expect.any(String) } },
    });
    const health = await t.http().get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });

    await restore();
    await register('after@example.com').expect(200);
    await t.http().get('/healthz').expect(200);
  });
});
