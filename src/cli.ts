import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { ConfigError, loadConfig, readEnvironment } from './config/app-config';
import { DIALECT_CONFIG } from './dialects';

const PREFIX = 'unireg: ';

/** Every failure, the command's own or commander's, ends as one `unireg: <reason>` line on stderr and exit 1. */
function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${PREFIX}${message}\n`);
  process.exitCode = 1;
}

function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  try {
    const config = loadConfig(readEnvironment(), DIALECT_CONFIG);
    await CommandFactory.run(CliModule.forRoot(config), {
      logger: false,
      abortOnError: false,
      cliName: 'unireg',
      version: version(),
      serviceErrorHandler: fail,
      outputConfiguration: {
        outputError: (text, write) => write(`${PREFIX}${text.replace(/^error: /, '')}`),
      },
    });
  } catch (error) {
    fail(error instanceof ConfigError ? new Error(`invalid configuration: ${error.message}`) : error);
  }
}

void main();
