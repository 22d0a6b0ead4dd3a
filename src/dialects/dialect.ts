import type { Type } from '@nestjs/common';
import type { DialectRoutes } from '../common/dialect-resolver';
import type { ConfigSection } from '../config/config-section';
import type { DialectTables } from '../database/entities';
import type { ImportSource } from '../users/import/import-source';

/** Puts a dialect's demo data in place; must be idempotent. Returns what an operator needs to see. */
export interface DemoSeeder {
  seedDemo(): Promise<Record<string, unknown>>;
}

/**
 * Everything the app and the CLI need to know about one vendor dialect. Its `entities` are the tables
 * only it uses (SQLite synchronizes them); its `migrations` create them on MySQL.
 */
export interface Dialect extends DialectTables, DialectRoutes {
  /** The kind of its tenants, as stored in `tenants.kind` and typed by operators as `kind:code`. */
  tenantKind: string;
  /** Environment variables only this dialect reads, validated at start with the rest. */
  config?: ConfigSection;
  /** Controllers and services of the HTTP API. */
  module: Type<unknown>;
  /** Admin CLI commands; must provide `demoSeeder` when one is named. */
  cliModule?: Type<unknown>;
  demoSeeder?: Type<DemoSeeder>;
  /** `users import --from` sources that read its vendor's originals; its `cliModule` must export them. */
  importSources?: Type<ImportSource>[];
}
