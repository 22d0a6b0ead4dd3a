import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, EntityNotFoundError, In, IsNull, MoreThan, Not, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { uniqueViolationMessage } from '../database/database-errors';
import { EntityRows } from '../database/entity-rows';
import { managerOf, Transaction } from '../database/transaction';
import { Tenant } from './entities/tenant.entity';
import {
  USER_EMAIL_INDEX,
  USER_EMAIL_SKELETON_INDEX,
  USER_PHONE_INDEX,
  USER_USERNAME_INDEX,
  USER_USERNAME_SKELETON_INDEX,
  User,
  UserStatus,
} from './entities/user.entity';

/**
 * Every column of a new user; the hash (null for a password-less user) is written, though reads leave it out.
 * The last sign-in's time and address start null, the columns' default, and so do the import's columns.
 */
export type NewUserRow = Omit<User, 'id' | 'tenant' | 'passwordHash' | 'lastLoginAt' | 'lastIp' | 'externalId' | 'importDigest'> & {
  passwordHash: string | null;
};

/** What a sign-in records: when, and the client address if the dialect knows it. */
export interface LoginRecord {
  at: number;
  ip: string | null;
}

const INSERTED: readonly (keyof NewUserRow)[] = [
  'tenantId',
  'email',
  'emailNormalized',
  'username',
  'usernameNormalized',
  'emailSkeleton',
  'usernameSkeleton',
  'passwordHash',
  'status',
  'emailVerified',
  'phone',
  'phoneNormalized',
  'registerSource',
  'profile',
  'loginsCount',
  'tokenEpoch',
  'createdAt',
  'updatedAt',
];

const SKELETON_BATCH = 500;

/** The columns a user without an identity gets from `UsersService.completeIdentity`; `profile`, when given, replaces the stored one. */
export type IdentityChange = Pick<
  User,
  'email' | 'username' | 'emailNormalized' | 'usernameNormalized' | 'emailSkeleton' | 'usernameSkeleton' | 'emailVerified' | 'updatedAt'
> & { passwordHash: string; profile?: Record<string, unknown> };

/** A status to set, only while the user's is `from`, ending the user's sessions too when `endSessions`. */
export interface StatusChange {
  id: number;
  status: UserStatus;
  from: UserStatus;
  endSessions: boolean;
  updatedAt: number;
}

/** A user read with its tenant (`findWithTenant`). */
export type UserWithTenant = User & { tenant: Tenant };

/** How a login names its account: exactly one normalised identifier. */
export type LoginKey = { emailNormalized: string } | { usernameNormalized: string } | { phoneNormalized: string };

type LoginKeyProperty = 'emailNormalized' | 'usernameNormalized' | 'phoneNormalized';

