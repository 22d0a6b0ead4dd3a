import type { Type } from '@nestjs/common';
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
  /** Query parameters that carry secrets in this dialect; request logs redact their values. */
  secretQueryParameters: readonly string[];
  /** Controllers and services of the HTTP API. */
  module: Type<unknown>;
  /** Admin CLI commands; must provide `demoSeeder` when one is named. */
  cliModule?: Type<unknown>;
  demoSeeder?: Type<DemoSeeder>;
}
