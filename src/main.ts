import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig, readEnvironment } from './config/app-config';
import { configureApp } from './configure-app';

function configOrExit(): AppConfig {
  try {
    return loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`unireg: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app);
  await app.listen(config.server.port);
  new Logger('unireg').log(`listening on port ${config.server.port} with ${config.database.type === 'sqlite' ? `SQLite ${config.database.file}` : `MySQL database ${config.database.database}`}`);
}

void bootstrap();
