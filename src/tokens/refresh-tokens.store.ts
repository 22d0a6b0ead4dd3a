import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, MoreThanOrEqual, Not, Repository } from 'typeorm';
import { managerOf, Transaction } from '../database/transaction';
import { RefreshToken } from './entities/refresh-token.entity';

/** Every query on refresh tokens. */
@Injectable()
export class RefreshTokensStore {
  constructor(@InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>) {}

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  findById(id: number): Promise<RefreshToken | null> {
    return this.tokens.findOneBy({ id });
  }

  async insert(transaction: Transaction, row: Omit<RefreshToken, 'id'>): Promise<void> {
    await managerOf(transaction).getRepository(RefreshToken).insert(row);
  }

  /** Marks a live token used at `now`; false when it is spent, revoked or expired. One write decides a race. */
  async spend(transaction: Transaction, id: number, now: number): Promise<boolean> {
    const result = await managerOf(transaction).update(
      RefreshToken,
      { id, usedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now },
    );
    return result.affected === 1;
  }

  /**
   * Whether a token first used at or after `since`, none of whose children went on yet, is still live, asked as an UPDATE that changes nothing:
   * it takes the row's lock (InnoDB) until the transaction ends, so a revocation waits for the retry's
   * child to exist and then revokes it too. mysql2 reports matched rows (FOUND_ROWS), as SQLite does.
   */
  async retry(transaction: Transaction, id: number, now: number, since: number): Promise<boolean> {
    const result = await managerOf(transaction)
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: () => 'used_at' })
      .where({ id, usedAt: MoreThanOrEqual(since), continuedBy: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    return result.affected === 1;
  }

  /**
   * Records `childId` as the one child that continues the family from `parentId`; false when another
   * child already did. Repeating it for the same child matches (mysql2 reports matched rows, as in
   * `retry`), and a racing sibling waits for the row's lock and then no longer matches.
   */
  async continueFrom(transaction: Transaction, parentId: number, childId: number): Promise<boolean> {
    const result = await managerOf(transaction)
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ continuedBy: childId })
      .where([
        { id: parentId, continuedBy: IsNull() },
        { id: parentId, continuedBy: childId },
      ])
      .execute();
    return result.affected === 1;
  }

  /** Revokes every token of the family that is not revoked yet. */
  async revokeFamily(transaction: Transaction, familyId: string, now: number): Promise<void> {
    await managerOf(transaction).update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /** One look-up on the family's index. */
  familyRevoked(familyId: string): Promise<boolean> {
    return this.tokens.existsBy({ familyId, revokedAt: Not(IsNull()) });
  }
}
