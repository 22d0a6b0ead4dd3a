import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { Transaction } from '../database/transaction';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { RefreshToken } from './entities/refresh-token.entity';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';
import { RefreshTokensStore } from './refresh-tokens.store';

export interface IssuedRefreshToken {
  token: string;
  userId: number;
  expiresAt: number;
}

/**
 * Opaque, single-use refresh tokens in families (OAuth 2.0 Security BCP, refresh token rotation):
 * each use spends the token and issues its child; a spent token presented again means one of two
 * parties holds a copy, so the whole family is revoked and neither can go on.
 */
@Injectable()
export class RefreshTokensService {
  constructor(
    private readonly tokens: RefreshTokensStore,
    private readonly transactions: TransactionRunnerService,
    private readonly clock: Clock,
  ) {}

  /** Starts a family, at login or registration. */
  async issue(tenantId: number, userId: number, ttlSeconds: number): Promise<IssuedRefreshToken> {
    return this.insert({ tenantId, userId, familyId: randomUUID(), parentId: null }, ttlSeconds);
  }

  /**
   * Spends `token` of the tenant and returns its child. Unknown, expired, revoked or foreign tokens are
   * REFRESH_TOKEN_INVALID; a token already spent also revokes every token of its family.
   */
  async rotate(tenantId: number, token: string, ttlSeconds: number): Promise<IssuedRefreshToken> {
    const invalid = new DomainError(DomainErrorCode.REFRESH_TOKEN_INVALID, { field: 'refresh_token' });
    const row = token.length <= 256 ? await this.tokens.findByHash(hashOpaqueToken(token)) : null;
    if (!row || row.tenantId !== tenantId) {
      throw invalid;
    }
    if (row.usedAt !== null) {
      await this.revokeFamily(row.familyId);
      throw invalid;
    }
    const child = await this.transactions.run(async (transaction) => {
      if (!(await this.tokens.spend(transaction, row.id, this.clock.now()))) {
        return null;
      }
      return this.insert({ tenantId, userId: row.userId, familyId: row.familyId, parentId: row.id }, ttlSeconds, transaction);
    });
    if (!child) {
      const current = await this.tokens.findById(row.id);
      if (current?.usedAt !== null && current?.revokedAt === null) {
        await this.revokeFamily(row.familyId);
      }
      throw invalid;
    }
    return child;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.revokeFamily(familyId, this.clock.now());
  }

  private async insert(
    row: Pick<RefreshToken, 'tenantId' | 'userId' | 'familyId' | 'parentId'>,
    ttlSeconds: number,
    transaction?: Transaction,
  ): Promise<IssuedRefreshToken> {
    const { token, hash } = newOpaqueToken();
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + ttlSeconds * 1000;
    await this.tokens.insert({ ...row, tokenHash: hash, issuedAt, expiresAt, usedAt: null, revokedAt: null }, transaction);
    return { token, userId: row.userId, expiresAt };
  }
}
