import { DataSource } from 'typeorm';
import { Tenant } from '../users/entities/tenant.entity';
import { User, UserStatus } from '../users/entities/user.entity';
import { EntityRows } from './entity-rows';
import { buildDataSourceOptions } from './typeorm-options';
import { SQLITE_MEMORY } from '../config/app-config';

describe('EntityRows', () => {
  let dataSource: DataSource;
  let tenant: Tenant;

  beforeEach(async () => {
    dataSource = await new DataSource(buildDataSourceOptions({ type: 'sqlite', file: SQLITE_MEMORY }, [])).initialize();
    tenant = await dataSource.getRepository(Tenant).save({
      kind: 'pool-kind',
      code: 'pool',
      name: 'Pool',
      enabled: false,
      settings: { a: [1] },
      createdAt: 1767225600123,
      updatedAt: 1767225600123,
    });
  });

  afterEach(() => dataSource.destroy());

  it('reads an entity as the repository does: booleans, JSON and epoch milliseconds converted', async () => {
    const rows = new EntityRows(dataSource, Tenant);
    const found = await rows.findOne(`SELECT ${rows.selectList} FROM ${rows.table} WHERE code = ?`, ['pool']);
    expect(found).toBeInstanceOf(Tenant);
    expect(found).toEqual(await dataSource.getRepository(Tenant).findOneBy({ code: 'pool' }));
    expect(found?.enabled).toBe(false);
    expect(found?.settings).toEqual({ a: [1] });
    expect(found?.createdAt).toBe(1767225600123);
    expect(await rows.findOne(`SELECT ${rows.selectList} FROM ${rows.table} WHERE code = ?`, ['other'])).toBeNull();
  });

  it('inserts the given values, returns the new id, and the repository reads back the same values', async () => {
    const rows = new EntityRows(dataSource, User);
    const createdAt = Date.parse('2026-01-02T03:04:05.678Z');
    const values = {
      tenantId: tenant.id,
      email: 'A@example.com',
      emailNormalized: 'a@example.com',
      passwordHash: 'hash',
      status: UserStatus.PendingReview,
      emailVerified: true,
      registerSource: 'basic:email',
      profile: { nickname: 'ä' },
      loginsCount: 0,
      createdAt,
      updatedAt: createdAt,
    };
    const insert = rows.prepareInsert([
      'tenantId',
      'email',
      'emailNormalized',
      'passwordHash',
      'status',
      'emailVerified',
      'registerSource',
      'profile',
      'loginsCount',
      'createdAt',
      'updatedAt',
    ]);
    const first = await insert(dataSource.manager, values);
    const second = await insert(dataSource.manager, { ...values, email: 'b@example.com', emailNormalized: 'b@example.com' });
    expect(second).toBe(first + 1);
    const stored = await dataSource.getRepository(User).findOne({
      where: { id: first },
      select: { id: true, passwordHash: true, emailVerified: true, profile: true, createdAt: true, status: true },
    });
    expect(stored).toMatchObject({
      id: first,
      passwordHash: 'hash',
      emailVerified: true,
      profile: { nickname: 'ä' },
      createdAt,
      status: UserStatus.PendingReview,
    });
    expect(await rows.exists(`SELECT 1 FROM ${rows.table} WHERE ${rows.column('emailNormalized')} = ?`, ['b@example.com'])).toBe(true);
    expect(await rows.exists(`SELECT 1 FROM ${rows.table} WHERE ${rows.column('emailNormalized')} = ?`, ['c@example.com'])).toBe(false);
  });

  it('refuses a property the entity does not have', () => {
    expect(() => new EntityRows(dataSource, User).column('nope' as never)).toThrow('User has no column nope');
  });
});
