import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { Clock } from '../../clock/clock';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { verifiedClaims } from '../../tokens/verified-claims';
import { TenantRequest } from '../../users/current-tenant.decorator';
import { ServerKeysService } from './server-keys.service';
import { BytepowerErrorCode } from './bytepower.error-map';
import { countAsEndUser } from './bytepower-client-ip';

export const API_VERSION_MEDIA_TYPE = 'application/vnd.bytepower.v1+json';
export const AUTH_TOKEN_HEADER = 'x-bytepower-auth-token';

/** How far a token's `iat` may lie in the future (clock skew) or in the past (replay window). */
const IAT_FUTURE_SKEW_SECONDS = 300;
const TOKEN_MAX_AGE_SECONDS = 3600;

/** An `iat` above this is in milliseconds (the vendor's documented unit); seconds are seen in the wild too. */
const MILLISECOND_IAT_THRESHOLD = 100_000_000_000;

/**
 * `Accept: application/vnd.bytepower.v1+json`, the dialect's header check: answered before the body
 * is read and before the token is looked at, so a client on another API version hears that first.
 */
export function checkApiVersion(request: Request): DomainError | undefined {
  const accepted = (request.headers.accept ?? '').split(',').some((part) => {
    const [mediaType, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    // RFC 9110 §12.4.2: a weight of 0 means "not acceptable".
    const refused = parameters.some((parameter) => /^q\s*=\s*0(\.0{0,3})?$/.test(parameter));
    return mediaType === API_VERSION_MEDIA_TYPE && !refused;
  });
  return accepted ? undefined : new DomainError(BytepowerErrorCode.API_VERSION_INVALID);
}

/**
 * `X-BytePower-Auth-Token`: an HS256 JWT `{key_name, iat}` signed with the secret of an active server
 * key; the key's app becomes the request's tenant. Every failure is one UNAUTHORIZED.
 */
@Injectable()
export class ServerKeyGuard implements CanActivate {
  private readonly logger = new Logger('BytePowerAuth');
  /** Tokens naming an unknown key are still verified, against this, so both paths cost one HMAC. */
  private readonly decoy = createSecretKey(randomBytes(32));

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: ServerKeysService,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const token = request.headers[AUTH_TOKEN_HEADER];
    if (typeof token !== 'string' || token.length > 4096) {
      throw this.unauthorized('missing token');
    }
    const keyName = this.keyNameOf(token);
    const key = keyName === null ? null : await this.keys.findActive(keyName);
    const payload = this.verify(token, key?.verifier ?? this.decoy);
    if (!key || !payload) {
      throw this.unauthorized(key ? 'bad signature or algorithm' : 'unknown or revoked key');
    }
    if (!this.fresh(payload.iat)) {
      throw this.unauthorized('iat missing, in the future or too old');
    }
    if (!key.tenant.enabled) {
      throw this.unauthorized('app disabled');
    }
    request.tenant = key.tenant;
    countAsEndUser(request, key.tenant);
    return true;
  }

  private keyNameOf(token: string): string | null {
    let payload: unknown;
    try {
      payload = this.jwt.decode(token);
    } catch {
      return null;
    }
    const keyName = (payload as { key_name?: unknown } | null)?.key_name;
    return typeof keyName === 'string' && keyName.length > 0 && keyName.length <= 64 ? keyName : null;
  }

  /**
   * The payload when the signature is HS256 under `key`; the algorithm is pinned, so `none`, HS512 and RS256 fail.
   */
  private verify(token: string, key: KeyObject): { iat?: unknown } | null {
    return verifiedClaims<{ iat?: unknown }>(token, key, {
      algorithms: ['HS256'],
      clockTimestamp: Math.floor(this.clock.now() / 1000),
    });
  }

  private fresh(iat: unknown): boolean {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      return false;
    }
    const iatSeconds = iat > MILLISECOND_IAT_THRESHOLD ? iat / 1000 : iat;
    const age = this.clock.now() / 1000 - iatSeconds;
    return age >= -IAT_FUTURE_SKEW_SECONDS && age <= TOKEN_MAX_AGE_SECONDS;
  }

  private unauthorized(reason: string): DomainError {
    this.logger.debug(`refused: ${reason}`);
    return new DomainError(DomainErrorCode.UNAUTHORIZED, { reason });
  }
}
