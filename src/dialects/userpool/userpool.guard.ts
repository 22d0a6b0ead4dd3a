import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { TenantRequest } from '../../users/current-tenant.decorator';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { TenantsService } from '../../users/tenants.service';
import { USERPOOL_TENANT_KIND } from './userpool.tenant-kind';

export const USERPOOL_HEADER = 'x-userpool-id';

/** The pool id a request names in `x-userpool-id`, trimmed; TENANT_REQUIRED without one. */
function poolIdOf(request: TenantRequest): string {
  const poolId = request.headers[USERPOOL_HEADER];
  if (typeof poolId !== 'string' || poolId.trim() === '') {
    throw new DomainError(DomainErrorCode.TENANT_REQUIRED, { field: USERPOOL_HEADER });
  }
  return poolId.trim();
}

/** Resolves the pool from `x-userpool-id` before the body is looked at, and refuses pools closed to registration. */
@Injectable()
export class UserpoolGuard implements CanActivate {
  constructor(private readonly tenants: TenantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    request.tenant = await this.tenants.requireActive(USERPOOL_TENANT_KIND, poolIdOf(request), USERPOOL_HEADER);
    return true;
  }
}

/** The same for sign-in routes: a pool closed to registration still signs its users in. */
@Injectable()
export class UserpoolSignInGuard implements CanActivate {
  constructor(private readonly tenants: TenantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    request.tenant = await this.tenants.requireExisting(USERPOOL_TENANT_KIND, poolIdOf(request), USERPOOL_HEADER);
    return true;
  }
}
