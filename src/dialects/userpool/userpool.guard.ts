import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { TenantRequest } from '../../users/current-tenant.decorator';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { TenantsService } from '../../users/tenants.service';
import { USERPOOL_TENANT_KIND } from './userpool.tenant-kind';

export const USERPOOL_HEADER = 'x-userpool-id';

/** Resolves the pool from `x-userpool-id` before the body is looked at, and refuses disabled pools. */
@Injectable()
export class UserpoolGuard implements CanActivate {
  constructor(private readonly tenants: TenantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const poolId = request.headers[USERPOOL_HEADER];
    if (typeof poolId !== 'string' || poolId.trim() === '') {
      throw new DomainError(DomainErrorCode.TENANT_REQUIRED, { field: USERPOOL_HEADER });
    }
    request.tenant = await this.tenants.requireActive(USERPOOL_TENANT_KIND, poolId.trim(), USERPOOL_HEADER);
    return true;
  }
}
