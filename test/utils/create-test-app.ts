import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { getDataSourceToken } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { configureApp, createHttpAdapter } from '../../src/configure-app';
import { entitiesOf } from '../../src/database/entities';
import { DIALECT_CONFIG, DIALECTS } from '../../src/dialects';
import { Dialect } from '../../src/dialects/dialect';
import { AttemptCounterService } from '../../src/rate-limit/attempt-counter.service';
import { deleteKeys, REDIS } from '../../src/redis/redis.module';
import { dropDatabase, freshDatabaseUrl } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  /** Empties every table through the repositories and forgets every rate-limit, code-send and login-failure count. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Swaps providers before the app is built, e.g. `(builder) => builder.overrideProvider(Clock).useValue(clock)`. */
export type ModuleOverrides = (builder: TestingModuleBuilder) => TestingModuleBuilder;

/** A data folder of its own for one test app or CLI run; remove it with `removeDataDir`. */
export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'unireg-test-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Test environment: fast bcrypt, no request logs, no rate limit unless a test asks for one. With
 * TEST_REDIS_URL (as `.ci/run` sets it) every app counts in Redis, each under a key prefix of its own.
 */
export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const redis: Record<string, string> = process.env.TEST_REDIS_URL
    ? { REDIS_URL: process.env.TEST_REDIS_URL, REDIS_KEY_PREFIX: `unireg-test-${randomBytes(6).toString('hex')}:` }
    : {};
  return {
    JWT_SECRET: 'test-secret-that-is-long-enough',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    // Every test app's close() is a graceful stop: no load balancer to wait for.
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...redis,
    ...overrides,
    // Made only when needed: a folder made and then overridden would be left behind.
    DATA_DIR: overrides.DATA_DIR ?? makeDataDir(),
  };
}

/** The throttler's storage (per-IP limits and code sends) and the login-failure counters, in memory or in Redis. */
async function forgetCounters(app: NestExpressApplication): Promise<void> {
  await app.get(AttemptCounterService).reset();
  const throttler = app.get<ThrottlerStorage>(ThrottlerStorage);
  if (throttler instanceof ThrottlerStorageService) {
    // The library's in-memory storage has no other public way to forget its hits; the next hit restarts its sweep timer.
    throttler.onApplicationShutdown();
  } else {
    // @nest-lab/throttler-storage-redis keeps a key and its block as `{<key>:<throttler>}:hits` and `:blocked`.
    await deleteKeys(app.get<Redis>(REDIS), '{*');
  }
}

/**
 * The app as main.ts builds it (same module, same configureApp), through Nest's testing module so that
 * `overrides` can swap providers, on a fresh database that `close()` drops again, or on the database
 * `env.DB_URL` names, which the caller owns. `dialects` replaces the registry, e.g. to mount a sample dialect.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: ModuleOverrides = (builder) => builder,
  dialects: readonly Dialect[] = DIALECTS,
): Promise<TestApp> {
  const ownDatabase = env.DB_URL === undefined;
  const dbUrl = env.DB_URL ?? (await freshDatabaseUrl());
  const dataDir = env.DATA_DIR ?? makeDataDir();
  const removeOwn = async () => {
    if (ownDatabase) {
      await dropDatabase(dbUrl);
    }
    if (env.DATA_DIR === undefined) {
      removeDataDir(dataDir);
    }
  };
  let config: AppConfig;
  let app: NestExpressApplication | undefined;
  try {
    config = loadConfig(testEnvironment({ ...env, DB_URL: dbUrl, DATA_DIR: dataDir }), DIALECT_CONFIG);
    const moduleRef = await overrides(Test.createTestingModule({ imports: [AppModule.forRoot(config, dialects)] })).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>(createHttpAdapter(), { bodyParser: false, logger: false });
    configureApp(app);
    await app.init();
  } catch (error) {
    // An app that does not start must not leave its folder or database behind either.
    await app?.close().catch(() => undefined);
    await removeOwn();
    throw error;
  }
  const server = app.getHttpServer();
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    config,
    http: () => request(server),
    dataSource,
    async reset() {
      // Children before parents, so foreign keys never object.
      for (const entity of entitiesOf(dialects).reverse()) {
        await dataSource.getRepository(entity).createQueryBuilder().delete().execute();
      }
      await forgetCounters(app);
    },
    async close() {
      await app.close();
      await removeOwn();
    },
  };
}
