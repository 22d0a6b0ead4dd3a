import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DIALECT_ROUTES, DialectResolver, DialectRoutes } from '../common/dialect-resolver';
import { DialectExceptionFilter } from './dialect-exception.filter';

/**
 * Installs the one global filter that renders every error in the envelope of the dialect whose path was
 * hit, and the path-to-dialect resolver it shares with header checks, metrics and the request log.
 */
@Module({})
export class ErrorCodeModule {
  static forRoot(dialects: readonly DialectRoutes[]): DynamicModule {
    return {
      module: ErrorCodeModule,
      global: true,
      providers: [
        { provide: DIALECT_ROUTES, useValue: dialects },
        DialectResolver,
        DialectExceptionFilter,
        { provide: APP_FILTER, useExisting: DialectExceptionFilter },
      ],
      exports: [DialectResolver, DialectExceptionFilter],
    };
  }
}