/** Every query on users. The statements of registration, sign-in and token reads are plain SQL, built once here. */
@Injectable()
export class UsersStore {
  private readonly rows: EntityRows<User>;
  private readonly tenantRows: EntityRows<Tenant>;
  private readonly emailTakenSql: string;
  private readonly usernameTakenSql: string;
  private readonly insertRow: (manager: EntityManager, values: NewUserRow) => Promise<number>;
  private readonly findSql: string;
  private readonly findWithPasswordHashSql: Record<LoginKeyProperty, string>;
  private readonly countLoginSql: string;
  private readonly findWithTenantSql: string;
  private readonly passwordHashSql: string;

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {
    const dataSource = users.manager.dataSource;
    this.rows = new EntityRows(dataSource, User);
    this.tenantRows = new EntityRows(dataSource, Tenant);
    const taken = (normalized: 'emailNormalized' | 'usernameNormalized', skeleton: 'emailSkeleton' | 'usernameSkeleton') =>
      `SELECT 1 FROM ${this.rows.table} WHERE ${this.rows.column('tenantId')} = ? ` +
      `AND (${this.rows.column(normalized)} = ? OR ${this.rows.column(skeleton)} = ?) LIMIT 1`;
    this.emailTakenSql = taken('emailNormalized', 'emailSkeleton');
    this.usernameTakenSql = taken('usernameNormalized', 'usernameSkeleton');
    this.insertRow = this.rows.prepareInsert(INSERTED);
    const { rows, tenantRows } = this;
    this.findSql = `SELECT ${rows.selectList} FROM ${rows.table} WHERE ${rows.column('tenantId')} = ? AND ${rows.column('id')} = ? LIMIT 1`;
    const withPasswordHash = (key: LoginKeyProperty) =>
      `SELECT ${rows.selectList}, ${rows.column('passwordHash')} FROM ${rows.table} ` +
      `WHERE ${rows.column('tenantId')} = ? AND ${rows.column(key)} = ? LIMIT 1`;
    this.findWithPasswordHashSql = {
      emailNormalized: withPasswordHash('emailNormalized'),
      usernameNormalized: withPasswordHash('usernameNormalized'),
      phoneNormalized: withPasswordHash('phoneNormalized'),
    };
    const loginsCount = rows.column('loginsCount');
    this.countLoginSql =
      `UPDATE ${rows.table} SET ${loginsCount} = ${loginsCount} + 1, ${rows.column('lastLoginAt')} = ?, ${rows.column('lastIp')} = ? ` +
      `WHERE ${rows.column('id')} = ?`;
    this.findWithTenantSql =
      `SELECT ${rows.selectListAs('u')}, ${tenantRows.selectListAs('t')} FROM ${rows.table} u ` +
      `LEFT JOIN ${tenantRows.table} t ON t.${tenantRows.column('id')} = u.${rows.column('tenantId')} WHERE u.${rows.column('id')} = ? LIMIT 1`;
    this.passwordHashSql = `SELECT ${rows.column('passwordHash')} FROM ${rows.table} WHERE ${rows.column('id')} = ? LIMIT 1`;
  }

  /** Whether the address, or a look-alike of it (same skeleton), is taken. */
  emailTaken(tenantId: number, emailNormalized: string, emailSkeleton: string): Promise<boolean> {
    return this.rows.exists(this.emailTakenSql, [tenantId, emailNormalized, emailSkeleton]);
  }

  /** Whether the username, or a look-alike of it (same skeleton), is taken. */
  usernameTaken(tenantId: number, usernameNormalized: string, usernameSkeleton: string): Promise<boolean> {
    return this.rows.exists(this.usernameTakenSql, [tenantId, usernameNormalized, usernameSkeleton]);
  }

  /** Writes every column and returns the new id, without reading the row back. */
  insert(transaction: Transaction, row: NewUserRow): Promise<number> {
    return this.insertRow(managerOf(transaction), row);
  }

  /** Whether a user of the tenant has the phone (E.164). */
  phoneTaken(tenantId: number, phoneNormalized: string): Promise<boolean> {
    return this.users.existsBy({ tenantId, phoneNormalized });
  }

  /** Whether a user of the tenant, other than `exceptId` when given, has one of these normalised usernames exactly. */
  usernameAmong(tenantId: number, usernamesNormalized: string[], exceptId?: number): Promise<boolean> {
    return this.users.existsBy({
      tenantId,
      usernameNormalized: In(usernamesNormalized),
      ...(exceptId === undefined ? {} : { id: Not(exceptId) }),
    });
  }

  /** Whether another user of user `id`'s tenant has one of these normalised usernames exactly. */
  usernameAmongOthers(transaction: Transaction | undefined, id: number, usernamesNormalized: string[]): Promise<boolean> {
    const manager = transaction ? managerOf(transaction) : this.users.manager;
    return manager
      .createQueryBuilder(User, 'other')
      .where('other.usernameNormalized IN (:...names)', { names: usernamesNormalized })
      .andWhere('other.id <> :id', { id })
      .andWhere(
        (query) => `other.tenantId = ${query.subQuery().select('owner.tenantId').from(User, 'owner').where('owner.id = :id').getQuery()}`,
      )
      .getExists();
  }

