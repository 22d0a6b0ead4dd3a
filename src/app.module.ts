import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DIALECTS } from './dialects';
import { Dialect } from './dialects/dialect';
import { ErrorCodeModule } from './error-codes/error-codes.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsHttpModule } from './metrics/metrics-http.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TenantKindsModule } from './users/tenant-kinds';
import { WebhookWorkerModule } from './webhooks/webhooks.module';

/** The HTTP service: shared modules plus every registered dialect (tests may mount others). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, dialects: readonly Dialect[] = DIALECTS): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(),
        DatabaseModule.forRoot({ retryAttempts: 5, dialects }),
        TenantKindsModule.forRoot(dialects.map((dialect) => ({ kind: dialect.tenantKind, dialect: dialect.name }))),
        RateLimitModule,
        ErrorCodeModule.forRoot(dialects),
        HealthModule,
        MetricsHttpModule,
        WebhookWorkerModule,
        ...dialects.map((dialect) => dialect.module),
      ],
    };
  }
}
