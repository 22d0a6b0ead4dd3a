import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EarlyErrorGuard } from './early-error';
import { DIALECT_ROUTES, DialectExceptionFilter, DialectRoutes } from './dialect-exception.filter';

/** Installs the one global filter that renders every error in the envelope of the dialect whose path was hit. */
@Module({})
export class ErrorCodeModule {
  static forRoot(dialects: readonly DialectRoutes[]): DynamicModule {
    return {
      module: ErrorCodeModule,
      global: true,
      providers: [
        { provide: DIALECT_ROUTES, useValue: dialects },
        DialectExceptionFilter,
        { provide: APP_FILTER, useExisting: DialectExceptionFilter },
        { provide: APP_GUARD, useClass: EarlyErrorGuard },
      ],
      exports: [DialectExceptionFilter],
    };
  }
}
