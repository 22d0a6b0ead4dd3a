import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { TenantRequest } from '../../common/current-tenant.decorator';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { TenantKind } from '../../users/entities/tenant.entity';
import { TenantsService } from '../../users/tenants.service';

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
    const pool = poolId.length <= 128 ? await this.tenants.find(TenantKind.Userpool, poolId.trim()) : null;
    if (!pool) {
      throw new DomainError(DomainErrorCode.TENANT_NOT_FOUND, { field: USERPOOL_HEADER });
    }
    if (!pool.enabled) {
      throw new DomainError(DomainErrorCode.REGISTRATION_DISABLED);
    }
    request.tenant = pool;
    return true;
  }
}
