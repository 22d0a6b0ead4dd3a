import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../../clock/clock';
import { DomainError } from '../../error-codes/domain-error';
import { RefreshTokensService } from '../../tokens/refresh-tokens.service';
import { verifiedClaims } from '../../tokens/verified-claims';
import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';
import { TenantsService } from '../../users/tenants.service';
import { UsersService } from '../../users/users.service';
import { EnduserErrorCode } from './enduser.error-map';
import { ENDUSER_TENANT_KIND } from './enduser.tenant-kind';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS, SigningKeysService } from './signing-keys.service';

/** Quectel's fixed `iss` and `aud`. */
export const TOKEN_ISSUER = 'enduser';
export const TOKEN_AUDIENCE = 'Audience';
/** Quectel's tokens are valid from 2 minutes before their issue, which also absorbs clock skew between instances. */
const NOT_BEFORE_LEEWAY_SECONDS = 120;
const BEARER = /^Bearer(?: +|$)/i;
/** Far longer than any token this service signs; a longer one is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 4096;

type TokenType = 'AccessToken' | 'RefreshToken';

/** A token as Quectel answers it: `token` with its `Bearer ` prefix, `expirationTime` in epoch seconds. */
export interface IssuedEnduserToken {
  token: string;
  expirationTime: number;
}

export interface EnduserTokenPair {
  accessToken: IssuedEnduserToken;
  refreshToken: IssuedEnduserToken;
}

/** The caller of an authenticated enduser route. */
export interface SignedInEnduser {
  tenant: Tenant;
  user: User;
}

/**
 * Claims of a verified enduser token. Beside Quectel's, `userDomain` names the tenant, and an access token
 * carries the user's token epoch (`epoch`) and its refresh family (`sid`), so that both end it.
 */
interface EnduserClaims {
  uid: string;
  type: TokenType;
  jti: string;
  userDomain: string;
  epoch?: number;
  sid?: string;
}

const UID = /^C(\d{1,15})$/;

/** The claims when they have the shape `type` needs, else null: a token that is short of one is forged or foreign. */
function shaped(claims: Record<string, unknown> | null, type: TokenType): EnduserClaims | null {
  if (
    !claims ||
    claims.type !== type ||
    typeof claims.uid !== 'string' ||
    !UID.test(claims.uid) ||
    typeof claims.jti !== 'string' ||
    claims.jti === '' ||
    typeof claims.userDomain !== 'string' ||
    typeof claims.exp !== 'number' ||
    typeof claims.nbf !== 'number'
  ) {
    return null;
  }
  if (type === 'AccessToken' && (!Number.isSafeInteger(claims.epoch) || typeof claims.sid !== 'string' || claims.sid === '')) {
    return null;
  }
  return claims as unknown as EnduserClaims;
}

/**
 * Quectel-style RS256 tokens (`iss: "enduser"`, `aud: "Audience"`, `uid`, `type`), signed with the current key of
 * SigningKeysService and verified with the key their `kid` names. A refresh token's `jti` is the opaque token of a
 * core refresh-token family, so rotation, retries and reuse follow RefreshTokensService; an access token dies with
 * its family and with its user's token epoch.
 */
