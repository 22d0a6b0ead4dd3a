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
   * Whether a token first used at or after `since` is live, with its child `childHash` still unspent: a
   * retry may then be handed that child again. Asked as UPDATEs that change nothing, which read the rows'
   * current state and hold their locks (InnoDB) until the transaction ends, so a racing rotation of the
   * child or revocation of the family waits for this answer. mysql2 reports matched rows (FOUND_ROWS), as
   * SQLite does.
   */
  async retry(transaction: Transaction, id: number, childHash: string, now: number, since: number): Promise<RefreshToken | null> {
    const manager = managerOf(transaction);
    const live = { revokedAt: IsNull(), expiresAt: MoreThan(now) };
    const parent = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: () => 'used_at' })
      .where({ id, usedAt: MoreThanOrEqual(since), ...live })
      .execute();
    if (parent.affected !== 1) {
      return null;
    }
    const child = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: () => 'used_at' })
      .where({ tokenHash: childHash, parentId: id, usedAt: IsNull(), ...live })
      .execute();
    return child.affected === 1 ? manager.findOneBy(RefreshToken, { tokenHash: childHash }) : null;
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
    const counts = await this.tokens
      .createQueryBuilder('token')
      .select('COUNT(*)', 'tokens')
      .addSelect('SUM(CASE WHEN token.user_id = :userId AND token.revoked_at IS NULL THEN 1 ELSE 0 END)', 'held')
      .where('token.family_id = :familyId', { familyId, userId })
      .getRawOne<{ tokens: number | string; held: number | string | null }>();
    return Number(counts?.tokens) > 0 && Number(counts?.held) === Number(counts?.tokens);
  }
}
