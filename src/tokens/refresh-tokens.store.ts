import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
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

  /** Adds a token, inside `transaction` when one is given. */
  async insert(row: Omit<RefreshToken, 'id'>, transaction?: Transaction): Promise<void> {
    await (transaction ? managerOf(transaction).getRepository(RefreshToken) : this.tokens).insert(row);
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

  /** Revokes every token of the family that is not revoked yet. */
  async revokeFamily(familyId: string, now: number): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
  }
}
