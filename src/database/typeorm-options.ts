import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig, SQLITE_MEMORY } from '../config/app-config';
import { DialectTables, entitiesOf } from './entities';
import { MIGRATIONS } from './migrations';

/** The handle better-sqlite3 gives `prepareDatabase`, as far as it is used here. */
interface SqliteHandle {
  pragma(sql: string): unknown;
  exec(sql: string): unknown;
}

/** Columns that held datetime text before 1763900000000-epoch-millis-times and now hold epoch milliseconds. */
const FORMER_DATETIME_COLUMNS = { tenants: ['created_at', 'updated_at'], users: ['created_at', 'updated_at'] };

/**
 * One source of TypeORM options for the app, the CLI and the migration tooling; `dialects` adds the
 * tables only a dialect uses, so the composition root decides which dialects a database holds.
 */
export function buildDataSourceOptions(db: DatabaseConfig, dialects: readonly DialectTables[]): DataSourceOptions {
  const entities = entitiesOf(dialects);
  if (db.type === 'sqlite') {
    if (db.file !== SQLITE_MEMORY) {
      mkdirSync(dirname(db.file), { recursive: true });
      // It holds the password hashes: readable by the service's user alone, like jwt-secret. SQLite gives
      // its -wal and -shm files the database file's mode. An existing file keeps the mode it has.
      closeSync(openSync(db.file, 'a', 0o600));
    }
    return {
      type: 'better-sqlite3',
      database: db.file,
      entities,
      // The embedded file has no migration history to keep; MySQL never synchronizes.
      synchronize: true,
      // WAL lets the CLI read while the server writes; busy_timeout waits out a writer instead of failing.
      prepareDatabase: (database: SqliteHandle) => {
        database.pragma('busy_timeout = 5000');
        convertFormerDatetimes(database);
        if (db.file !== SQLITE_MEMORY) {
          database.pragma('journal_mode = WAL');
        }
      },
    };
  }
  return {
    type: 'mysql',
    url: db.url,
    entities,
    migrations: [...MIGRATIONS, ...dialects.flatMap((dialect) => dialect.migrations ?? [])],
    migrationsTableName: 'migrations',
    synchronize: false,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
    connectTimeout: 5000,
    extra: { connectionLimit: 10, enableKeepAlive: true },
  };
}

/**
 * A file made by an earlier version keeps users' and tenants' times as datetime text (UTC), which
 * synchronize would copy unchanged into the new BIGINT columns; they become epoch milliseconds first,
 * while the column still says datetime. Text only, so running this twice changes nothing.
 */
function convertFormerDatetimes(database: SqliteHandle): void {
  for (const [table, names] of Object.entries(FORMER_DATETIME_COLUMNS)) {
    const columns = database.pragma(`table_info(${table})`) as { name: string; type: string }[];
    for (const column of columns.filter(({ name, type }) => names.includes(name) && type.toLowerCase() === 'datetime')) {
      const name = column.name;
      database.exec(
        `UPDATE ${table} SET ${name} = CAST(strftime('%s', ${name}) AS INTEGER) * 1000 + CAST(substr(strftime('%f', ${name}), 4) AS INTEGER) WHERE typeof(${name}) = 'text'`,
      );
    }
  }
}
