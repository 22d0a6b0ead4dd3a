import { createConnection } from 'mysql2/promise';

/** The database the e2e suite runs on: SQLite in memory unless TEST_DB_URL names a MySQL/MariaDB server. */
export const TEST_DB_URL = process.env.TEST_DB_URL ?? 'sqlite::memory:';

export const isMysql = TEST_DB_URL.startsWith('mysql://');

let fileCounter = 0;

/**
 * A fresh, empty database for one test app. On MySQL each app gets its own schema (the jest worker and
 * a counter in its name), dropped and created anew, so parallel test files never share rows.
 */
export async function freshDatabaseUrl(): Promise<string> {
  if (!isMysql) {
    return TEST_DB_URL;
  }
  const url = new URL(TEST_DB_URL);
  const database = `${url.pathname.slice(1) || 'unireg_test'}_w${process.env.JEST_WORKER_ID ?? '0'}_${++fileCounter}`;
  await onServer(url, [`DROP DATABASE IF EXISTS \`${database}\``, `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`]);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops a database made by `freshDatabaseUrl`; a no-op on SQLite. */
export async function dropDatabase(dbUrl: string): Promise<void> {
  if (dbUrl.startsWith('mysql://')) {
    const url = new URL(dbUrl);
    await onServer(url, [`DROP DATABASE IF EXISTS \`${url.pathname.slice(1)}\``]);
  }
}

async function onServer(url: URL, statements: string[]): Promise<void> {
  const connection = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    for (const statement of statements) {
      await connection.query(statement);
    }
  } finally {
    await connection.end();
  }
}
