import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ClockModule } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AttemptCounterService } from './attempt-counter.service';

/**
 * RATE_LIMIT_PER_MINUTE requests per client IP, one budget shared by every guarded endpoint, and the
 * failure counters of logins.
 */
@Module({
  imports: [
    ClockModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(config.rateLimit.perMinute, 1) }],
        // The default key is per route; the contract counts per client across all guarded routes.
        generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
        skipIf: () => config.rateLimit.perMinute === 0,
      }),
    }),
  ],
  providers: [AttemptCounterService],
  exports: [ThrottlerModule, AttemptCounterService],
})
export class RateLimitModule {}
