import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsIn, IsOptional } from 'class-validator';
import { ConfigError, loadConfig, maskCredentials } from './app-config';
import { configSection } from './config-section';

describe('loadConfig', () => {
  const made: string[] = [];
  const dataDir = () => {
    made.push(mkdtempSync(join(tmpdir(), 'unireg-config-')));
    return made[made.length - 1];
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), JWT_SECRET: 'x'.repeat(16) });
    expect(config).toMatchObject({
      server: { port: 3000 },
      database: { type: 'sqlite', file: expect.stringMatching(/data\/unireg\.sqlite$/) },
      security: { bcryptCost: 10 },
      mail: { from: 'unireg <no-reply@localhost>' },
      logging: { level: 'info' },
      rateLimit: { perMinute: 120 },
      codes: { ttlSeconds: 600, resendSeconds: 60, maxAttempts: 5 },
    });
    expect(config.mail.smtpUrl).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT="eighty" must be a whole number/],
    [{ PORT: '70000' }, /^PORT/],
    [{ DB_URL: 'postgres://x' }, /^DB_URL=.* must be sqlite:<file>/],
    [{ BCRYPT_COST: '3' }, /^BCRYPT_COST/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET must be at least 16 characters$/],
    [{ SMTP_URL: 'http://mail' }, /^SMTP_URL/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL=.* must be one of/],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /^RATE_LIMIT_PER_MINUTE/],
    [{ CODE_TTL_SECONDS: '0' }, /^CODE_TTL_SECONDS/],
    [{ CODE_RESEND_SECONDS: '1.5' }, /^CODE_RESEND_SECONDS/],
    [{ CODE_MAX_ATTEMPTS: '0' }, /^CODE_MAX_ATTEMPTS/],
    [{ MAIL_FROM: 'bad' }, /^MAIL_FROM/],
    [{ UV_THREADPOOL_SIZE: '0' }, /^UV_THREADPOOL_SIZE/],
    [{ UV_THREADPOOL_SIZE: 'many' }, /^UV_THREADPOOL_SIZE="many" must be a whole number/],
    [{ WORKERS: '2' }, /^WORKERS above 1 needs REDIS_URL/],
    [
      { WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379/0', DB_URL: 'sqlite::memory:' },
      /^WORKERS above 1 needs a database file or server/,
    ],
    [{ WORKERS: 'many' }, /^WORKERS="many" must be a whole number or auto/],
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY must be a hop count/],
    [{ TRUST_PROXY: 'proxy.example.com' }, /^TRUST_PROXY must be a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY must be a hop count/],
    [{ TRUST_PROXY: '0.0.0.0/0' }, /^TRUST_PROXY must be a hop count/],
    [{ TRUST_PROXY: '0.0.0.0/1,128.0.0.0/1' }, /^TRUST_PROXY must be a hop count/],
    [{ REDIS_URL: 'redis://u:RedisPw123@[bad' }, /^REDIS_URL="redis:\/\/u:\*\*\*@\[bad" is not a valid URL/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379/zero' }, /^REDIS_URL=.* must name a host/],
    [{ CORS_ORIGINS: 'app.example.com' }, /^CORS_ORIGINS=.* must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /^CORS_ORIGINS/],
    [{ DB_URL: 'mysql://root@127.0.0.1:3306/unireg' }, /^JWT_SECRET is required/],
    [{ DB_URL: 'mysql://root@127.0.0.1:3306/', JWT_SECRET: 'x'.repeat(16) }, /^DB_URL must name a host and a database/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });

  it.each([
    [{ JWT_SECRET: 'hunter2-short' }, 'hunter2'],
    [{ SMTP_URL: 'http://mailer:s3cr3t-pass@mail.example.com' }, 's3cr3t-pass'],
    [{ DB_URL: 'postgres://app:s3cr3t-pass@db/unireg' }, 's3cr3t-pass'],
  ])('names the variable but never echoes the secret in %j', (env, secret) => {
    let message = '';
    try {
      loadConfig({ DATA_DIR: dataDir(), ...env });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^${Object.keys(env)[0]}`));
    expect(message).not.toContain(secret);
  });

  it('masks the password of a URL that does not parse too', () => {
    expect(maskCredentials('smtp://user:p@ss word@host:25')).toBe('smtp://user:***@host:25');
    expect(maskCredentials('mysql://root@127.0.0.1/db')).toBe('mysql://root@127.0.0.1/db');
  });

  it('parses MySQL URLs', () => {
    const config = loadConfig({
      DB_URL: 'mysql://u:p@db:3307/unireg',
      JWT_SECRET: 'x'.repeat(16),
    });
    expect(config.database).toEqual({ type: 'mysql', url: 'mysql://u:p@db:3307/unireg', database: 'unireg' });
  });

  it.each(['no-reply@example.com', 'unireg <no-reply@example.com>', '"Uni Reg" <a@b.c>'])('accepts MAIL_FROM %j', (from) => {
    expect(loadConfig({ MAIL_FROM: from, DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) }).mail.from).toBe(from);
  });

  it('reads CORS_ORIGINS as a list, and no CORS by default', () => {
    const env = { DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) };
    expect(loadConfig(env).server.corsOrigins).toEqual([]);
    expect(loadConfig({ ...env, CORS_ORIGINS: 'https://a.example, http://localhost:8080' }).server.corsOrigins).toEqual([
      'https://a.example',
      'http://localhost:8080',
    ]);
  });

  it('sizes the thread pool from the machine unless UV_THREADPOOL_SIZE says otherwise', () => {
    const env = { DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) };
    expect(loadConfig(env).server.threadPoolSize).toBe(availableParallelism());
    expect(loadConfig({ ...env, UV_THREADPOOL_SIZE: '16' }).server.threadPoolSize).toBe(16);
  });

  it.each([
    [undefined, false],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.1, 192.168.0.0/16, ::1, fd00::/8', ['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%j as %j', (value, expected) => {
    const env = { DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16), ...(value === undefined ? {} : { TRUST_PROXY: value }) };
    expect(loadConfig(env).server.trustProxy).toEqual(expected);
  });

  it('runs one process unless WORKERS says otherwise; auto is one per core', () => {
    const env = { DB_URL: 'sqlite:/tmp/x.sqlite', JWT_SECRET: 'x'.repeat(16), REDIS_URL: 'redis://127.0.0.1:6379/0' };
    expect(loadConfig(env).server.workers).toBe(1);
    expect(loadConfig({ ...env, WORKERS: '3' }).server.workers).toBe(3);
    expect(loadConfig({ ...env, WORKERS: 'auto' }).server.workers).toBe(availableParallelism());
  });

  it('keeps an in-memory SQLite database in memory', () => {
    expect(loadConfig({ DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) }).database).toEqual({ type: 'sqlite', file: ':memory:' });
  });

  describe("a feature's own config section", () => {
    class FeatureVariables {
      @IsOptional()
      @IsIn(['red', 'blue'], { message: 'must be red or blue' })
      FEATURE_COLOUR: string = 'red';
    }
    const FEATURE = Symbol('FEATURE');
    const section = configSection(FEATURE, FeatureVariables, ({ FEATURE_COLOUR }) => {
      if (FEATURE_COLOUR === 'blue') {
        throw new ConfigError('FEATURE_COLOUR blue is reserved');
      }
      return { colour: FEATURE_COLOUR };
    });
    const env = { DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) };

    it('builds its settings from its variables, defaults included, under its token', () => {
      expect(loadConfig(env, [section]).sections.get(FEATURE)).toEqual({ colour: 'red' });
      expect(loadConfig({ ...env, FEATURE_COLOUR: '' }, [section]).sections.get(FEATURE)).toEqual({ colour: 'red' });
    });

    it.each([
      ['green', 'FEATURE_COLOUR="green" must be red or blue'],
      ['blue', 'FEATURE_COLOUR blue is reserved'],
    ])('refuses %j with one line naming the variable', (value, message) => {
      expect(() => loadConfig({ ...env, FEATURE_COLOUR: value }, [section])).toThrow(ConfigError);
      expect(() => loadConfig({ ...env, FEATURE_COLOUR: value }, [section])).toThrow(message);
    });

    it('reads nothing of a section it is not given', () => {
      expect(loadConfig({ ...env, FEATURE_COLOUR: 'green' }).sections.size).toBe(0);
    });
  });

  it('generates the embedded JWT secret once and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).security.jwtSecret;
    expect(existsSync(join(dir, 'jwt-secret'))).toBe(true);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).security.jwtSecret).toBe(first);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first);
  });
});
