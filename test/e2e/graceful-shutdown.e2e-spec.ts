import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShutdownService } from '../../src/health/shutdown.service';
import { createTestApp, makeDataDir, removeDataDir, TestApp } from '../utils/create-test-app';
import { listeningPort, runCliProcess, serviceEnvironment, spawnService } from '../utils/service-process';

describe('readiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SHUTDOWN_GRACE_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it('is ready until a graceful stop begins, then 503 while liveness stays 200', async () => {
    expect((await t.http().get('/readyz')).status).toBe(200);
    void t.app.get(ShutdownService).beforeApplicationShutdown('SIGTERM');
    const readiness = await t.http().get('/readyz');
    expect({ status: readiness.status, body: readiness.body }).toEqual({ status: 503, body: { status: 'shutting_down' } });
    expect((await t.http().get('/healthz')).status).toBe(200);
  });
});

/** A built server as an operator runs it, stopped with SIGTERM while registrations are in flight. */
describe('graceful stop of a real process', () => {
  const dir = makeDataDir();
  const env = serviceEnvironment(dir, 'stop.sqlite', { BCRYPT_COST: '10', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' });
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    await runCliProcess(env, 'userpool', 'create', '--name', 'stop', '--id', 'stop');
    server = spawnService(env);
    port = await listeningPort(server);
  }, 60_000);
  afterAll(() => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    removeDataDir(dir);
  });

  it('answers every registration in flight, keeps every one it answered with 200, then exits', async () => {
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    const registrations = Array.from({ length: 16 }, (_, i) =>
      fetch(`http://127.0.0.1:${port}/api/v1/register/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-userpool-id': 'stop' },
        body: JSON.stringify({ email: `inflight${i}@example.com`, password: 'Tulip-Garden-42' }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { data?: { id: string } } })),
    );
    // Long enough for every request to be read, far shorter than 16 bcrypt hashes at cost 10.
    await new Promise((resolve) => setTimeout(resolve, 150));
    server.kill('SIGTERM');
    const answers = await Promise.all(registrations);
    await exited;

    expect(answers.map((answer) => answer.status)).toEqual(Array(16).fill(200));
    const db = new Database(join(dir, 'stop.sqlite'), { readonly: true });
    try {
      const stored = db.prepare("SELECT id FROM users WHERE email LIKE 'inflight%'").all() as { id: number }[];
      expect(stored.map((row) => String(row.id)).sort()).toEqual(answers.map((answer) => answer.body.data!.id).sort());
    } finally {
      db.close();
    }
  }, 60_000);
});

/** What a load balancer sees of a stop: readiness 503 while the service still answers, then the port closes. */
describe('the drain period of a stop', () => {
  const dir = makeDataDir();
  const env = serviceEnvironment(dir, 'drain.sqlite', { LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '2' });
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    server = spawnService(env);
    port = await listeningPort(server);
  }, 60_000);
  afterAll(() => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    removeDataDir(dir);
  });

  it('keeps answering, readiness with 503, for SHUTDOWN_DRAIN_SECONDS after SIGTERM, then exits', async () => {
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { connection: 'close' } }).then((r) => r.status);
    expect(await get('/readyz')).toBe(200);
    const stopped = Date.now();
    const exited = new Promise<number>((resolve) => server.once('exit', () => resolve(Date.now() - stopped)));
    server.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await get('/readyz')).toBe(503);
    expect(await get('/healthz')).toBe(200);
    expect(await get('/api/forum')).toBe(200);
    expect(await exited).toBeGreaterThanOrEqual(2000);
  }, 60_000);
});
