import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { AppModule } from './app.module';
import { applyThreadPoolSize, ConfigError, loadConfig, readEnvironment } from './config/app-config';
import { configureApp, createHttpAdapter } from './configure-app';
import { isDatabaseUnavailable } from './database/database-errors';
import { DIALECT_CONFIG } from './dialects';
import { isPrimaryOfWorkers, runPrimary } from './workers';

/** Start-up failures an operator can fix end the process with one line, not a stack. */
function exitWith(message: string): never {
  process.stderr.write(`unireg: ${message}\n`);
  process.exit(1);
}

async function bootstrap(): Promise<void> {
  const config = loadConfig(readEnvironment(), DIALECT_CONFIG);
  if (isPrimaryOfWorkers(config)) {
    // The same JSON lines as the workers' logs, from the same logger library.
    const logger = pino({ level: config.logging.level });
    runPrimary(config, (line) => logger.info(line));
    return;
  }
  applyThreadPoolSize(config);
  // Nest's own start-up chatter (a line per module and route) stays silent; the request logger takes
  // over once the port is open, and the start is summed up in one line.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), createHttpAdapter(), {
    bodyParser: false,
    logger: false,
    abortOnError: false,
  });
  configureApp(app);
  await app.listen(config.server.port);
  app.useLogger(app.get(PinoLogger));
  const database = config.database.type === 'sqlite' ? `SQLite ${config.database.file}` : `MySQL database ${config.database.database}`;
  // The port actually bound, which differs from PORT=0.
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('unireg').log(`listening on port ${port} with ${database}`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    exitWith(`invalid configuration: ${error.message}`);
  }
  const { code, port } = error as { code?: unknown; port?: unknown };
  if (code === 'EADDRINUSE') {
    exitWith(`port ${String(port)} is already in use (PORT)`);
  }
  // Driver messages name the host and user, never the password.
  if (isDatabaseUnavailable(error)) {
    exitWith(`cannot reach the database (DB_URL), gave up after the start-up retries: ${(error as Error).message}`);
  }
  throw error;
});
