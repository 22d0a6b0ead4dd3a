import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { EntityRows } from '../database/entity-rows';
import { managerOf, Transaction } from '../database/transaction';
import { RefreshToken } from './entities/refresh-token.entity';

/** Every column of a new token. */
const INSERTED: readonly (keyof Omit<RefreshToken, 'id'>)[] = [
  'tenantId',
  'userId',
  'familyId',
  'parentId',
  'tokenHash',
  'issuedAt',
  'expiresAt',
  'usedAt',
  'revokedAt',
  'tokenEpoch',
];

/** Every query on refresh tokens. Those of every refresh are plain SQL, built once here. */
@Injectable()
export class RefreshTokensStore {
  private readonly rows: EntityRows<RefreshToken>;
  private readonly insertRow: (manager: EntityManager, values: Omit<RefreshToken, 'id'>) => Promise<number>;
  private readonly findByHashSql: string;
  private readonly findByIdSql: string;
  private readonly spendSql: string;
  private readonly retryParentSql: string;
  private readonly retryChildSql: string;
  private readonly familyHeldBySql: string;

  constructor(@InjectRepository(RefreshToken) tokens: Repository<RefreshToken>) {
    const rows = new EntityRows(tokens.manager.dataSource, RefreshToken);
    this.rows = rows;
    this.insertRow = rows.prepareInsert(INSERTED);
    const id = rows.column('id');
    const tokenHash = rows.column('tokenHash');
    const usedAt = rows.column('usedAt');
    const revokedAt = rows.column('revokedAt');
    const expiresAt = rows.column('expiresAt');
    const live = `${revokedAt} IS NULL AND ${expiresAt} > ?`;
    this.findByHashSql = `SELECT ${rows.selectList} FROM ${rows.table} WHERE ${tokenHash} = ? LIMIT 1`;
    this.findByIdSql = `SELECT ${rows.selectList} FROM ${rows.table} WHERE ${id} = ? LIMIT 1`;
    this.spendSql = `UPDATE ${rows.table} SET ${usedAt} = ? WHERE ${id} = ? AND ${usedAt} IS NULL AND ${live}`;
    // Sets the column to itself: a write that changes nothing, for the locks and the count (see `retry`).
    this.retryParentSql = `UPDATE ${rows.table} SET ${usedAt} = ${usedAt} WHERE ${id} = ? AND ${usedAt} >= ? AND ${live}`;
    this.retryChildSql =
      `UPDATE ${rows.table} SET ${usedAt} = ${usedAt} ` +
      `WHERE ${tokenHash} = ? AND ${rows.column('parentId')} = ? AND ${usedAt} IS NULL AND ${live}`;
    this.familyHeldBySql =
      `SELECT COUNT(*) AS tokens, SUM(CASE WHEN ${rows.column('userId')} = ? AND ${revokedAt} IS NULL THEN 1 ELSE 0 END) AS held ` +
      `FROM ${rows.table} WHERE ${rows.column('familyId')} = ?`;
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.rows.findOne(this.findByHashSql, [tokenHash]);
  }

  findById(id: number): Promise<RefreshToken | null> {
    return this.rows.findOne(this.findByIdSql, [id]);
  }

  async insert(transaction: Transaction, row: Omit<RefreshToken, 'id'>): Promise<void> {
    await this.insertRow(managerOf(transaction), row);
  }

  /** Marks a live token used at `now`; false when it is spent, revoked or expired. One write decides a race. */
  async spend(transaction: Transaction, id: number, now: number): Promise<boolean> {
    return (await this.rows.run(managerOf(transaction), this.spendSql, [now, id, now])) === 1;
  }

  /**
   * Whether a token first used at or after `since` is live, with its child `childHash` still unspent: a
   * retry may then be handed that child again. Asked as UPDATEs that change nothing, which read the rows'
   * current state and hold their locks (InnoDB) until the transaction ends, so a racing rotation of the
   * child or revocation of the family waits for this answer. mysql2 reports matched rows (FOUND_ROWS), as
   * SQLite does.
   */
  async retry(transaction: Transaction, id: number, childHash: string, now: number, since: number): Promise<RefreshToken | null> {
    const manager = managerOf(transaction);
    if ((await this.rows.run(manager, this.retryParentSql, [id, since, now])) !== 1) {
      return null;
    }
    const child = await this.rows.run(manager, this.retryChildSql, [childHash, id, now]);
    return child === 1 ? this.rows.findOne(this.findByHashSql, [childHash], manager) : null;
  }

  /** Revokes every token of the family that is not revoked yet. */
  async revokeFamily(transaction: Transaction, familyId: string, now: number): Promise<void> {
    await managerOf(transaction).update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /** Revokes every unrevoked token of the user's families but `keptFamilyId`. */
  async revokeFamiliesOfUserExcept(transaction: Transaction, userId: number, keptFamilyId: string, now: number): Promise<void> {
    await managerOf(transaction).update(RefreshToken, { userId, familyId: Not(keptFamilyId), revokedAt: IsNull() }, { revokedAt: now });
  }

  /** Whether the family exists, belongs to the user, and none of its tokens is revoked: one pass over the family's index. */
  async familyHeldBy(familyId: string, userId: number): Promise<boolean> {
    const [counts] = await this.rows.select(this.familyHeldBySql, [userId, familyId]);
    return Number(counts?.tokens) > 0 && Number(counts?.held) === Number(counts?.tokens);
  }
}