@Injectable()
export class EnduserTokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeysService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /** Starts a refresh-token family for the user and answers its first pair. */
  async signIn(tenant: Tenant, user: User): Promise<EnduserTokenPair> {
    const family = await this.refreshTokens.issue(tenant.id, user, REFRESH_TOKEN_TTL_SECONDS);
    return this.pair(tenant, user, family);
  }

  /**
   * Rotates a refresh token: the pair of its family's next token. Within REFRESH_REUSE_SECONDS of its first use
   * the same token yields that same next token again (with a new access token); later it ends the family.
   */
  async refresh(presented: string | undefined | null): Promise<EnduserTokenPair> {
    if (!presented) {
      throw new DomainError(EnduserErrorCode.REFRESH_TOKEN_REQUIRED, { field: 'refreshToken' });
    }
    const claims = await this.verify(presented, 'RefreshToken');
    const tenant = claims && (await this.tenants.find(ENDUSER_TENANT_KIND, claims.userDomain));
    if (!claims || !tenant) {
      throw invalidToken('refreshToken');
    }
    const rotated = await this.refreshTokens.rotate(tenant.id, claims.jti, REFRESH_TOKEN_TTL_SECONDS);
    if (`C${rotated.userId}` !== claims.uid) {
      throw invalidToken('refreshToken');
    }
    return this.pair(tenant, rotated.user, rotated);
  }

  /**
   * The caller named by an `Authorization` header holding an access token as issued (with or without its
   * `Bearer `): 5106 when there is none, 5032 when it is forged, expired, of another type, or ended since.
   */
  async signedIn(authorization: string | undefined): Promise<SignedInEnduser> {
    const token = authorization?.replace(BEARER, '').trim();
    if (!token) {
      throw new DomainError(EnduserErrorCode.TOKEN_REQUIRED, { field: 'Authorization' });
    }
    const claims = await this.verify(token, 'AccessToken');
    const tenant = claims && (await this.tenants.find(ENDUSER_TENANT_KIND, claims.userDomain));
    const user = tenant && claims && (await this.users.findSignedIn(tenant.id, Number(UID.exec(claims.uid)?.[1]), claims.epoch ?? -1));
    if (!tenant || !user || !claims?.sid || !(await this.refreshTokens.familyHeldBy(claims.sid, user.id))) {
      throw invalidToken('Authorization');
    }
    return { tenant, user };
  }

  private async pair(
    tenant: Tenant,
    user: User,
    family: { token: string; familyId: string; expiresAt: number },
  ): Promise<EnduserTokenPair> {
    const now = Math.floor(this.clock.now() / 1000);
    const uid = `C${user.id}`;
    const access = { uid, type: 'AccessToken', jti: randomUUID(), userDomain: tenant.code, epoch: user.tokenEpoch, sid: family.familyId };
    const refresh = { uid, type: 'RefreshToken', jti: family.token, userDomain: tenant.code };
    const refreshExpiry = Math.floor(family.expiresAt / 1000);
    return {
      accessToken: await this.sign(access, now, now + ACCESS_TOKEN_TTL_SECONDS),
      refreshToken: await this.sign(refresh, now, refreshExpiry),
    };
  }

  private async sign(claims: Record<string, unknown>, iat: number, exp: number): Promise<IssuedEnduserToken> {
    const { kid, privateKey } = await this.keys.signing();
    const payload = { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, ...claims, iat, nbf: iat - NOT_BEFORE_LEEWAY_SECONDS, exp };
    const token = await this.jwt.signAsync(payload, { privateKey, algorithm: 'RS256', keyid: kid });
    return { token: `Bearer ${token}`, expirationTime: exp };
  }

  /**
   * The claims of a token signed by a key that still verifies, pinned to RS256 with Quectel's issuer and
   * audience, by the injected clock (exp and nbf), with no critical header extension; null for any failure.
   */
  private async verify(presented: string, type: TokenType): Promise<EnduserClaims | null> {
    const token = presented.replace(BEARER, '').trim();
    if (token.length > MAX_TOKEN_LENGTH) {
      return null;
    }
    const kid = this.kidOf(token);
    const publicKey = kid === null ? null : await this.keys.verifying(kid);
    if (publicKey === null) {
      return null;
    }
    const claims = verifiedClaims<Record<string, unknown>>(token, publicKey, {
      algorithms: ['RS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      clockTimestamp: Math.floor(this.clock.now() / 1000),
    });
    return shaped(claims, type);
  }

  private kidOf(token: string): string | null {
    try {
      const decoded = this.jwt.decode<{ header?: { kid?: unknown } } | null>(token, { complete: true });
      return typeof decoded?.header?.kid === 'string' ? decoded.header.kid : null;
    } catch {
      return null;
    }
  }
}

function invalidToken(field: string): DomainError {
  return new DomainError(EnduserErrorCode.TOKEN_INVALID, { field });
}
