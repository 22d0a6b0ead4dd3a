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

  describe('with a user', () => {
    let rows: EntityRows<User>;
    let userId: number;

    beforeEach(async () => {
      rows = new EntityRows(dataSource, User);
      userId = await rows.prepareInsert(['tenantId', 'passwordHash', 'registerSource', 'profile', 'createdAt', 'updatedAt'])(
        dataSource.manager,
        { tenantId: tenant.id, passwordHash: 'hash', registerSource: 'basic:email', profile: {}, createdAt: 1, updatedAt: 1 },
      );
    });

    it('reads the foreign key of a relation, and a column left out by default only when the SELECT lists it', async () => {
      const byDefault = await rows.findOne(`SELECT ${rows.selectList} FROM ${rows.table} WHERE id = ?`, [userId]);
      expect(byDefault).toEqual(await dataSource.getRepository(User).findOneBy({ id: userId }));
      expect(byDefault?.tenantId).toBe(tenant.id);
      expect(byDefault?.passwordHash).toBeUndefined();
      const withHash = await rows.findOne(`SELECT ${rows.selectList}, ${rows.column('passwordHash')} FROM ${rows.table} WHERE id = ?`, [
        userId,
      ]);
      expect(withHash?.passwordHash).toBe('hash');
      const hashOnly = await rows.findOne(`SELECT ${rows.column('passwordHash')} FROM ${rows.table} WHERE id = ?`, [userId]);
      expect(hashOnly).toEqual(Object.assign(new User(), { passwordHash: 'hash' }));
    });

    it('reads and counts on the manager it is given, inside its transaction', async () => {
      const update = `UPDATE ${rows.table} SET ${rows.column('loginsCount')} = ? WHERE id = ?`;
      const find = `SELECT ${rows.selectList} FROM ${rows.table} WHERE id = ?`;
      const count = `SELECT ${rows.column('loginsCount')} AS n FROM ${rows.table} WHERE id = ?`;
      const rolledBack = dataSource.transaction(async (manager) => {
        // One better-sqlite3 connection serves every manager, so only the transaction's runner shows which one ran a query.
        const query = jest.spyOn(manager.queryRunner!, 'query');
        expect(await rows.run(manager, update, [5, userId])).toBe(1);
        expect((await rows.findOne(find, [userId], manager))?.loginsCount).toBe(5);
        expect(await rows.select(count, [userId], manager)).toEqual([{ n: 5 }]);
        expect(query.mock.calls.map(([sql]) => sql)).toEqual([update, find, count]);
        throw new Error('roll back');
      });
      await expect(rolledBack).rejects.toThrow('roll back');
      expect(await rows.select(count, [userId])).toEqual([{ n: 0 }]);
    });

    it('counts the rows an UPDATE matched, changed or not, not the last inserted rowid', async () => {
      const unchanged = `UPDATE ${rows.table} SET ${rows.column('loginsCount')} = ${rows.column('loginsCount')} WHERE ${rows.column('tenantId')} = ?`;
      expect(await rows.run(dataSource.manager, unchanged, [tenant.id])).toBe(1);
      expect(await rows.run(dataSource.manager, unchanged, [tenant.id + 1])).toBe(0);
      await rows.prepareInsert(['tenantId', 'registerSource', 'profile', 'createdAt', 'updatedAt'])(dataSource.manager, {
        tenantId: tenant.id,
        registerSource: 'basic:email',
        profile: {},
        createdAt: 1,
        updatedAt: 1,
      });
      expect(await rows.run(dataSource.manager, unchanged, [tenant.id])).toBe(2);
    });

    it('reads two entities from one joined row, and none from the columns of a LEFT JOIN that found none', async () => {
      const tenants = new EntityRows(dataSource, Tenant);
      const sql =
        `SELECT ${rows.selectListAs('u')}, ${tenants.selectListAs('t')} FROM ${rows.table} u ` +
        `LEFT JOIN ${tenants.table} t ON t.id = u.tenant_id AND t.code = ? WHERE u.id = ?`;
      const [row] = await rows.select(sql, ['pool', userId]);
      const repositoryRead = await dataSource.getRepository(User).findOne({ where: { id: userId }, relations: { tenant: true } });
      expect({ ...rows.fromRow(row, 'u'), tenant: tenants.fromRow(row, 't') }).toEqual(repositoryRead);
      expect(rows.fromRow(row, 'u')).toBeInstanceOf(User);
      expect(tenants.fromRow(row, 't')?.settings).toEqual({ a: [1] });
      const [unmatched] = await rows.select(sql, ['other', userId]);
      expect(tenants.fromRow(unmatched, 't')).toBeNull();
      expect(rows.fromRow(unmatched, 'u')?.id).toBe(userId);
    });
  });

  it('refuses a property the entity does not have', () => {
    expect(() => new EntityRows(dataSource, User).column('nope' as never)).toThrow('User has no column nope');
  });
});
