import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandFactory, CommanderOptionsType } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { CliProgram } from './cli/cli-program';
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

const OPTIONS = {
  logger: false as const,
  abortOnError: false,
  cliName: 'unireg',
  version: version(),
  serviceErrorHandler: fail,
  outputConfiguration: {
    outputError: (text, write) => write(`${PREFIX}${text.replace(/^error: /, '')}`),
  },
} satisfies CommanderOptionsType & { logger: false };

/** Stops the first pass once commander has picked a command. */
class CommandPicked extends Error {}

/**
 * Help, the version and usage errors need no data: the arguments are first read against a context on a
 * throwaway in-memory database and secret, where commander answers those and exits, so that they neither
 * create DATA_DIR's JWT secret or database nor reach a database server. True when a command is to run.
 */
async function picksCommand(env: Record<string, string | undefined>): Promise<boolean> {
  const throwaway = { ...env, DB_URL: 'sqlite::memory:', JWT_SECRET: randomBytes(32).toString('base64url'), WORKERS: '1' };
  let picked = false;
  const app = await CommandFactory.createWithoutRunning(CliModule.forRoot(loadConfig(throwaway, DIALECT_CONFIG)), {
    ...OPTIONS,
    serviceErrorHandler: (error: unknown) => {
      if (error instanceof CommandPicked) {
        picked = true;
      } else {
        fail(error);
      }
    },
  });
  app.get(CliProgram).beforeCommand(() => {
    throw new CommandPicked();
  });
  try {
    await CommandFactory.runApplication(app);
  } finally {
    await app.close();
  }
  return picked;
}

async function main(): Promise<void> {
  try {
    const env = readEnvironment();
    if (await picksCommand(env)) {
      await CommandFactory.run(CliModule.forRoot(loadConfig(env, DIALECT_CONFIG)), OPTIONS);
    }
  } catch (error) {
    fail(error instanceof ConfigError ? new Error(`invalid configuration: ${error.message}`) : error);
  }
}

void main();
