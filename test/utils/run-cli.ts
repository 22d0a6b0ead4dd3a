import { CommandTestFactory } from 'nest-commander-testing';
import { CliModule } from '../../src/cli/cli.module';
import { loadConfig } from '../../src/config/app-config';
import { DIALECT_CONFIG } from '../../src/dialects';

export interface CliResult {
  stdout: string;
  error?: Error;
}

/** Runs one admin command in-process, as `node dist/cli.js ...args` would, and returns what it printed. */
export async function runCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  let error: Error | undefined;
  const module = await CommandTestFactory.createTestingCommand(
    { imports: [CliModule.forRoot(loadConfig(env, DIALECT_CONFIG))] },
    {
      serviceErrorHandler: (e: Error) => {
        error = e;
      },
    },
  ).compile();
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await CommandTestFactory.run(module, args);
  } finally {
    write.mockRestore();
    await module.close();
  }
  return { stdout: chunks.join(''), error };
}

/** The one JSON object a `--json` command printed; fails when it printed anything else. */
export function parseJsonOutput(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  if (lines.length !== 1) {
    throw new Error(`expected one line of JSON, got ${lines.length}: ${stdout}`);
  }
  return JSON.parse(lines[0]) as Record<string, unknown>;
}
