import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig, SQLITE_MEMORY } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** One source of TypeORM options for the app, the CLI and the migration tooling. */
export function buildDataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  if (db.type === 'sqlite') {
    if (db.file !== SQLITE_MEMORY) {
      mkdirSync(dirname(db.file), { recursive: true });
    }
    return {
      type: 'better-sqlite3',
      database: db.file,
      entities: ENTITIES,
      // The embedded file has no migration history to keep; MySQL never synchronizes.
      synchronize: true,
      // WAL lets the CLI read while the server writes; busy_timeout waits out a writer instead of failing.
      prepareDatabase: (database: { pragma(sql: string): unknown }) => {
        database.pragma('busy_timeout = 5000');
        if (db.file !== SQLITE_MEMORY) {
          database.pragma('journal_mode = WAL');
        }
      },
    };
  }
  return {
    type: 'mysql',
    url: db.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    charset: 'utf8mb4',
    timezone: 'Z',
    supportBigNumbers: true,
    connectTimeout: 5000,
    extra: { connectionLimit: 10, enableKeepAlive: true },
  };
}
