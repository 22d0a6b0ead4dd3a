import { DataSource } from 'typeorm';
import { InitialSchema1763700000000 } from '../../src/database/migrations/1763700000000-initial-schema';
import { DialectStores1763800000000 } from '../../src/database/migrations/1763800000000-dialect-stores';
import { EpochMillisTimes1763900000000 } from '../../src/database/migrations/1763900000000-epoch-millis-times';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';

const describeOnMysql = isMysql ? describe : describe.skip;

describeOnMysql('migration 1763900000000 on a database of the previous version', () => {
  let url: string;
  let dataSource: DataSource;

  const migrations = [InitialSchema1763700000000, DialectStores1763800000000, EpochMillisTimes1763900000000];
  const times = (table: string) =>
    dataSource.query<{ created: unknown; updated: unknown }[]>(
      `SELECT created_at AS created, updated_at AS updated FROM ${table} ORDER BY id`,
    );

  beforeAll(async () => {
    url = await freshDatabaseUrl();
    // A session time zone other than UTC shows that the migration reads the stored UTC times as UTC.
    dataSource = await new DataSource({
      type: 'mysql',
      url,
      migrations: migrations.slice(0, 2),
      timezone: 'Z',
      supportBigNumbers: true,
      extra: { connectionLimit: 1 },
    }).initialize();
    await dataSource.runMigrations();
    await dataSource.query("SET time_zone = '+05:00'");
    await dataSource.query(
      "INSERT INTO tenants (kind, code, name, settings, created_at, updated_at) VALUES ('userpool', 'pool', 'Pool', '{}', '2025-03-04 05:06:07.891234', '2025-03-05 00:00:00')",
    );
    await dataSource.query(
      "INSERT INTO users (tenant_id, email, email_normalized, password_hash, register_source, profile, created_at, updated_at) VALUES (1, 'a@example.com', 'a@example.com', 'hash', 'basic:email', '{}', '2025-12-31 23:59:59.999', '2026-01-01 00:00:00.5')",
    );
    await dataSource.destroy();
    dataSource = await new DataSource({
      type: 'mysql',
      url,
      migrations,
      timezone: 'Z',
      supportBigNumbers: true,
      extra: { connectionLimit: 1 },
    }).initialize();
    await dataSource.query("SET time_zone = '+05:00'");
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(url);
  });

  it('turns every datetime into epoch milliseconds, and back on undo, leaving the session time zone as it was', async () => {
    await dataSource.runMigrations();
    expect(await times('tenants')).toEqual([
      { created: String(Date.UTC(2025, 2, 4, 5, 6, 7, 891)), updated: String(Date.UTC(2025, 2, 5)) },
    ]);
    expect(await times('users')).toEqual([
      { created: String(Date.UTC(2025, 11, 31, 23, 59, 59, 999)), updated: String(Date.UTC(2026, 0, 1, 0, 0, 0, 500)) },
    ]);
    expect(await dataSource.query('SELECT @@session.time_zone AS zone')).toEqual([{ zone: '+05:00' }]);

    await dataSource.undoLastMigration();
    await dataSource.query("SET time_zone = '+00:00'");
    const formatted = (table: string) =>
      dataSource.query(
        `SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') AS created, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS updated FROM ${table}`,
      );
    expect(await formatted('tenants')).toEqual([{ created: '2025-03-04 05:06:07.891000', updated: '2025-03-05 00:00:00.000000' }]);
    expect(await formatted('users')).toEqual([{ created: '2025-12-31 23:59:59.999000', updated: '2026-01-01 00:00:00.500000' }]);
  });
});
