import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** The shared Redis client, or null without REDIS_URL (counters then live in each instance's memory). */
export const REDIS = Symbol('REDIS');

/**
 * Waits up to two seconds for the first connection, so that the first requests are counted; a Redis
 * that is not there yet does not stop the start (the limits fail open until it comes).
 */
async function connect(url: string, keyPrefix: string): Promise<Redis> {
  const logger = new Logger('Redis');
  // Loaded only with REDIS_URL: an instance without Redis does not carry the client in its memory.
  const { default: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    // Several deployments may share one Redis; each counts under its own prefix.
    keyPrefix,
    // Fail fast while Redis is away, so a request never waits on it: callers then fail open.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) {
      down = true;
      logger.warn(`Redis is unreachable (${error.message}); rate limits fail open until it returns`);
    }
  });
  redis.on('ready', () => {
    if (down) {
      down = false;
      logger.log('Redis is back');
    }
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000).unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

/** Whether Redis answers within half a second; never throws. */
export async function redisAnswers(redis: Redis): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, 500, false).unref());
  return Promise.race([
    redis.ping().then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

/**
 * Deletes the keys under this client's prefix that match `pattern`. ioredis prefixes the keys of DEL
 * but neither SCAN's pattern nor the keys SCAN returns, so this adds the prefix and takes it off again.
 */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  const prefix = redis.options.keyPrefix ?? '';
  const match = prefix.replace(/[*?[\]\\]/g, '\\$&') + pattern;
  for await (const keys of redis.scanStream({ match, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) {
      await redis.del(...keys.map((key) => key.slice(prefix.length)));
    }
  }
}

@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redis.url ? connect(config.redis.url, config.redis.keyPrefix) : null),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  onApplicationShutdown(): void {
    this.redis?.disconnect(false);
  }
}
