import { ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { makeDataDir, removeDataDir } from '../utils/create-test-app';
import { serviceEnvironment } from '../utils/service-process';

/** The service as an operator runs it, its JSON log lines read from stdout. */
describe('request log', () => {
  const dir = makeDataDir();
  const lines: Record<string, unknown>[] = [];
  let startup: Record<string, unknown>[] = [];
  let server: ChildProcess;
  let base: string;

  beforeAll(async () => {
    server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      env: serviceEnvironment(dir, 'log.sqlite', { LOG_LEVEL: 'info', BCRYPT_COST: '4' }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
      createInterface({ input: server.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push({ ...entry, raw: line });
        const port = /listening on port (\d+)/.exec(String(entry.msg))?.[1];
        if (port) resolve(Number(port));
      });
    });
    startup = [...lines];
    base = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    removeDataDir(dir);
  });

  const logOf = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    await response.arrayBuffer();
    const id = response.headers.get('x-request-id');
    for (let i = 0; i < 50; i++) {
      const line = lines.find((entry) => (entry.req as { id?: string } | undefined)?.id === id);
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no log line for request ${id}`);
  };

  it('starts with one summary line', () => {
    expect(startup).toHaveLength(1);
    expect(startup[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/^listening on port \d+ with SQLite /) });
  });

  it('logs the dialect outcome of a business error answered in HTTP 200, with the email masked and secrets redacted', async () => {
    const line = await logOf(
      '/v2/enduser/enduserapi/emailPwdRegister?email=bob%40example.com&pwd=china1234&userDomain=C.DM.9.9&code=123456',
      { method: 'POST' },
    );
    expect(String(line.raw).match(/"outcome"/g)).toHaveLength(1);
    expect(line).toMatchObject({ res: { statusCode: 200 }, outcome: 5015, error: 'TENANT_NOT_FOUND' });
    const text = JSON.stringify(line);
    expect(text).toContain('b***%40example.com');
    expect(text).not.toMatch(/bob|china1234|123456/);
  });

  it('redacts every secret-bearing enduser parameter, the login signature and nested spellings included', async () => {
    const secrets = { pwd: 'Pw7Leak', signature: 'Sig7Leak', random: 'Rnd7Leak', oldPwd: 'Old7Leak', newPwd: 'New7Leak' };
    const query = new URLSearchParams({ ...secrets, code: 'Cod7Leak', refreshToken: 'Rt7Leak', 'pwd[0]': 'Arr7Leak' });
    const line = await logOf(`/v2/enduser/enduserapi/emailPwdLogin?email=bob%40example.com&userDomain=C.DM.9.9&${query.toString()}`, {
      method: 'POST',
    });
    expect(line).toMatchObject({ res: { statusCode: 200 } });
    expect(JSON.stringify(line)).not.toMatch(/7Leak/);
  });

  it('logs each dialect its own way, and ok for a success', async () => {
    expect(await logOf('/api/v1/register/email', { method: 'POST' })).toMatchObject({ res: { statusCode: 400 }, outcome: 2224 });
    expect(await logOf('/bp/server/user/signup', { method: 'POST' })).toMatchObject({
      res: { statusCode: 400 },
      outcome: 'invalid_api_version',
    });
    expect(await logOf('/api/forum')).toMatchObject({ res: { statusCode: 200 }, outcome: 'ok' });
  });

  it('logs requests refused before routing too: a header check, malformed JSON, an unknown route', async () => {
    expect(
      await logOf('/bp/server/user/signup', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }),
    ).toMatchObject({
      res: { statusCode: 400 },
      outcome: 'invalid_api_version',
    });
    expect(
      await logOf('/api/v1/register/email', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }),
    ).toMatchObject({
      res: { statusCode: 400 },
      outcome: 2000,
      error: 'MALFORMED_REQUEST',
    });
    expect(await logOf('/api/nope')).toMatchObject({ res: { statusCode: 404 }, outcome: 'route_not_found' });
  });

  it('logs a request the client gave up on mid-body once, as aborted', async () => {
    const id = 'gave-up-mid-body';
    const { port, hostname } = new URL(base);
    const sent = request({
      host: hostname,
      port,
      method: 'POST',
      path: '/api/v1/register/email',
      headers: { 'x-request-id': id, 'x-userpool-id': 'demo', 'content-type': 'application/json', 'content-length': '100' },
    });
    sent.on('error', () => undefined);
    sent.write('{"email":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    sent.destroy();
    const byId = () => lines.filter((entry) => (entry.req as { id?: string } | undefined)?.id === id);
    for (let i = 0; i < 50 && byId().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(byId()).toEqual([expect.objectContaining({ dialect: 'userpool', outcome: 'aborted' })]);
  });

  it('names the dialect whose path it was, for requests refused before routing too, and none elsewhere', async () => {
    const malformed = { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } };
    expect(await logOf('/api/v1/register/email', malformed)).toMatchObject({ dialect: 'userpool', outcome: 2000 });
    expect(await logOf('/api/register', malformed)).toMatchObject({ dialect: 'jsonapi-users', res: { statusCode: 400 } });
    expect(await logOf('/bp/server/user/signup', { method: 'POST' })).toMatchObject({
      dialect: 'bytepower',
      outcome: 'invalid_api_version',
    });
    expect(await logOf('/v2/mail/nope')).toMatchObject({ dialect: 'enduser', res: { statusCode: 404 } });
    expect(await logOf('/healthz')).toMatchObject({ dialect: 'none', outcome: 'ok' });
  });
});
