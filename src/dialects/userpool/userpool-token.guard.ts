import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { TenantRequest } from '../../users/current-tenant.decorator';
import { User } from '../../users/entities/user.entity';
import { UserpoolTokensService } from './userpool-tokens.service';

/** Who a Bearer token signed in, and the token itself. */
export interface SignedIn {
  user: User;
  token: string;
}

type SignedInRequest = TenantRequest & { signedIn?: SignedIn };

/** `Bearer <token>`; Authing's servers take the bare token too, and so do clients written against them. */
function tokenOf(authorization: string | undefined): string | null {
  const token = /^(?:Bearer\s+)?(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  return token ?? null;
}

/**
 * Runs after UserpoolSignInGuard: the request's `Authorization` must carry a live token of that pool, else
 * UNAUTHORIZED (2020): missing, forged, expired, another pool's or dialect's, or ended by a logout or a
 * password change.
 */
@Injectable()
export class UserpoolTokenGuard implements CanActivate {
  constructor(private readonly tokens: UserpoolTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const token = tokenOf(request.headers.authorization);
    const user = token && request.tenant ? await this.tokens.userOf(request.tenant, token) : null;
    if (!token || !user) {
      throw new DomainError(DomainErrorCode.UNAUTHORIZED, { field: 'Authorization' });
    }
    request.signedIn = { user, token };
    return true;
  }
}

/** The handler parameter UserpoolTokenGuard resolved. */
export const CurrentSignIn = createParamDecorator((_data: unknown, context: ExecutionContext): SignedIn => {
  const signedIn = context.switchToHttp().getRequest<SignedInRequest>().signedIn;
  if (!signedIn) {
    throw new Error('CurrentSignIn used on a route without UserpoolTokenGuard');
  }
  return signedIn;
});
