import { ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

/** What a spawned service needs: its own SQLite file and secret in `dir`, any free port, no drain; `overrides` win. */
export function serviceEnvironment(dir: string, database: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    DB_URL: `sqlite:${join(dir, database)}`,
    DATA_DIR: dir,
    JWT_SECRET: 'test-secret-that-is-long-enough',
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...overrides,
  };
}

/** The service as an operator starts it, from the sources; its JSON log lines arrive on stdout. */
export function spawnService(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...TS_NODE, 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The port a spawned service bound, read from its "listening on port" line; rejects if it exits first. */
export function listeningPort(server: ChildProcess): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const found = /listening on port (\d+)/.exec(line)?.[1];
      if (found) resolve(Number(found));
    });
  });
}

/** One admin command as `npm run cli -- ...args` runs it, in a process of its own. */
export async function runCliProcess(env: Record<string, string>, ...args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [...TS_NODE, 'src/cli.ts', ...args], { env });
}

export interface ServiceExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the service expecting it to fail at start, and returns how it ended. */
export function serviceExit(env: Record<string, string>): Promise<ServiceExit> {
  return new Promise<ServiceExit>((resolve) => {
    execFile(process.execPath, [...TS_NODE, 'src/main.ts'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}
