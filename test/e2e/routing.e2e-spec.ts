import { User } from '../../src/users/entities/user.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';

/** Paths are exact, as the vendors' are: one path always gets one envelope. */
describe('routing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
  });
  afterAll(() => t.close());

  it.each([
    ['POST', '/API/V1/REGISTER/EMAIL'],
    ['POST', '/Api/v1/register/email'],
    ['POST', '/V2/ENDUSER/ENDUSERAPI/EMAILPWDREGISTER'],
    ['POST', '/BP/SERVER/USER/SIGNUP'],
    ['POST', '/API/REGISTER'],
    ['GET', '/API/FORUM'],
  ])('%s %s in another case is an unknown route in the generic envelope, and creates nothing', async (method, path) => {
    const response = await t
      .http()
      [method === 'GET' ? 'get' : 'post'](path)
      .set('x-userpool-id', 'demo')
      .set('Accept', 'application/vnd.bytepower.v1+json')
      .send({ email: 'case@example.com', password: 'secret1' });
    expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: { statusCode: 404, error: 'ROUTE_NOT_FOUND' } });
    expect(await t.dataSource.getRepository(User).count()).toBe(0);
  });
});
