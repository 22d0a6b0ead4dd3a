import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Tenant } from './entities/tenant.entity';

export type TenantRequest = Request & { tenant?: Tenant };

/** The tenant a dialect's guard resolved for this request. */
export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): Tenant => {
  const tenant = context.switchToHttp().getRequest<TenantRequest>().tenant;
  if (!tenant) {
    throw new Error('CurrentTenant used on a route without a tenant guard');
  }
  return tenant;
});
