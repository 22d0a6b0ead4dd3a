import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { Transaction } from '../../database/transaction';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { hashOpaqueToken } from '../../tokens/opaque-token';
import { Tenant } from '../../users/entities/tenant.entity';
import { SessionToken, SessionTokenScope } from './session-token.entity';
import { SessionTokensStore } from './session-tokens.store';

/** What a register or login spends: the token's identity, once checked; spent in the caller's transaction. */
export interface SessionTokenClaim {
  /** Throws VALIDATION_FAILED at `field` when the token is unknown, spent, expired or of another scope. */
  check(): Promise<SessionToken>;
  /** Spends the checked token; throws the same error when a racing request spent it first. */
  spend(transaction: Transaction | undefined): Promise<void>;
}

/**
 * Discuz! Q's session tokens (`SessionToken::generate`): 40 random characters handed to the client,
 * stored as a SHA-256, single use, expiring. They carry an identity proved by SMS or WeChat to the
 * register or login that binds it.
 */
@Injectable()
export class SessionTokensService {
  constructor(
    private readonly tokens: SessionTokensStore,
    private readonly clock: Clock,
  ) {}

  /** A new token of `scope` carrying `payload`, valid `ttlSeconds`. */
  async issue(
    site: Tenant,
    scope: SessionTokenScope,
    payload: Record<string, unknown>,
    ttlSeconds: number,
    userId: number | null = null,
  ): Promise<string> {
    const token = randomBytes(30).toString('base64url');
    const now = this.clock.now();
    await this.tokens.insert({
      tenantId: site.id,
      tokenHash: hashOpaqueToken(token),
      scope,
      payload,
      userId,
      createdAt: now,
      expiresAt: now + ttlSeconds * 1000,
      consumedAt: null,
    });
    return token;
  }

  /** The live token of one of `scopes`, or null; a string that cannot be a token is none. */
  async find(site: Tenant, token: unknown, scopes: readonly SessionTokenScope[]): Promise<SessionToken | null> {
    if (typeof token !== 'string' || token === '' || token.length > 128) {
      return null;
    }
    const row = await this.tokens.findLive(site.id, hashOpaqueToken(token), this.clock.now());
    return row && scopes.includes(row.scope) ? row : null;
  }

  /** Fills in a live token's user and payload; false when it expired or was spent meanwhile. */
  complete(row: SessionToken, change: Pick<SessionToken, 'userId' | 'payload'>): Promise<boolean> {
    return this.tokens.complete(row.id, change, this.clock.now());
  }

  /** Spends a token found by `find` on its own; false when a racing request spent it first. */
  consume(row: SessionToken): Promise<boolean> {
    return this.tokens.consume(undefined, row.id, this.clock.now());
  }

  /** The claim of a token a register or login names in `field`. */
  claim(site: Tenant, token: unknown, scopes: readonly SessionTokenScope[], field: string): SessionTokenClaim {
    const invalid = () => new DomainError(DomainErrorCode.VALIDATION_FAILED, { field, params: { rule: 'exists' } });
    let found: SessionToken | null = null;
    return {
      check: async () => {
        found = await this.find(site, token, scopes);
        if (!found) {
          throw invalid();
        }
        return found;
      },
      spend: async (transaction) => {
        if (!found) {
          throw new Error('a session token was spent before it was checked');
        }
        if (!(await this.tokens.consume(transaction, found.id, this.clock.now()))) {
          throw invalid();
        }
      },
    };
  }
}
