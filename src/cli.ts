import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { ConfigError, loadConfig, readEnvironment } from './config/app-config';

/** Failures go to stderr with a non-zero exit; stdout is kept for the command's own output. */
function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`unireg: ${message}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  try {
    const config = loadConfig(readEnvironment());
    await CommandFactory.run(CliModule.forRoot(config), {
      logger: false,
      abortOnError: false,
      cliName: 'unireg',
      serviceErrorHandler: fail,
    });
  } catch (error) {
    fail(error instanceof ConfigError ? new Error(`invalid configuration: ${error.message}`) : error);
  }
}

void main();
