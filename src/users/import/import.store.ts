import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { managerOf, Transaction } from '../../database/transaction';
import { User, UserStatus } from '../entities/user.entity';

/** Every column `users import` writes for a new user. */
export interface ImportRow {
  tenantId: number;
  externalId: string;
  importDigest: string;
  email: string | null;
  emailNormalized: string | null;
  emailSkeleton: string | null;
  username: string | null;
  usernameNormalized: string | null;
  usernameSkeleton: string | null;
  passwordHash: string | null;
  status: UserStatus;
  emailVerified: boolean;
  phone: string | null;
  phoneNormalized: string | null;
  registerSource: string;
  profile: Record<string, unknown>;
  lastLoginAt: number | null;
  lastIp: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What a re-run changes on a user imported before: the source's fields (docs/migrating.md). */
export type ImportUpdate = Omit<ImportRow, 'tenantId' | 'externalId' | 'registerSource' | 'lastLoginAt' | 'lastIp'> & { id: number };

/** A user imported before, found by its external id. */
export interface ImportedBefore {
  id: number;
  externalId: string;
  importDigest: string | null;
  /** The user's hash now: the one the last import wrote, or one the user or unireg has put since. */
  passwordHash: string | null;
  profile: Record<string, unknown>;
}

/** A user holding one of the identities a batch brings. */
export interface IdentityOwner {
  id: number;
  externalId: string | null;
  emailNormalized: string | null;
  emailSkeleton: string | null;
  usernameNormalized: string | null;
  usernameSkeleton: string | null;
  phoneNormalized: string | null;
}

/** The identities of one batch, each list looked up in its own unique index. */
export interface BatchIdentities {
  emailNormalized: string[];
  emailSkeleton: string[];
  usernameNormalized: string[];
  usernameSkeleton: string[];
  phoneNormalized: string[];
}

const COLUMNS: readonly [keyof ImportRow, string][] = [
  ['tenantId', 'tenant_id'],
  ['externalId', 'external_id'],
  ['importDigest', 'import_digest'],
  ['email', 'email'],
  ['emailNormalized', 'email_normalized'],
  ['emailSkeleton', 'email_skeleton'],
  ['username', 'username'],
  ['usernameNormalized', 'username_normalized'],
  ['usernameSkeleton', 'username_skeleton'],
  ['passwordHash', 'password_hash'],
  ['status', 'status'],
  ['emailVerified', 'email_verified'],
  ['phone', 'phone'],
  ['phoneNormalized', 'phone_normalized'],
  ['registerSource', 'register_source'],
  ['profile', 'profile'],
  ['lastLoginAt', 'last_login_at'],
  ['lastIp', 'last_ip'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
];

/** Rows per INSERT: 20 parameters each stays well under SQLite's and MySQL's limits on one statement. */
const ROWS_PER_INSERT = 500;
/** Values per IN list. */
const IN_CHUNK = 1000;

const OWNER_COLUMNS =
  'id, external_id AS externalId, email_normalized AS emailNormalized, email_skeleton AS emailSkeleton, ' +
  'username_normalized AS usernameNormalized, username_skeleton AS usernameSkeleton, phone_normalized AS phoneNormalized';

/** The SQL of `users import`: multi-row INSERTs, look-ups by external id and by identity, one batch at a time. */
@Injectable()
export class ImportStore {
  private readonly insertSql: Map<number, string> = new Map();

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Users of the tenant imported before under these external ids. */
  async importedBefore(transaction: Transaction | null, tenantId: number, externalIds: readonly string[]): Promise<ImportedBefore[]> {
    const rows = await this.inChunks<{
      id: number;
      externalId: string;
      importDigest: string | null;
      passwordHash: string | null;
      profile: string;
    }>(
      transaction,
      externalIds,
      (marks) =>
        'SELECT id, external_id AS externalId, import_digest AS importDigest, password_hash AS passwordHash, profile ' +
        `FROM users WHERE tenant_id = ? AND external_id IN (${marks})`,
      [tenantId],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), profile: JSON.parse(row.profile) as Record<string, unknown> }));
  }

  /** Users of the tenant holding any of the identities, one indexed look-up per kind. */
  async owners(tenantId: number, identities: BatchIdentities): Promise<IdentityOwner[]> {
    const found: IdentityOwner[] = [];
    const columns: [keyof BatchIdentities, string][] = [
      ['emailNormalized', 'email_normalized'],
      ['emailSkeleton', 'email_skeleton'],
      ['usernameNormalized', 'username_normalized'],
      ['usernameSkeleton', 'username_skeleton'],
      ['phoneNormalized', 'phone_normalized'],
    ];
    for (const [property, column] of columns) {
      const rows = await this.inChunks<IdentityOwner>(
        null,
        identities[property],
        (marks) => `SELECT ${OWNER_COLUMNS} FROM users WHERE tenant_id = ? AND ${column} IN (${marks})`,
        [tenantId],
      );
      found.push(...rows.map((row) => ({ ...row, id: Number(row.id) })));
    }
    return found;
  }

  /** Inserts the rows in multi-row statements and returns their ids by external id. */
  async insert(transaction: Transaction, rows: readonly ImportRow[]): Promise<Map<string, number>> {
    const manager = managerOf(transaction);
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      await manager.query(
        this.insertStatement(chunk.length),
        chunk.flatMap((row) => COLUMNS.map(([property]) => this.parameter(row[property]))),
      );
    }
    if (rows.length === 0) {
      return new Map();
    }
    const ids = await this.inChunks<{ id: number; externalId: string }>(
      transaction,
      rows.map((row) => row.externalId),
      (marks) => `SELECT id, external_id AS externalId FROM users WHERE tenant_id = ? AND external_id IN (${marks})`,
      [rows[0].tenantId],
    );
    return new Map(ids.map((row) => [row.externalId, Number(row.id)]));
  }

  /**
   * Writes the source's fields over a user imported before. The hash is replaced only while it is still
   * `importedHash`, the one the last import wrote, and the user has never signed in here: a reset, a change or an
   * upgrade since makes it unireg's, and the digest then keeps no hash part, so no later import replaces it. The
   * comparison is in the statement, so a reset committed meanwhile wins. A status other than active ends the
   * user's sessions, as `users disable` does. The epoch and the digest are set before the hash: MySQL reads
   * columns set earlier in the statement.
   */
  async update(transaction: Transaction, change: ImportUpdate, importedHash: string | null | undefined): Promise<void> {
    const replace = 'CASE WHEN ? = 1 AND logins_count = 0 AND COALESCE(password_hash, ?) = ? ';
    await managerOf(transaction).query(
      'UPDATE users SET token_epoch = CASE WHEN status <> ? AND ? <> ? THEN token_epoch + 1 ELSE token_epoch END, ' +
        `import_digest = ${replace} THEN ? ELSE ? END, ` +
        `password_hash = ${replace} THEN ? ELSE password_hash END, ` +
        'email = ?, email_normalized = ?, email_skeleton = ?, username = ?, username_normalized = ?, ' +
        'username_skeleton = ?, status = ?, email_verified = ?, phone = ?, phone_normalized = ?, profile = ?, created_at = ?, updated_at = ? ' +
        'WHERE id = ?',
      [
        change.status,
        change.status,
        UserStatus.Active,
        ...this.hashGuard(importedHash),
        change.importDigest,
        change.importDigest.split('.')[0],
        ...this.hashGuard(importedHash),
        change.passwordHash,
        change.email,
        change.emailNormalized,
        change.emailSkeleton,
        change.username,
        change.usernameNormalized,
        change.usernameSkeleton,
        change.status,
        this.parameter(change.emailVerified),
        change.phone,
        change.phoneNormalized,
        this.parameter(change.profile),
        change.createdAt,
        change.updatedAt,
        change.id,
      ],
    );
  }

  /** The parameters of the `replace` guard: whether there is an imported hash, and it ('' for none, never a hash). */
  private hashGuard(importedHash: string | null | undefined): unknown[] {
    return [importedHash === undefined ? 0 : 1, '', importedHash ?? ''];
  }

  private insertStatement(rows: number): string {
    let sql = this.insertSql.get(rows);
    if (!sql) {
      const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
      sql = `INSERT INTO users (${COLUMNS.map(([, column]) => column).join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
      this.insertSql.set(rows, sql);
    }
    return sql;
  }

  /** As the entity stores them: booleans as 0/1 (better-sqlite3 binds no booleans), profiles as JSON text. */
  private parameter(value: unknown): unknown {
    if (typeof value === 'boolean') {
      return value ? 1 : 0;
    }
    return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
  }

  private async inChunks<T>(
    transaction: Transaction | null,
    values: readonly unknown[],
    sql: (marks: string) => string,
    leading: unknown[],
  ): Promise<T[]> {
    const manager: EntityManager = transaction ? managerOf(transaction) : this.users.manager;
    const rows: T[] = [];
    for (let start = 0; start < values.length; start += IN_CHUNK) {
      const chunk = values.slice(start, start + IN_CHUNK);
      rows.push(...(await manager.query<T[]>(sql(chunk.map(() => '?').join(', ')), [...leading, ...chunk])));
    }
    return rows;
  }
}
