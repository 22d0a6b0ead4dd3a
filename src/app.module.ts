import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DIALECTS } from './dialects';
import { ErrorCodeModule } from './error-codes/error-codes.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsHttpModule } from './metrics/metrics-http.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

/** The HTTP service: shared modules plus every registered dialect. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(DIALECTS.flatMap((dialect) => dialect.secretQueryParameters)),
        DatabaseModule.forRoot({ retryAttempts: 5 }),
        RateLimitModule,
        ErrorCodeModule.forRoot(DIALECTS),
        HealthModule,
        MetricsHttpModule,
        ...DIALECTS.map((dialect) => dialect.module),
      ],
    };
  }
}
