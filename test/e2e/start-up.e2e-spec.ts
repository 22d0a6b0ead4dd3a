import { createServer } from 'node:net';
import { makeDataDir, removeDataDir } from '../utils/create-test-app';
import { serviceEnvironment, serviceExit } from '../utils/service-process';

/** A start that cannot succeed ends with one `unireg:` line an operator can act on, never a stack or a password. */
describe('a failed start', () => {
  const dir = makeDataDir();
  const base = serviceEnvironment(dir, 'start.sqlite');
  afterAll(() => removeDataDir(dir));

  it.each([
    [{ SMTP_URL: 'smtp://u:hunter2pw@:::bad' }, 'SMTP_URL="smtp://***@:::bad" is not a valid URL'],
    [{ DB_URL: 'mysql://root:hunter2pw@:::bad/unireg' }, 'DB_URL="mysql://***@:::bad/unireg" is not a valid URL'],
    [{ REDIS_URL: 'redis://:hunter2pw@[bad' }, 'REDIS_URL="redis://***@[bad" is not a valid URL'],
    [
      { SMS_PROVIDER: 'http', SMS_URL: 'http://127.0.0.1:9/sms', SMS_SECRET: 'whsec_hunter2pw' },
      `SMS_SECRET must be a Standard Webhooks secret (whsec_ then 24 to 64 random bytes in Base64); make one with: node -e "console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))"`,
    ],
  ])(
    'with %j says so in one line',
    async (env, message) => {
      const { code, stdout, stderr } = await serviceExit({ ...base, ...env });
      expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: `unireg: invalid configuration: ${message}\n` });
    },
    60_000,
  );

  it('with a database that refuses connections gives up after its retries with one line', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const { code, stdout, stderr } = await serviceExit({ ...base, DB_URL: `mysql://root:hunter2pw@127.0.0.1:${closedPort}/unireg` });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `unireg: cannot reach the database (DB_URL), gave up after the start-up retries: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
    );
  }, 60_000);
});
