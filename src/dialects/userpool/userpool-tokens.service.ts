import { Injectable } from '@nestjs/common';
import { IssuedToken, TokenHolder, TokensService } from '../../tokens/tokens.service';
import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';

/** Authing's default token lifetime: 15 days. */
export const USERPOOL_TOKEN_TTL_SECONDS = 15 * 24 * 3600;

/** Every pool's tokens name it as their audience, so one pool's token is refused by every other pool. */
const audienceOf = (pool: Tenant) => `userpool:${pool.code}`;

/** The userpool's access tokens: the core's JWTs, one audience per pool, with the claims Authing clients read. */
@Injectable()
export class UserpoolTokensService {
  constructor(private readonly tokens: TokensService) {}

  issue(user: TokenHolder & Pick<User, 'email' | 'username'>, pool: Tenant): Promise<IssuedToken> {
    return this.tokens.issue(user, audienceOf(pool), USERPOOL_TOKEN_TTL_SECONDS, {
      claims: { userpoolId: pool.code, email: user.email, username: user.username },
    });
  }

  /** The signed-in user a token of this pool names, or null (forged, expired, another pool's, or ended by the user's token epoch). */
  userOf(pool: Tenant, token: string): Promise<User | null> {
    return this.tokens.userOf(pool.id, token, audienceOf(pool));
  }

  /** The token as its holder sent it, with its expiry: what `users/me` answers, so a client that stores the answer keeps its token. */
  presented(token: string): IssuedToken | null {
    const expiresAt = this.tokens.expiryOf(token);
    return expiresAt && { token, expiresAt };
  }
}
