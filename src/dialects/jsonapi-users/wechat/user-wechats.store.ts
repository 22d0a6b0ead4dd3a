import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { uniqueViolationMessage } from '../../../database/database-errors';
import { managerOf, Transaction } from '../../../database/transaction';
import { UserWechat } from './user-wechat.entity';

/** The identity columns of a binding, each unique on the site. */
export type WechatIdColumn = 'mpOpenid' | 'devOpenid' | 'minOpenid' | 'unionid';

export type NewUserWechat = Omit<UserWechat, 'id' | 'tenant' | 'user'>;

/** Rows per multi-row INSERT (15 parameters each). */
const INSERT_CHUNK = 500;

/** Every query on WeChat bindings; inside a transaction when given one, so a bind is all or nothing. */
@Injectable()
export class UserWechatsStore {
  constructor(@InjectRepository(UserWechat) private readonly bindings: Repository<UserWechat>) {}

  /** The site's bindings holding any of `ids` in the named column, oldest first. */
  findByIds(
    transaction: Transaction | undefined,
    tenantId: number,
    ids: readonly (readonly [WechatIdColumn, string])[],
  ): Promise<UserWechat[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return this.manager(transaction).find(UserWechat, {
      where: ids.map(([column, value]) => ({ tenantId, [column]: value })),
      order: { id: 'ASC' },
    });
  }

  findByUser(transaction: Transaction | undefined, userId: number): Promise<UserWechat | null> {
    return this.manager(transaction).findOneBy(UserWechat, { userId });
  }

  /** Which users of the site hold which of `values` in `column` (an import checks a batch's bindings at once). */
  async holders(tenantId: number, column: WechatIdColumn, values: readonly string[]): Promise<Map<string, number>> {
    if (values.length === 0) {
      return new Map();
    }
    const rows = await this.bindings.find({ select: { userId: true, [column]: true }, where: { tenantId, [column]: In(values) } });
    return new Map(rows.map((row) => [row[column] as string, row.userId]));
  }

  /** The bindings of these users. */
  findByUsers(transaction: Transaction, userIds: readonly number[]): Promise<UserWechat[]> {
    return userIds.length === 0 ? Promise.resolve([]) : managerOf(transaction).findBy(UserWechat, { userId: In(userIds) });
  }

  /** Adds bindings in multi-row INSERTs. */
  async insertMany(transaction: Transaction, rows: readonly NewUserWechat[]): Promise<void> {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await managerOf(transaction).insert(UserWechat, rows.slice(start, start + INSERT_CHUNK));
    }
  }

  async insert(transaction: Transaction, row: NewUserWechat): Promise<void> {
    await managerOf(transaction).insert(UserWechat, row);
  }

  async update(transaction: Transaction, id: number, changes: Partial<NewUserWechat>): Promise<void> {
    await managerOf(transaction).update(UserWechat, { id }, changes);
  }

  async delete(transaction: Transaction, id: number): Promise<void> {
    await managerOf(transaction).delete(UserWechat, { id });
  }

  /** Whether a write failed on one of the unique indexes: an id or the user is bound already. */
  isTaken(error: unknown): boolean {
    return uniqueViolationMessage(error) !== undefined;
  }

  private manager(transaction: Transaction | undefined): EntityManager {
    return transaction ? managerOf(transaction) : this.bindings.manager;
  }
}