  /** Which of the unique identifiers an `insert` or `setPhone` that failed with `error` found taken, if that was the reason. */
  takenBy(error: unknown): 'email' | 'username' | 'phone' | undefined {
    const message = uniqueViolationMessage(error);
    if (!message) {
      return undefined;
    }
    // MySQL names the index, SQLite the columns.
    const names = (index: string, skeletonIndex: string, column: string) =>
      [index, skeletonIndex, `${column}_normalized`, `${column}_skeleton`].some((name) => message.includes(name));
    if (names(USER_USERNAME_INDEX, USER_USERNAME_SKELETON_INDEX, 'username')) {
      return 'username';
    }
    if (names(USER_EMAIL_INDEX, USER_EMAIL_SKELETON_INDEX, 'email')) {
      return 'email';
    }
    if (message.includes(USER_PHONE_INDEX) || message.includes('phone_normalized')) {
      return 'phone';
    }
    return undefined;
  }

  /**
   * Gives skeleton digests to the users that lack them, oldest first: of two look-alikes registered
   * before skeletons, the earlier gets its skeleton and the later keeps none (its unique index would
   * refuse it), so both keep their names and a third look-alike is refused.
   */
  async fillMissingSkeletons(compute: (user: User) => Pick<User, 'emailSkeleton' | 'usernameSkeleton'>): Promise<void> {
    for (let after = 0; ;) {
      const batch = await this.users.find({
        where: [
          { id: MoreThan(after), email: Not(IsNull()), emailSkeleton: IsNull() },
          { id: MoreThan(after), username: Not(IsNull()), usernameSkeleton: IsNull() },
        ],
        order: { id: 'ASC' },
        take: SKELETON_BATCH,
      });
      for (const user of batch) {
        const computed = compute(user);
        for (const column of ['emailSkeleton', 'usernameSkeleton'] as const) {
          if (user[column] === null && computed[column] !== null) {
            await this.users.update({ id: user.id }, { [column]: computed[column] }).catch((error: unknown) => {
              if (!uniqueViolationMessage(error)) {
                throw error;
              }
            });
          }
        }
      }
      if (batch.length < SKELETON_BATCH) {
        return;
      }
      after = batch[batch.length - 1].id;
    }
  }

  /** The account a login names, with its password hash. */
  findWithPasswordHash(tenantId: number, key: LoginKey): Promise<User | null> {
    const [[property, value]] = Object.entries(key) as [LoginKeyProperty, string][];
    return this.rows.findOne(this.findWithPasswordHashSql[property], [tenantId, value]);
  }

  find(tenantId: number, id: number): Promise<User | null> {
    return this.rows.findOne(this.findSql, [tenantId, id]);
  }

  findByEmail(tenantId: number, emailNormalized: string): Promise<User | null> {
    return this.users.findOneBy({ tenantId, emailNormalized });
  }

  /** The user with its tenant, read inside `transaction`: what an event of a change made in it shows. */
  async findWithTenant(transaction: Transaction, id: number): Promise<UserWithTenant | null> {
    const [row] = await this.rows.select(this.findWithTenantSql, [id], managerOf(transaction));
    const user = row ? this.rows.fromRow(row, 'u') : null;
    if (!user) {
      return null;
    }
    user.tenant = this.tenantRows.fromRow(row, 't') ?? undefined;
    return user as UserWithTenant;
  }

  /** Replaces the user's profile inside `transaction`; false when there is no such user. */
  async setProfile(transaction: Transaction, id: number, profile: Record<string, unknown>, now: number): Promise<boolean> {
    // `profile` is simple-json, which takes any object; TypeORM's partial type knows only its own shapes.
    const result = await managerOf(transaction).update(User, { id }, { profile, updatedAt: now } as QueryDeepPartialEntity<User>);
    return result.affected === 1;
  }

  /** Deletes the user inside `transaction`; false when there is no such user. */
  async delete(transaction: Transaction, id: number): Promise<boolean> {
    const result = await managerOf(transaction).delete(User, { id });
    return result.affected === 1;
  }

