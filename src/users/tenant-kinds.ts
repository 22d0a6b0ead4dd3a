import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token of the mounted dialects' tenant kinds, for reading an operator's `kind:code`. */
export const TENANT_KINDS = Symbol('TENANT_KINDS');

/** Injection token of a map from each mounted tenant kind to its dialect's name, for the events' `dialect`. */
export const TENANT_DIALECTS = Symbol('TENANT_DIALECTS');

/** A mounted dialect's tenant kind and name. */
export interface MountedTenantKind {
  kind: string;
  dialect: string;
}

/** Makes the tenant kinds the composition root mounts known to every module. */
@Global()
@Module({})
export class TenantKindsModule {
  static forRoot(mounted: readonly MountedTenantKind[]): DynamicModule {
    return {
      module: TenantKindsModule,
      providers: [
        { provide: TENANT_KINDS, useValue: mounted.map(({ kind }) => kind) },
        { provide: TENANT_DIALECTS, useValue: new Map(mounted.map(({ kind, dialect }) => [kind, dialect])) },
      ],
      exports: [TENANT_KINDS, TENANT_DIALECTS],
    };
  }
}
