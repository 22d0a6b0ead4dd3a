import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of the mounted dialects' tenant kinds, for reading an operator's `kind:code`. */
export const TENANT_KINDS = Symbol('TENANT_KINDS');

/** Makes the tenant kinds the composition root mounts known to every module. */
@Global()
@Module({})
export class TenantKindsModule {
  static forRoot(kinds: readonly string[]): DynamicModule {
    return { module: TenantKindsModule, providers: [{ provide: TENANT_KINDS, useValue: kinds }], exports: [TENANT_KINDS] };
  }
}
