import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { Tenant } from '../users/entities/tenant.entity';
import { User } from '../users/entities/user.entity';
import { VerificationCode } from '../users/entities/verification-code.entity';
import { buildDataSourceOptions } from './typeorm-options';

/** The two tables as synchronize made them before times became epoch milliseconds. */
const OLD_SCHEMA = `
  CREATE TABLE "tenants" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(32) NOT NULL, "code" varchar(128) NOT NULL, "name" varchar(128) NOT NULL, "enabled" boolean NOT NULL DEFAULT (1), "settings" text NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')));
  CREATE UNIQUE INDEX "UQ_tenants_kind_code" ON "tenants" ("kind", "code");
  CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "tenant_id" integer NOT NULL, "email" varchar(320), "email_normalized" varchar(320), "username" varchar(191), "username_normalized" varchar(191), "password_hash" varchar(100) NOT NULL, "status" varchar(32) NOT NULL DEFAULT ('active'), "email_verified" boolean NOT NULL DEFAULT (0), "phone" varchar(32), "register_source" varchar(64) NOT NULL, "profile" text NOT NULL, "logins_count" integer NOT NULL DEFAULT (0), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_users_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);
  INSERT INTO tenants (kind, code, name, enabled, settings, created_at, updated_at) VALUES ('userpool', 'pool', 'Pool', 1, '{}', '2025-03-04 05:06:07', '2025-03-05 00:00:00');
  INSERT INTO users (tenant_id, email, email_normalized, password_hash, register_source, profile, created_at, updated_at)
    VALUES (1, 'a@example.com', 'a@example.com', 'hash', 'basic:email', '{}', '2025-03-04 05:06:07.891', '2025-12-31 23:59:59.999');
`;

describe('buildDataSourceOptions on an SQLite file of the previous version', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'unireg-sqlite-'));
    file = join(dir, 'unireg.sqlite');
    const old = new Database(file);
    old.exec(OLD_SCHEMA);
    old.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => new DataSource(buildDataSourceOptions({ type: 'sqlite', file }, [])).initialize();

  it('turns datetime text into epoch milliseconds before synchronize changes the columns to BIGINT', async () => {
    for (let run = 0; run < 2; run++) {
      const dataSource = await open();
      try {
        const [tenant] = await dataSource.getRepository(Tenant).find();
        expect(tenant).toMatchObject({ createdAt: Date.UTC(2025, 2, 4, 5, 6, 7), updatedAt: Date.UTC(2025, 2, 5) });
        const [user] = await dataSource.getRepository(User).find();
        expect(user).toMatchObject({
          tenantId: tenant.id,
          createdAt: Date.UTC(2025, 2, 4, 5, 6, 7, 891),
          updatedAt: Date.UTC(2025, 11, 31, 23, 59, 59, 999),
        });
        const types = await dataSource.query<{ type: string }[]>(
          'SELECT typeof(created_at) AS type FROM users UNION SELECT typeof(updated_at) FROM tenants',
        );
        expect(types).toEqual([{ type: 'integer' }]);
      } finally {
        await dataSource.destroy();
      }
    }
  });
});

/** Verification codes as synchronize made them before codes went to mobiles too (`email_normalized`). */
const EMAIL_ONLY_CODES = `
  CREATE TABLE "verification_codes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "tenant_id" integer NOT NULL, "email_normalized" varchar(320) NOT NULL, "purpose" varchar(32) NOT NULL, "code_hash" varchar(64) NOT NULL, "sent_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "consumed_at" bigint);
  CREATE UNIQUE INDEX "UQ_codes_tenant_email_purpose" ON "verification_codes" ("tenant_id", "email_normalized", "purpose");
  INSERT INTO verification_codes (tenant_id, email_normalized, purpose, code_hash, sent_at, expires_at) VALUES (1, 'a@example.com', 'registration', 'h', 1, 2);
`;

describe('buildDataSourceOptions on an SQLite file with email-only verification codes', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'unireg-sqlite-'));
    file = join(dir, 'unireg.sqlite');
    const old = new Database(file);
    old.exec(OLD_SCHEMA + EMAIL_ONLY_CODES);
    old.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // synchronize sees one column dropped and one of the same type added, and renames it in place.
  it('renames the address column to recipient, keeping the codes, and runs again without change', async () => {
    for (let run = 0; run < 2; run++) {
      const dataSource = await new DataSource(buildDataSourceOptions({ type: 'sqlite', file }, [])).initialize();
      try {
        expect(await dataSource.getRepository(VerificationCode).find()).toEqual([
          expect.objectContaining({ recipient: 'a@example.com', purpose: 'registration', codeHash: 'h' }),
        ]);
      } finally {
        await dataSource.destroy();
      }
    }
  });
});

describe('buildDataSourceOptions on a new SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unireg-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file and its WAL companions readable by their owner alone', async () => {
    const file = join(dir, 'new.sqlite');
    const dataSource = await new DataSource(buildDataSourceOptions({ type: 'sqlite', file }, [])).initialize();
    try {
      await dataSource.query('CREATE TABLE t (x integer)');
      for (const name of [file, `${file}-wal`, `${file}-shm`]) {
        expect({ name, mode: statSync(name).mode & 0o777 }).toEqual({ name, mode: 0o600 });
      }
    } finally {
      await dataSource.destroy();
    }
  });
});
