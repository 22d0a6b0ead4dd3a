import { hkdfSync, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Transaction } from '../database/transaction';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { derivedOpaqueToken, hashOpaqueToken, newOpaqueToken, OpaqueToken } from './opaque-token';
import { RefreshTokensStore } from './refresh-tokens.store';

export interface IssuedRefreshToken {
  token: string;
  userId: number;
  /** Access tokens issued with this token carry it, and die with the family. */
  familyId: string;
  expiresAt: number;
}

export interface RotatedRefreshToken extends IssuedRefreshToken {
  /** The token's user, active and at the epoch the family was issued under. */
  user: User;
}

/**
 * Opaque, single-use refresh tokens in families (OAuth 2.0 Security BCP, refresh token rotation):
 * each use spends the token and issues its child. A spent token presented again within
 * REFRESH_REUSE_SECONDS of its first use, while its child is unspent, is the client retrying (a lost
 * answer, parallel requests, several tabs) and gets the same child again, so a family is always one
 * line; later, it means two parties hold a copy, so the whole family is revoked and neither can go on.
 * A family also ends with its user's token epoch.
 */
@Injectable()
export class RefreshTokensService {
  /** Derives each token's child, so that only this service can compute it, and no plain token is stored. */
  private readonly childKey: Buffer;

  constructor(
    private readonly tokens: RefreshTokensStore,
    private readonly transactions: TransactionRunnerService,
    private readonly users: UsersService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.childKey = Buffer.from(hkdfSync('sha256', config.security.jwtSecret, 'unireg', 'refresh token children v1', 32));
  }

  /** Starts a family, at login or registration, bound to the user's current token epoch. */
  async issue(tenantId: number, user: Pick<User, 'id' | 'tokenEpoch'>, ttlSeconds: number): Promise<IssuedRefreshToken> {
    const family = { tenantId, userId: user.id, familyId: randomUUID(), parentId: null, tokenEpoch: user.tokenEpoch };
    return this.transactions.runStatement((transaction) => this.insert(family, newOpaqueToken(), ttlSeconds, transaction));
  }

  /**
   * Spends `token` of the tenant and returns its child. Unknown, expired, revoked or foreign tokens, and
   * those of a user whose sessions were ended, are REFRESH_TOKEN_INVALID; a user who may not sign in
   * hears why (ACCOUNT_REJECTED, ...). A token presented again within the retry window returns the child
   * its first use made; one spent longer ago, or whose child was spent too, revokes the family.
   */
  async rotate(tenantId: number, token: string, ttlSeconds: number): Promise<RotatedRefreshToken> {
    const invalid = new DomainError(DomainErrorCode.REFRESH_TOKEN_INVALID, { field: 'refresh_token' });
    const row = token.length <= 256 ? await this.tokens.findByHash(hashOpaqueToken(token)) : null;
    const user = row?.tenantId === tenantId ? await this.users.find(tenantId, row.userId) : null;
    if (!row || !user) {
      throw invalid;
    }
    this.users.assertActive(user);
    if (user.tokenEpoch !== row.tokenEpoch || !(await this.tokens.familyHeldBy(row.familyId, row.userId))) {
      throw invalid;
    }
    const now = this.clock.now();
    const retrySince = now - this.config.tokens.refreshReuseSeconds * 1000;
    const next = derivedOpaqueToken(this.childKey, token);
    const child = await this.transactions.run(async (transaction) => {
      // Each step is a conditional UPDATE deciding in the database, so of concurrent presentations of one
      // token one spends it and inserts the child, and the others, waiting for its lock, meet that child.
      if (await this.tokens.spend(transaction, row.id, now)) {
        const family = { tenantId, userId: user.id, familyId: row.familyId, parentId: row.id, tokenEpoch: row.tokenEpoch };
        return this.insert(family, next, ttlSeconds, transaction);
      }
      const retried = await this.tokens.retry(transaction, row.id, next.hash, now, retrySince);
      return retried && { token: next.token, userId: user.id, familyId: row.familyId, expiresAt: retried.expiresAt };
    });
    if (!child) {
      const current = await this.tokens.findById(row.id);
      if (current?.usedAt !== null) {
        await this.transactions.runStatement((transaction) => this.tokens.revokeFamily(transaction, row.familyId, now));
      }
      throw invalid;
    }
    return { ...child, user };
  }

  /**
   * Whether the family exists, is the user's, and is not revoked. Revoking marks every token the family
   * has then, and a mark is never lifted, so a family with one revoked token is revoked, even if a racing
   * rotation added a token since.
   */
  familyHeldBy(familyId: string, userId: number): Promise<boolean> {
    return this.tokens.familyHeldBy(familyId, userId);
  }

  /**
   * Ends every family of the user but `keptFamilyId` (a password change ends the other sessions, not the
   * caller's), and with them their access tokens. A family a racing rotation extends meanwhile stays
   * revoked: a family with one revoked token is revoked (`familyHeldBy`).
   */
  async revokeOtherFamilies(userId: number, keptFamilyId: string): Promise<void> {
    await this.transactions.runStatement((transaction) =>
      this.tokens.revokeFamiliesOfUserExcept(transaction, userId, keptFamilyId, this.clock.now()),
    );
  }

  private async insert(
    row: Pick<RefreshToken, 'tenantId' | 'userId' | 'familyId' | 'parentId' | 'tokenEpoch'>,
    { token, hash }: OpaqueToken,
    ttlSeconds: number,
    transaction: Transaction,
  ): Promise<IssuedRefreshToken> {
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + ttlSeconds * 1000;
    await this.tokens.insert(transaction, { ...row, tokenHash: hash, issuedAt, expiresAt, usedAt: null, revokedAt: null });
    return { token, userId: row.userId, familyId: row.familyId, expiresAt };
  }
}
