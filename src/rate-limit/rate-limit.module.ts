import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { ClockModule } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS, RedisModule } from '../redis/redis.module';
import { AttemptCounterService } from './attempt-counter.service';
import { FailOpenStorage } from './fail-open.storage';

/**
 * RATE_LIMIT_PER_MINUTE requests per client IP, one budget shared by every guarded endpoint, and the
 * failure counters of logins.
 */
@Module({
  imports: [
    ClockModule,
    RedisModule,
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [APP_CONFIG, REDIS],
      useFactory: async (config: AppConfig, redis: Redis | null) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(config.rateLimit.perMinute, 1) }],
        // The default key is per route; the contract counts per client across all guarded routes.
        generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
        skipIf: () => config.rateLimit.perMinute === 0,
        // With Redis every instance counts into one budget; without it, each in its own memory.
        // Its module loads ioredis, so it is loaded only with Redis (src/redis/redis.module.ts).
        storage: redis
          ? new FailOpenStorage(new (await import('@nest-lab/throttler-storage-redis')).ThrottlerStorageRedisService(redis))
          : undefined,
      }),
    }),
  ],
  providers: [AttemptCounterService],
  exports: [ThrottlerModule, AttemptCounterService],
})
export class RateLimitModule {}
