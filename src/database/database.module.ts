import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DialectTables } from './entities';
import { TransactionRunnerService } from './transaction-runner.service';
import { buildDataSourceOptions } from './typeorm-options';

/** The one database connection; MySQL schemas are brought up to date on connect. */
@Global()
@Module({})
export class DatabaseModule {
  /**
   * The service waits for a database that is still starting; the CLI should fail at once instead.
   * `dialects` are the mounted dialects, whose own tables join the core's.
   */
  static forRoot(options: { retryAttempts: number; dialects: readonly DialectTables[] }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...buildDataSourceOptions(config.database, options.dialects),
            migrationsRun: config.database.type === 'mysql',
            retryAttempts: options.retryAttempts,
            retryDelay: 2000,
          }),
        }),
      ],
      providers: [TransactionRunnerService],
      exports: [TransactionRunnerService],
    };
  }
}
