import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { ENTITIES } from '../../src/database/entities';
import { dropDatabase, freshDatabaseUrl } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  /** Empties every table through the repositories. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Test environment: fast bcrypt, no request logs, no rate limit unless a test asks for one. */
export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    JWT_SECRET: 'test-secret-that-is-long-enough',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'unireg-test-')),
    ...overrides,
  };
}

/**
 * The app as main.ts builds it (same module, same configureApp), on a fresh database that `close()`
 * drops again, or on the database `overrides.DB_URL` names, which the caller owns.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const ownDatabase = overrides.DB_URL === undefined;
  const dbUrl = overrides.DB_URL ?? (await freshDatabaseUrl());
  const config = loadConfig(testEnvironment({ ...overrides, DB_URL: dbUrl }));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: false,
  });
  configureApp(app);
  await app.init();
  const server = app.getHttpServer();
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    config,
    http: () => request(server),
    dataSource,
    async reset() {
      // Children before parents, so foreign keys never object.
      for (const entity of [...ENTITIES].reverse()) {
        await dataSource.getRepository(entity).createQueryBuilder().delete().execute();
      }
    },
    async close() {
      await app.close();
      if (ownDatabase) {
        await dropDatabase(dbUrl);
      }
    },
  };
}
