import type { Type } from '@nestjs/common';
import type { Request } from 'express';
import type { DomainError } from '../error-codes/domain-error';
import type { DialectErrorRenderer } from '../error-codes/dialect-error-renderer';

/** Puts a dialect's demo data in place; must be idempotent. Returns what an operator needs to see. */
export interface DemoSeeder {
  seedDemo(): Promise<Record<string, unknown>>;
}

/** Everything the app and the CLI need to know about one vendor dialect. */
export interface Dialect {
  name: string;
  /** Paths the dialect serves; errors raised before routing use them to pick the envelope. */
  pathPrefixes: readonly string[];
  errors: DialectErrorRenderer;
  /** Checks on headers alone, answered before the body is read (e.g. an API version). */
  checkHeaders?: (request: Request) => DomainError | undefined;
  /** Route patterns that register a user, counted by outcome in the metrics. */
  registrationRoutes: readonly string[];
  /** Query parameters that carry secrets in this dialect; request logs redact their values. */
  secretQueryParameters: readonly string[];
  /** Controllers and services of the HTTP API. */
  module: Type<unknown>;
  /** Admin CLI commands; must provide `demoSeeder` when one is named. */
  cliModule?: Type<unknown>;
  demoSeeder?: Type<DemoSeeder>;
}
