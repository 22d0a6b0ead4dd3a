import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { uniqueViolationMessage } from '../database/database-errors';
import { EntityRows } from '../database/entity-rows';
import { managerOf, Transaction } from '../database/transaction';
import { USER_EMAIL_INDEX, USER_USERNAME_INDEX, User, UserStatus } from './entities/user.entity';

/** Every column of a new user; the hash is required here, though reads leave it out. */
export type NewUserRow = Omit<User, 'id' | 'tenant' | 'passwordHash'> & { passwordHash: string };

const INSERTED: readonly (keyof NewUserRow)[] = [
  'tenantId',
  'email',
  'emailNormalized',
  'username',
  'usernameNormalized',
  'passwordHash',
  'status',
  'emailVerified',
  'phone',
  'registerSource',
  'profile',
  'loginsCount',
  'createdAt',
  'updatedAt',
];

/** How a login names its account: exactly one normalised identifier. */
export type LoginKey = { emailNormalized: string } | { usernameNormalized: string };

/** Every query on users. The registration hot path's statements are plain SQL, built once here. */
@Injectable()
export class UsersStore {
  private readonly rows: EntityRows<User>;
  private readonly emailTakenSql: string;
  private readonly usernameTakenSql: string;
  private readonly insertRow: (manager: EntityManager, values: NewUserRow) => Promise<number>;

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {
    this.rows = new EntityRows(users.manager.dataSource, User);
    const taken = (column: 'emailNormalized' | 'usernameNormalized') =>
      `SELECT 1 FROM ${this.rows.table} WHERE ${this.rows.column('tenantId')} = ? AND ${this.rows.column(column)} = ? LIMIT 1`;
    this.emailTakenSql = taken('emailNormalized');
    this.usernameTakenSql = taken('usernameNormalized');
    this.insertRow = this.rows.prepareInsert(INSERTED);
  }

  emailTaken(tenantId: number, emailNormalized: string): Promise<boolean> {
    return this.rows.exists(this.emailTakenSql, [tenantId, emailNormalized]);
  }

  usernameTaken(tenantId: number, usernameNormalized: string): Promise<boolean> {
    return this.rows.exists(this.usernameTakenSql, [tenantId, usernameNormalized]);
  }

  /** Writes every column and returns the new id, without reading the row back. */
  insert(transaction: Transaction, row: NewUserRow): Promise<number> {
    return this.insertRow(managerOf(transaction), row);
  }

  /** Which of the unique identifiers an `insert` that failed with `error` found taken, if that was the reason. */
  takenBy(error: unknown): 'email' | 'username' | undefined {
    const message = uniqueViolationMessage(error);
    if (!message) {
      return undefined;
    }
    // MySQL names the index, SQLite the columns.
    if (message.includes(USER_USERNAME_INDEX) || message.includes('username_normalized')) {
      return 'username';
    }
    if (message.includes(USER_EMAIL_INDEX) || message.includes('email_normalized')) {
      return 'email';
    }
    return undefined;
  }

  /** The account a login names, with its password hash. */
  findWithPasswordHash(tenantId: number, key: LoginKey): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where({ tenantId, ...key })
      .getOne();
  }

  find(tenantId: number, id: number): Promise<User | null> {
    return this.users.findOneBy({ tenantId, id });
  }

  /** Counts a login and returns the new total; `updatedAt` stays. */
  async countLogin(id: number): Promise<number> {
    await this.users.increment({ id }, 'loginsCount', 1);
    return (await this.users.findOneByOrFail({ id })).loginsCount;
  }

  /** Users of one tenant, or of all, with their tenants, oldest first. */
  list(tenantId?: number): Promise<User[]> {
    return this.users.find({
      where: tenantId === undefined ? {} : { tenantId },
      relations: { tenant: true },
      order: { id: 'ASC' },
    });
  }

  /** Sets a user's status; returns the updated user, or null when there is none with that id. */
  async setStatus(id: number, status: UserStatus, updatedAt: number): Promise<User | null> {
    const user = await this.users.findOneBy({ id });
    if (!user) {
      return null;
    }
    await this.users.update({ id }, { status, updatedAt });
    return Object.assign(user, { status, updatedAt });
  }
}
