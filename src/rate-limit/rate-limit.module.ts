import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** RATE_LIMIT_PER_MINUTE requests per client IP, one budget shared by every guarded endpoint. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'per-ip', ttl: 60_000, limit: Math.max(config.rateLimitPerMinute, 1) }],
        // The default key is per route; the contract counts per client across all guarded routes.
        generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
        skipIf: () => config.rateLimitPerMinute === 0,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