  findByPhone(tenantId: number, phoneNormalized: string): Promise<User | null> {
    return this.users.findOneBy({ tenantId, phoneNormalized });
  }

  /** The user's hash, null when the user has none or does not exist. */
  async passwordHashOf(id: number): Promise<string | null> {
    const row = await this.rows.findOne(this.passwordHashSql, [id]);
    return row?.passwordHash ?? null;
  }

  /** Sets the user's phone (both columns; null clears it) inside `transaction`; throws the unique violation when another user has it. */
  async setPhone(transaction: Transaction, id: number, phone: string | null, phoneNormalized: string | null, now: number): Promise<void> {
    await managerOf(transaction).update(User, { id }, { phone, phoneNormalized, updatedAt: now });
  }

  /**
   * Sets the identity of a user who has none (no email, username, mobile or password) in one conditional
   * UPDATE, so that of two racing completions one wins; false when the user has one by now. A taken
   * identity throws the unique violation, as `insert` does.
   */
  async completeIdentity(transaction: Transaction, id: number, change: IdentityChange): Promise<boolean> {
    const result = await managerOf(transaction).update(
      User,
      { id, email: IsNull(), username: IsNull(), phoneNormalized: IsNull(), passwordHash: IsNull() },
      // `profile` is simple-json, which takes any object; TypeORM's partial type knows only its own shapes.
      change as QueryDeepPartialEntity<User>,
    );
    return result.affected === 1;
  }

  /** Replaces the user's hash inside `transaction`; false when there is no such user. */
  async setPasswordHash(transaction: Transaction, id: number, passwordHash: string, now: number): Promise<boolean> {
    const result = await managerOf(transaction).update(User, { id }, { passwordHash, updatedAt: now });
    return result.affected === 1;
  }

  /** Replaces the hash `from` by `to`, only while `from` is still the user's (a password change since wins); `updatedAt` stays. */
  async replacePasswordHash(id: number, from: string, to: string): Promise<boolean> {
    const result = await this.users.update({ id, passwordHash: from }, { passwordHash: to });
    return result.affected === 1;
  }

  /**
   * Counts a login and records its time and address in one UPDATE (so two at once both count), inside
   * `transaction`, and returns the user as it is then, with its tenant; `updatedAt` stays.
   */
  async countLogin(transaction: Transaction, id: number, login: LoginRecord): Promise<UserWithTenant> {
    await this.rows.run(managerOf(transaction), this.countLoginSql, [login.at, login.ip, id]);
    const user = await this.findWithTenant(transaction, id);
    if (!user) {
      throw new EntityNotFoundError(User, { where: { id }, relations: { tenant: true } });
    }
    return user;
  }

  /** Users of one tenant, or of all, with their tenants, oldest first. */
  list(tenantId?: number): Promise<User[]> {
    return this.users.find({
      where: tenantId === undefined ? {} : { tenantId },
      relations: { tenant: true },
      order: { id: 'ASC' },
    });
  }

  /** One conditional UPDATE inside `transaction`, so that a racing change cannot slip in between; false when no row matched. */
  async setStatus(transaction: Transaction, change: StatusChange): Promise<boolean> {
    const result = await managerOf(transaction)
      .createQueryBuilder()
      .update(User)
      .set({ status: change.status, updatedAt: change.updatedAt, ...(change.endSessions ? { tokenEpoch: () => this.nextEpoch } : {}) })
      .where({ id: change.id, status: change.from })
      .execute();
    return result.affected === 1;
  }

  /** Raises the user's token epoch; false when there is no such user. */
  async endSessions(id: number): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ tokenEpoch: () => this.nextEpoch })
      .where({ id })
      .execute();
    return result.affected === 1;
  }

  /** Computed by the database, so that two raises at once both count. */
  private get nextEpoch(): string {
    return `${this.rows.column('tokenEpoch')} + 1`;
  }
}
