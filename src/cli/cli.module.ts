import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { DIALECTS } from '../dialects';
import { Dialect } from '../dialects/dialect';
import { IMPORT_SOURCES } from '../users/import/import-source';
import { JsonlImportSource } from '../users/import/jsonl-import.source';
import { UsersImportModule } from '../users/import/users-import.module';
import { TenantKindsModule } from '../users/tenant-kinds';
import { UsersModule } from '../users/users.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CliProgram } from './cli-program';
import { MigrateCommand } from './migrate.command';
import { SeedCommand, SeedDemoCommand } from './seed.command';
import { USERS_SUBCOMMANDS, UsersCommand } from './users.command';
import { WEBHOOKS_SUBCOMMANDS, WebhooksCommand } from './webhooks.command';

/** The admin CLI: shared commands plus each dialect's own. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, dialects: readonly Dialect[] = DIALECTS): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ retryAttempts: 0, dialects }),
        TenantKindsModule.forRoot(dialects.map((dialect) => ({ kind: dialect.tenantKind, dialect: dialect.name }))),
        UsersModule,
        UsersImportModule,
        WebhooksModule,
        ...dialects.flatMap((dialect): Type<unknown>[] => (dialect.cliModule ? [dialect.cliModule] : [])),
      ],
      providers: [
        CliProgram,
        MigrateCommand,
        SeedCommand,
        SeedDemoCommand,
        UsersCommand,
        ...USERS_SUBCOMMANDS,
        WebhooksCommand,
        ...WEBHOOKS_SUBCOMMANDS,
        // `users import --from`: the core's jsonl and whatever sources the mounted dialects bring.
        {
          provide: IMPORT_SOURCES,
          useFactory: (...sources: unknown[]) => sources,
          inject: [JsonlImportSource, ...dialects.flatMap((dialect) => dialect.importSources ?? [])],
        },
      ],
    };
  }
}
