import { ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { makeDataDir, removeDataDir } from '../utils/create-test-app';

const run = promisify(execFile);
const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const describeWithRedis = TEST_REDIS_URL ? describe : describe.skip;

/** WORKERS=2 as an operator runs it: two processes on one port, one rate-limit budget, one user store. */
describeWithRedis('WORKERS', () => {
  const dir = TEST_REDIS_URL ? makeDataDir() : '';
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    WORKERS: '2',
    DB_URL: `sqlite:${join(dir, 'workers.sqlite')}`,
    DATA_DIR: dir,
    JWT_SECRET: 'test-secret-that-is-long-enough',
    BCRYPT_COST: '4',
    RATE_LIMIT_PER_MINUTE: '30',
    REDIS_URL: TEST_REDIS_URL!,
    REDIS_KEY_PREFIX: `unireg-test-workers-${process.pid}:`,
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_SECONDS: '0',
  };
  const pids = new Set<number>();
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    await run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'userpool', 'create', '--name', 'w', '--id', 'w'], {
      env,
    });
    server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let listening = 0;
    port = await new Promise<number>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
      createInterface({ input: server.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { pid: number; msg: string; req?: unknown };
        if (entry.req) pids.add(entry.pid);
        const found = /listening on port (\d+)/.exec(entry.msg)?.[1];
        if (found && ++listening === 2) resolve(Number(found));
      });
    });
  }, 90_000);
  afterAll(async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    removeDataDir(dir);
  });

  it('serves one port from two processes that share the rate limit and the users, and stops with SIGTERM', async () => {
    const register = (i: number) =>
      fetch(`http://127.0.0.1:${port}/api/v1/register/email`, {
        method: 'POST',
        // A new connection each time, so that the primary spreads them over the workers.
        headers: { 'content-type': 'application/json', 'x-userpool-id': 'w', connection: 'close' },
        body: JSON.stringify({ email: i < 0 ? 'dup@example.com' : `w${i}@example.com`, password: 'Tulip-Garden-42' }),
      }).then((response) => response.status);
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push(await register(i));
    expect(statuses).toEqual(Array(20).fill(200));
    const racing = await Promise.all([register(-1), register(-1), register(-1), register(-1)]);
    expect([...racing].sort((a, b) => a - b)).toEqual([200, 409, 409, 409]);
    const limited = [];
    for (let i = 0; i < 10; i++) limited.push(await register(100 + i));
    expect(limited).toEqual([...Array(6).fill(200), ...Array(4).fill(429)]);
    expect(pids.size).toBe(2);

    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;

    const db = new Database(join(dir, 'workers.sqlite'), { readonly: true });
    try {
      const emails = (db.prepare('SELECT email_normalized AS email FROM users').all() as { email: string }[]).map((row) => row.email);
      expect(emails.filter((email) => email === 'dup@example.com')).toHaveLength(1);
      expect(emails).toHaveLength([...statuses, ...racing, ...limited].filter((status) => status === 200).length);
    } finally {
      db.close();
    }
  }, 90_000);
});
