import { DIALECTS } from '../../src/dialects';
import { UsersService } from '../../src/users/users.service';
import { TenantsService } from '../../src/users/tenants.service';
import { guestbookDialect } from '../fixtures/guestbook/guestbook.dialect';
import { GuestbookNicknamesStore } from '../fixtures/guestbook/guestbook-nicknames.store';
import { GUESTBOOK_TENANT_KIND } from '../fixtures/guestbook/guestbook.tenant-kind';
import { createTestApp, TestApp } from '../utils/create-test-app';

/**
 * The registry claim of docs/architecture.md ("Adding a dialect"): a dialect from test/fixtures/ with its own
 * route, tenant kind, error code and table is mounted by one more registry line, and nothing else changes.
 */
describe('a fifth dialect mounted through the registry', () => {
  let t: TestApp;
  const signup = (body: unknown, book = 'visitors') =>
    t
      .http()
      .post('/guestbook/signup')
      .set('x-guestbook', book)
      .send(body as object);

  beforeAll(async () => {
    t = await createTestApp({}, undefined, [...DIALECTS, guestbookDialect]);
  });
  beforeEach(async () => {
    await t.reset();
    await t.app.get(TenantsService).create({ kind: GUESTBOOK_TENANT_KIND, code: 'visitors', name: 'Visitors', settings: {} });
  });
  afterAll(() => t.close());

  it('registers a user and writes its own table in the same transaction', async () => {
    const response = await signup({ email: 'Ada@Example.com', password: 'correct horse', nickname: 'ada' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, user: { id: expect.any(String), email: 'Ada@Example.com', nickname: 'ada' } });
    const id = Number(response.body.user.id);
    const tenant = await t.app.get(TenantsService).require(GUESTBOOK_TENANT_KIND, 'visitors');
    expect((await t.app.get(UsersService).find(tenant.id, id))?.registerSource).toBe('guestbook');
    expect(await t.app.get(GuestbookNicknamesStore).findByUser(id)).toMatchObject({ tenantId: tenant.id, nickname: 'ada' });
  });

  it('renders its own error code in its own envelope, and stores nothing', async () => {
    await signup({ email: 'ada@example.com', password: 'correct horse', nickname: 'ada' }).expect(200);

    const taken = await signup({ email: 'grace@example.com', password: 'correct horse', nickname: 'ada' });

    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ ok: false, error: { code: 'nickname_taken', field: 'nickname' } });
    expect(await t.app.get(UsersService).list()).toHaveLength(1);
  });

  it('renders the core conditions in its envelope too', async () => {
    await signup({ email: 'ada@example.com', password: 'correct horse', nickname: 'ada' }).expect(200);

    const duplicate = await signup({ email: 'ADA@example.com', password: 'correct horse', nickname: 'countess' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({ ok: false, error: { code: 'email_taken', field: 'email' } });
    const tenant = await t.app.get(TenantsService).require(GUESTBOOK_TENANT_KIND, 'visitors');
    expect(await t.app.get(GuestbookNicknamesStore).taken(tenant.id, 'countess')).toBe(false);

    const unknownBook = await signup({ email: 'grace@example.com', password: 'correct horse', nickname: 'grace' }, 'nope');
    expect(unknownBook.status).toBe(404);
    expect(unknownBook.body.error.code).toBe('no_such_book');
  });

  it('answers errors raised before routing in its envelope: malformed JSON and unknown paths', async () => {
    const malformed = await t
      .http()
      .post('/guestbook/signup')
      .set('x-guestbook', 'visitors')
      .set('Content-Type', 'application/json')
      .send('{"email":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ ok: false, error: { code: 'malformed', field: null } });

    const unknown = await t.http().get('/guestbook/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('no_such_page');
  });

  it('counts its registrations in the metrics under its own name', async () => {
    const created = async () => {
      const metrics = await t.http().get('/metrics').expect(200);
      const line = /^unireg_registrations_total\{dialect="guestbook",outcome="created"\} (\d+)$/m.exec(metrics.text);
      return Number(line?.[1] ?? 0);
    };
    const before = await created();

    await signup({ email: 'ada@example.com', password: 'correct horse', nickname: 'ada' }).expect(200);

    expect((await created()) - before).toBe(1);
  });

  it('lets operators name its tenants by kind', async () => {
    const tenant = await t.app.get(TenantsService).resolve(`${GUESTBOOK_TENANT_KIND}:visitors`);

    expect(tenant).toMatchObject({ kind: GUESTBOOK_TENANT_KIND, code: 'visitors' });
  });

  it('leaves the four real dialects as they were', async () => {
    const response = await t
      .http()
      .post('/api/v1/register/email')
      .set('x-userpool-id', 'missing')
      .send({ email: 'a@example.com', password: 'x' });

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 2224, success: false });
  });
});
