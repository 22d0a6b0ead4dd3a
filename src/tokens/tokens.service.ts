import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decode, sign } from 'jsonwebtoken';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { RefreshTokensService } from './refresh-tokens.service';
import { verifiedClaims } from './verified-claims';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** What an access token is bound to: its user at the user's current token epoch. */
export type TokenHolder = Pick<User, 'id' | 'tokenEpoch'>;

export interface AccessTokenOptions {
  /** The refresh-token family it was issued with; the token dies with the family. */
  familyId?: string;
  /** Further claims a dialect's clients read; they cannot override the ones this service sets. */
  claims?: Record<string, unknown>;
}

/** A checked access token: its user, and the refresh-token family it was issued with, if any. */
export interface AccessTokenSession {
  user: User;
  familyId?: string;
}

export interface AccessTokenCheck {
  /** Refuse a token without `sid`: for an audience whose tokens are always issued with a refresh token. */
  familyRequired?: boolean;
}

/** The claims a token must carry to be checked at all; tokens issued before epochs existed carry none. */
interface AccessTokenClaims {
  sub?: unknown;
  jti?: unknown;
  epoch?: unknown;
  sid?: unknown;
}

const USER_ID = /^\d{1,15}$/;
const ALGORITHM = 'HS256';
const ISSUER = 'unireg';

/** What a verified token is bound to, or null when it lacks a claim or one has the wrong type. */
function boundClaims(claims: AccessTokenClaims | null): { userId: number; epoch: number; familyId?: string } | null {
  const { sub, jti, epoch, sid } = claims ?? {};
  if (
    typeof sub !== 'string' ||
    !USER_ID.test(sub) ||
    typeof jti !== 'string' ||
    typeof epoch !== 'number' ||
    !Number.isSafeInteger(epoch)
  ) {
    return null;
  }
  if (sid !== undefined && (typeof sid !== 'string' || sid === '')) {
    return null;
  }
  return { userId: Number(sub), epoch, familyId: sid };
}

/**
 * Signs and checks the access tokens dialects hand out, with the one server secret and the injected clock.
 * Each token is unique (`jti`), carries its user's token epoch (`epoch`) and, when issued with a refresh
 * token, its family (`sid`); a check reads the user and the family again, so revoking either ends the token.
 */
@Injectable()
export class TokensService {
  /** JWT_SECRET as a key made once: jsonwebtoken would otherwise parse the string anew on every sign and check. */
  private readonly key: KeyObject;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly refreshTokens: RefreshTokensService,
  ) {
    this.key = createSecretKey(Buffer.from(config.security.jwtSecret, 'utf8'));
  }

  async issue(holder: TokenHolder, audience: string, ttlSeconds: number, options: AccessTokenOptions = {}): Promise<IssuedToken> {
    const iat = Math.floor(this.clock.now() / 1000);
    const payload = { ...options.claims, iat, jti: randomUUID(), epoch: holder.tokenEpoch, sid: options.familyId };
    const token = sign(payload, this.key, {
      algorithm: ALGORITHM,
      issuer: ISSUER,
      subject: String(holder.id),
      audience,
      expiresIn: ttlSeconds,
    });
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  }

  /**
   * The active user of the tenant a valid token for `audience` names, or null for an expired, forged or
   * foreign token, one issued before the user's sessions were ended, or one whose refresh family is revoked,
   * unknown or another user's (or that names none, when `check.familyRequired`).
   */
  async userOf(tenantId: number, token: string, audience: string, check: AccessTokenCheck = {}): Promise<User | null> {
    return (await this.sessionOf(tenantId, token, audience, check))?.user ?? null;
  }

  /** As `userOf`, with the token's family too, for work that must tell the caller's own session from the user's others. */
  async sessionOf(tenantId: number, token: string, audience: string, check: AccessTokenCheck = {}): Promise<AccessTokenSession | null> {
    const claims = boundClaims(this.verify(token, audience));
    if (claims?.familyId === undefined && check.familyRequired) {
      return null;
    }
    const user = claims && (await this.users.findSignedIn(tenantId, claims.userId, claims.epoch));
    if (!user || (claims.familyId !== undefined && !(await this.refreshTokens.familyHeldBy(claims.familyId, user.id)))) {
      return null;
    }
    return { user, familyId: claims.familyId };
  }

  /** When a token `userOf` accepted expires, read from its `exp` without checking it again; null when it names none. */
  expiryOf(token: string): Date | null {
    const exp = (decode(token, { json: true }) as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : null;
  }

  private verify(token: string, audience: string): AccessTokenClaims | null {
    return verifiedClaims<AccessTokenClaims>(token, this.key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience,
      clockTimestamp: Math.floor(this.clock.now() / 1000),
    });
  }
}
