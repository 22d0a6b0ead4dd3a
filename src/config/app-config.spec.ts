import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsIn, IsOptional } from 'class-validator';
import { ConfigError, loadConfig, maskUrl } from './app-config';
import { configSection } from './config-section';

describe('loadConfig', () => {
  const made: string[] = [];
  const dataDir = () => {
    made.push(mkdtempSync(join(tmpdir(), 'unireg-config-')));
    return made[made.length - 1];
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('applies the documented defaults', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(16) });
    expect(config).toMatchObject({
      server: { port: 3000, publicUrl: 'http://localhost:3000', shutdownDrainSeconds: 5 },
      database: { type: 'sqlite', file: join(dir, 'unireg.sqlite') },
      security: { bcryptCost: 10 },
      mail: { from: 'unireg <no-reply@localhost>' },
      logging: { level: 'info' },
      rateLimit: { perMinute: 120 },
      codes: { ttlSeconds: 600, resendSeconds: 60, maxAttempts: 5 },
      tokens: { refreshReuseSeconds: 10 },
      webhooks: { allowPrivate: false, pollMs: 1000 },
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
    [{ REFRESH_REUSE_SECONDS: 'ten' }, /^REFRESH_REUSE_SECONDS="ten" must be a whole number/],
    [{ REFRESH_REUSE_SECONDS: '301' }, /^REFRESH_REUSE_SECONDS/],
    [{ MAIL_FROM: 'bad' }, /^MAIL_FROM/],
    [{ UV_THREADPOOL_SIZE: '0' }, /^UV_THREADPOOL_SIZE/],
    [{ UV_THREADPOOL_SIZE: 'many' }, /^UV_THREADPOOL_SIZE="many" must be a whole number/],
    [{ WORKERS: '2' }, /^WORKERS above 1 needs REDIS_URL/],
    [
      { WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379/0', DB_URL: 'sqlite::memory:' },
      /^WORKERS above 1 needs a database file or server/,
    ],
    [{ WORKERS: 'many' }, /^WORKERS="many" must be a whole number or auto/],
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY="true" must be a hop count from 1 to 5/],
    [{ TRUST_PROXY: 'proxy.example.com' }, /^TRUST_PROXY="proxy.example.com" must be a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY=.* must be a hop count/],
    [{ TRUST_PROXY: '10.0.0.0/' }, /^TRUST_PROXY=.* must be a hop count/],
    [{ TRUST_PROXY: 'fe80::1%eth0' }, /^TRUST_PROXY=.* must be a hop count/],
    [{ TRUST_PROXY: '10.0.0.1,' }, /^TRUST_PROXY=.* must be a hop count/],
    [{ TRUST_PROXY: '0' }, /^TRUST_PROXY="0" must be a hop count from 1 to 5/],
    [{ TRUST_PROXY: '6' }, /^TRUST_PROXY="6" must be a hop count from 1 to 5/],
    [{ TRUST_PROXY: '99' }, /^TRUST_PROXY="99" must be a hop count from 1 to 5/],
    [{ TRUST_PROXY: '0.0.0.0/0' }, /^TRUST_PROXY="0.0.0.0\/0" trusts too many public addresses/],
    [{ TRUST_PROXY: '0.0.0.0/1,128.0.0.0/1' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '8.0.0.0/7' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '11.0.0.0/8,12.0.0.0/8' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '::/8' }, /^TRUST_PROXY="::\/8" trusts too many public addresses/],
    [{ TRUST_PROXY: '2000::/8' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '2001:db8::/31' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '::ffff:0:0/96' }, /^TRUST_PROXY="::ffff:0:0\/96" trusts too many public addresses/],
    [{ TRUST_PROXY: '::ffff:0.0.0.0/95' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '::/80' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '::ffff:11.0.0.0/104,12.0.0.0/8' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b::/96' }, /^TRUST_PROXY="64:ff9b::\/96" trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b::/32' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b::0.0.0.0/97' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b::11.0.0.0/104,12.0.0.0/8' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b:1::/48' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b:1:abcd::/96' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b:1:ab00::/64' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ TRUST_PROXY: '64:ff9b:1:abcd::/72' }, /^TRUST_PROXY=.* trusts too many public addresses/],
    [{ REDIS_URL: 'redis://u:RedisPw123@[bad' }, /^REDIS_URL="redis:\/\/\*\*\*@\[bad" is not a valid URL/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379/zero' }, /^REDIS_URL=.* must name a host/],
    [{ CORS_ORIGINS: 'app.example.com' }, /^CORS_ORIGINS=.* must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /^CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, /^CORS_ORIGINS=.* must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example.com#x' }, /^CORS_ORIGINS=.* must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example.com,' }, /^CORS_ORIGINS=.* must be a comma-separated list of origins/],
    [
      { CORS_ORIGINS: 'https://a.example.com, https://u:pw@app.example.com' },
      /^CORS_ORIGINS="https:\/\/a.example.com, https:\/\/\*\*\*@app.example.com" must be a comma-separated list of origins \(scheme:\/\/host\[:port\]\).*; entry 2 is not one \(https:\/\/app.example.com would be\)$/,
    ],
    [{ CORS_ORIGINS: 'https://App.Example.com' }, /; entry 1 is not one \(https:\/\/app.example.com would be\)$/],
    [{ CORS_ORIGINS: 'http://a.example:80,https://b.example' }, /; entry 1 is not one \(http:\/\/a.example would be\)$/],
    [{ CORS_ORIGINS: 'https://a.example, app.example.com' }, /; entry 2 is not one$/],
    [{ CORS_ORIGINS: 'https://*.example.com' }, /^CORS_ORIGINS=.* must be a comma-separated list of origins/],
    [{ DB_URL: 'mysql://root@127.0.0.1:3306/unireg' }, /^JWT_SECRET is required/],
    [{ DB_URL: 'mysql://root@127.0.0.1:3306/', JWT_SECRET: 'x'.repeat(16) }, /^DB_URL must name a host and a database/],
    [{ SMTP_URL: 'smtp://u:hunter2pw@:::bad' }, /^SMTP_URL="smtp:\/\/\*\*\*@:::bad" is not a valid URL$/],
    [{ SMTP_URL: 'smtp://:25' }, /^SMTP_URL="smtp:\/\/:25" is not a valid URL$/],
    [{ SMTP_URL: 'smtp:///path' }, /^SMTP_URL="smtp:\/\/\/path" must name a host/],
    [
      { DB_URL: 'mysql://root:DbPw123@:::bad/unireg', JWT_SECRET: 'x'.repeat(16) },
      /^DB_URL="mysql:\/\/\*\*\*@:::bad\/unireg" is not a valid URL$/,
    ],
    [{ DB_URL: 'mysql://root@db/%E0%A4%A', JWT_SECRET: 'x'.repeat(16) }, /^DB_URL must name a host and a database/],
    [{ PUBLIC_URL: 'id.example.com' }, /^PUBLIC_URL="id.example.com" is not a valid URL$/],
    [{ PUBLIC_URL: 'ftp://id.example.com' }, /^PUBLIC_URL=.* must be an http\(s\) URL/],
    [{ PUBLIC_URL: 'https://id.example.com/?next=1' }, /^PUBLIC_URL=.* must be an http\(s\) URL/],
    [{ PUBLIC_URL: 'https://admin:pw@id.example.com' }, /^PUBLIC_URL="https:\/\/\*\*\*@id.example.com" must be an http\(s\) URL/],
    [{ PUBLIC_URL: 'https://id.example.com/?token=x#y' }, /^PUBLIC_URL="https:\/\/id.example.com\/\?\*\*\*" must be an http\(s\) URL/],
    [{ SHUTDOWN_DRAIN_SECONDS: '-1' }, /^SHUTDOWN_DRAIN_SECONDS/],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, /^WEBHOOK_ALLOW_PRIVATE="yes" must be true or false$/],
    [{ WEBHOOK_POLL_MS: 'often' }, /^WEBHOOK_POLL_MS="often" must be a whole number/],
    [{ WEBHOOK_POLL_MS: '50' }, /^WEBHOOK_POLL_MS/],
    [{ WEBHOOK_POLL_MS: '60001' }, /^WEBHOOK_POLL_MS/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });

  it.each([
    [{ JWT_SECRET: 'hunter2-short' }, 'hunter2'],
    [{ SMTP_URL: 'http://mailer:s3cr3t-pass@mail.example.com' }, 's3cr3t-pass'],
    [{ DB_URL: 'postgres://app:s3cr3t-pass@db/unireg' }, 's3cr3t-pass'],
    [{ SMTP_URL: 'smtp://u:s3cr3t-pass@:::bad' }, 's3cr3t-pass'],
    [{ DB_URL: 'mysql://app:s3cr3t-pass@[db/unireg', JWT_SECRET: 'x'.repeat(16) }, 's3cr3t-pass'],
    [{ REDIS_URL: 'redis://:s3cr3t-pass@[bad' }, 's3cr3t-pass'],
    [{ PUBLIC_URL: 'http://u:s3cr3t-pass@id.example.com' }, 's3cr3t-pass'],
    [{ PUBLIC_URL: 'https://id.example.com/?token=s3cr3t-pass' }, 's3cr3t-pass'],
    [{ PUBLIC_URL: 'https://id.example.com/#s3cr3t-pass' }, 's3cr3t-pass'],
    [{ PUBLIC_URL: 'ftp://u:s3cr3t-pass@[bad' }, 's3cr3t-pass'],
    [{ DB_URL: 'mysql://app@[db/unireg?password=s3cr3t-pass', JWT_SECRET: 'x'.repeat(16) }, 's3cr3t-pass'],
    [{ DB_URL: 'mysql://a,b:s3cr3t-pass@[db/unireg', JWT_SECRET: 'x'.repeat(16) }, 's3cr3t-pass'],
    [{ CORS_ORIGINS: 'https://u:s3cr3t-pass@app.example.com' }, 's3cr3t-pass'],
    [{ CORS_ORIGINS: 'https://a.example.com,https://app.example.com?token=s3cr3t-pass' }, 's3cr3t-pass'],
    [{ CORS_ORIGINS: 'https://a.example.com/x,https://u:s3cr3t-pass@app.example.com' }, 's3cr3t-pass'],
    [{ CORS_ORIGINS: 'https://u:s3cr3t,pass@app.example.com' }, 's3cr3t'],
    [{ PUBLIC_URL: 'https://ghp_secrettoken123@x' }, 'ghp_secrettoken123'],
    [{ PUBLIC_URL: 'https://u%3Ahunter2pw@x' }, 'hunter2pw'],
    [{ CORS_ORIGINS: 'https://ghp_secrettoken123@app.example.com' }, 'ghp_secrettoken123'],
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
    expect(maskUrl('smtp://user:p@ss word@host:25')).toBe('smtp://***@host:25');
  });

  it.each([
    ['https://ghp_secrettoken123@x', 'https://***@x'],
    ['https://u%3Ahunter2pw@x', 'https://***@x'],
    ['mysql://root@127.0.0.1/db', 'mysql://***@127.0.0.1/db'],
    ['https://a.example.com,https://ghp_secrettoken123@app.example.com', 'https://a.example.com,https://***@app.example.com'],
    ['https://x/?email=a@b.example', 'https://x/?***'],
  ])('masks the whole user-info of %j', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it('masks the query and the fragment of a URL', () => {
    expect(maskUrl('https://id.example.com/a?token=x&b=y')).toBe('https://id.example.com/a?***');
    expect(maskUrl('https://id.example.com/a#token')).toBe('https://id.example.com/a#***');
    expect(maskUrl('mysql://u:p?w@db/unireg?ssl=true')).toBe('mysql://***@db/unireg?***');
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

  it('reads WEBHOOK_ALLOW_PRIVATE and WEBHOOK_POLL_MS', () => {
    const env = { DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) };
    expect(loadConfig({ ...env, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '250' }).webhooks).toEqual({
      allowPrivate: true,
      pollMs: 250,
    });
    expect(loadConfig({ ...env, WEBHOOK_ALLOW_PRIVATE: 'false' }).webhooks.allowPrivate).toBe(false);
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
    ['5', 5],
    [
      'loopback,linklocal,uniquelocal,10.0.0.0/8,100.64.0.0/10,172.16.0.0/12,fc00::/7',
      ['loopback', 'linklocal', 'uniquelocal', '10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', 'fc00::/7'],
    ],
    ['11.0.0.0/8,2001:db8::/32', ['11.0.0.0/8', '2001:db8::/32']],
    ['::ffff:10.0.0.0/104,::ffff:203.0.113.7', ['::ffff:a00:0/104', '::ffff:cb00:7107']],
    ['64:ff9b::10.0.0.0/104,64:ff9b::203.0.113.7', ['64:ff9b::a00:0/104', '64:ff9b::cb00:7107']],
    ['64:ff9b:1:abcd::203.0.113.7', ['64:ff9b:1:abcd::cb00:7107']],
    ['::1.2.3.4,2001:db8::1.2.3.4,::FFFF:1.0.0.0/104,1.0.0.0/8', ['::102:304', '2001:db8::102:304', '::FFFF:100:0/104', '1.0.0.0/8']],
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

  it.each([
    [{}, 'http://localhost:3000'],
    [{ PORT: '8080' }, 'http://localhost:8080'],
    [{ PUBLIC_URL: 'https://ID.example.com/' }, 'https://id.example.com'],
    [{ PUBLIC_URL: 'https://example.com/accounts/' }, 'https://example.com/accounts'],
  ])('reads PUBLIC_URL from %j as %j', (env, expected) => {
    expect(loadConfig({ DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16), ...env }).server.publicUrl).toBe(expected);
  });

  describe('DATA_DIR', () => {
    const cwd = process.cwd();
    afterEach(() => process.chdir(cwd));

    it('holds the embedded database and the JWT secret together', () => {
      const dir = dataDir();
      const config = loadConfig({ DATA_DIR: dir });
      expect(config.database).toEqual({ type: 'sqlite', file: join(dir, 'unireg.sqlite') });
      expect(existsSync(join(dir, 'jwt-secret'))).toBe(true);
    });

    it('refuses to start beside a database left at the former default, data/unireg.sqlite', () => {
      const work = dataDir();
      process.chdir(work);
      mkdirSync('data');
      writeFileSync(join('data', 'unireg.sqlite'), '');
      const dir = dataDir();
      expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/^DATA_DIR=".*" holds no unireg\.sqlite, but .*data\/unireg\.sqlite exists/);
      expect(existsSync(join(dir, 'jwt-secret'))).toBe(false);
      expect(loadConfig({ DATA_DIR: dir, DB_URL: 'sqlite:data/unireg.sqlite' }).database).toEqual({
        type: 'sqlite',
        file: join(work, 'data', 'unireg.sqlite'),
      });
      expect(loadConfig({ DATA_DIR: 'data' }).database).toEqual({ type: 'sqlite', file: join(work, 'data', 'unireg.sqlite') });
    });
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

  describe('SMS_PROVIDER', () => {
    const env = { DB_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(16) };
    const secret = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
    const http = { SMS_PROVIDER: 'http', SMS_URL: 'http://127.0.0.1:8080/sms', SMS_SECRET: secret(32) };
    const tencentcloud = {
      SMS_PROVIDER: 'tencentcloud',
      TENCENTCLOUD_SECRET_ID: 'AKIDexample0000000000',
      TENCENTCLOUD_SECRET_KEY: 'example-secret-key-0000',
      TENCENTCLOUD_SMS_SDK_APP_ID: '1400006666',
      TENCENTCLOUD_SMS_SIGN: '统一注册',
      TENCENTCLOUD_SMS_TEMPLATE_ID: '1110',
    };

    it('writes the outbox under DATA_DIR by default', () => {
      const dir = dataDir();
      expect(loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(16) }).sms).toEqual({
        provider: 'outbox',
        outboxDir: join(dir, 'outbox', 'sms'),
      });
    });

    it.each([24, 32, 64])('reads http with a secret of %i bytes', (bytes) => {
      expect(loadConfig({ ...env, ...http, SMS_SECRET: secret(bytes) }).sms).toEqual({
        provider: 'http',
        url: 'http://127.0.0.1:8080/sms',
        secret: secret(bytes),
      });
    });

    it("reads tencentcloud, in Guangzhou at Tencent's own endpoint by default", () => {
      expect(loadConfig({ ...env, ...tencentcloud }).sms).toEqual({
        provider: 'tencentcloud',
        secretId: 'AKIDexample0000000000',
        secretKey: 'example-secret-key-0000',
        sdkAppId: '1400006666',
        signName: '统一注册',
        templateId: '1110',
        region: 'ap-guangzhou',
        endpoint: 'https://sms.tencentcloudapi.com',
      });
    });

    it.each([
      ['sms.ap-beijing.tencentcloudapi.com', 'https://sms.ap-beijing.tencentcloudapi.com'],
      ['https://sms.tencentcloudapi.com/', 'https://sms.tencentcloudapi.com'],
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['10.0.0.5:8443', 'https://10.0.0.5:8443'],
    ])('reads TENCENTCLOUD_SMS_ENDPOINT=%j as %j', (value, endpoint) => {
      expect(
        loadConfig({ ...env, ...tencentcloud, TENCENTCLOUD_SMS_ENDPOINT: value, TENCENTCLOUD_SMS_REGION: 'ap-beijing' }).sms,
      ).toMatchObject({
        endpoint,
        region: 'ap-beijing',
      });
    });

    it("accepts Tencent Cloud's API key beside another provider: Tencent's own tools read those names too", () => {
      const key = { TENCENTCLOUD_SECRET_ID: 'AKIDexample0000000000', TENCENTCLOUD_SECRET_KEY: 'example-secret-key-0000' };
      expect(loadConfig({ ...env, ...key }).sms.provider).toBe('outbox');
      expect(loadConfig({ ...env, ...http, ...key }).sms.provider).toBe('http');
    });

    const makeOne = `make one with: node -e "console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))"`;
    it.each<[Record<string, string>, string]>([
      [{ SMS_PROVIDER: 'twilio' }, 'SMS_PROVIDER="twilio" must be one of outbox, http, tencentcloud'],
      [
        { ...http, SMS_URL: '' },
        'SMS_PROVIDER=http needs SMS_URL, the gateway to POST each message to, e.g. https://sms-gateway.internal/send',
      ],
      [
        { ...http, SMS_SECRET: '' },
        `SMS_PROVIDER=http needs SMS_SECRET, a Standard Webhooks secret (whsec_ then 24 to 64 random bytes in Base64); ${makeOne}`,
      ],
      [{ ...http, SMS_URL: 'sms-gateway.internal/send' }, 'SMS_URL="sms-gateway.internal/send" is not a valid URL'],
      [
        { ...http, SMS_URL: 'ftp://sms-gateway.internal/send' },
        'SMS_URL="ftp://sms-gateway.internal/send" must be an http(s) URL without credentials',
      ],
      [
        { ...http, SMS_URL: 'https://gw:hunter2pw@sms-gateway.internal/send' },
        'SMS_URL="https://***@sms-gateway.internal/send" must be an http(s) URL without credentials',
      ],
      [
        { ...http, SMS_SECRET: 'hunter2-but-long-enough' },
        `SMS_SECRET must be a Standard Webhooks secret (whsec_ then 24 to 64 random bytes in Base64); ${makeOne}`,
      ],
      [{ ...http, SMS_SECRET: Buffer.alloc(32, 7).toString('base64') }, 'SMS_SECRET must be a Standard Webhooks secret'],
      [{ ...http, SMS_SECRET: secret(16) }, 'SMS_SECRET must be a Standard Webhooks secret'],
      [{ ...http, SMS_SECRET: secret(65) }, 'SMS_SECRET must be a Standard Webhooks secret'],
      [{ ...http, SMS_SECRET: secret(32).replace(/=$/, '') }, 'SMS_SECRET must be a Standard Webhooks secret'],
      [{ ...http, SMS_SECRET: `${secret(32)} ` }, 'SMS_SECRET must be a Standard Webhooks secret'],
      [
        { SMS_PROVIDER: 'tencentcloud' },
        'SMS_PROVIDER=tencentcloud needs TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SMS_SDK_APP_ID, TENCENTCLOUD_SMS_SIGN, TENCENTCLOUD_SMS_TEMPLATE_ID (docs/operations.md#sms)',
      ],
      ...Object.keys(tencentcloud)
        .filter((name) => name !== 'SMS_PROVIDER')
        .map((name): [Record<string, string>, string] => [
          { ...tencentcloud, [name]: '' },
          `SMS_PROVIDER=tencentcloud needs ${name} (docs/operations.md#sms)`,
        ]),
      [{ ...tencentcloud, TENCENTCLOUD_SECRET_ID: 'AKID example' }, 'TENCENTCLOUD_SECRET_ID must not contain white space'],
      [{ ...tencentcloud, TENCENTCLOUD_SECRET_KEY: 'example-secret-key-0000\n' }, 'TENCENTCLOUD_SECRET_KEY must not contain white space'],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_SDK_APP_ID: 'app-1400006666' },
        `TENCENTCLOUD_SMS_SDK_APP_ID="app-1400006666" must be the SMS application's SdkAppId, digits only, e.g. 1400006666`,
      ],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_SIGN: ' 统一注册' },
        'TENCENTCLOUD_SMS_SIGN=" 统一注册" must be the approved signature text, without white space at either end',
      ],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_TEMPLATE_ID: 'verify_code' },
        `TENCENTCLOUD_SMS_TEMPLATE_ID="verify_code" must be the approved template's ID, digits only, e.g. 1110`,
      ],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_REGION: 'Guangzhou' },
        'TENCENTCLOUD_SMS_REGION="Guangzhou" must be a Tencent Cloud region, e.g. ap-guangzhou',
      ],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_ENDPOINT: 'ftp://sms.tencentcloudapi.com' },
        'TENCENTCLOUD_SMS_ENDPOINT="ftp://sms.tencentcloudapi.com" must be a host or an http(s) origin without a path',
      ],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_ENDPOINT: 'https://sms.tencentcloudapi.com/v3' },
        'TENCENTCLOUD_SMS_ENDPOINT="https://sms.tencentcloudapi.com/v3" must be a host or an http(s) origin',
      ],
      [
        { ...tencentcloud, TENCENTCLOUD_SMS_ENDPOINT: 'https://proxy:hunter2pw@10.0.0.5' },
        'TENCENTCLOUD_SMS_ENDPOINT="https://***@10.0.0.5" must be a host or an http(s) origin',
      ],
      [{ ...tencentcloud, TENCENTCLOUD_SMS_ENDPOINT: '[bad' }, 'TENCENTCLOUD_SMS_ENDPOINT="[bad" is not a valid URL'],
      [{ SMS_URL: 'http://127.0.0.1:8080/sms' }, 'SMS_URL is set but SMS_PROVIDER is outbox: set SMS_PROVIDER=http, or unset SMS_URL'],
      [{ SMS_SECRET: secret(32) }, 'SMS_SECRET is set but SMS_PROVIDER is outbox: set SMS_PROVIDER=http, or unset SMS_SECRET'],
      [
        { TENCENTCLOUD_SMS_SIGN: '统一注册' },
        'TENCENTCLOUD_SMS_SIGN is set but SMS_PROVIDER is outbox: set SMS_PROVIDER=tencentcloud, or unset TENCENTCLOUD_SMS_SIGN',
      ],
      [
        { ...http, TENCENTCLOUD_SMS_REGION: 'ap-guangzhou' },
        'TENCENTCLOUD_SMS_REGION is set but SMS_PROVIDER is http: set SMS_PROVIDER=tencentcloud',
      ],
      [{ ...tencentcloud, SMS_URL: 'http://127.0.0.1:8080/sms' }, 'SMS_URL is set but SMS_PROVIDER is tencentcloud: set SMS_PROVIDER=http'],
    ])('refuses %j with one line', (vars, message) => {
      let thrown: unknown;
      try {
        loadConfig({ ...env, ...vars });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message.startsWith(message)).toBe(true);
      expect((thrown as Error).message).not.toContain('\n');
    });

    it.each([
      [{ ...http, SMS_SECRET: 'whsec_hunter2pw' }, 'hunter2pw'],
      [{ ...http, SMS_URL: 'https://gw:hunter2pw@sms-gateway.internal/send' }, 'hunter2pw'],
      [{ ...http, SMS_URL: 'ftp://sms-gateway.internal/send?token=hunter2pw' }, 'hunter2pw'],
      [{ ...tencentcloud, TENCENTCLOUD_SECRET_KEY: 'hunter2pw example' }, 'hunter2pw'],
      [{ ...tencentcloud, TENCENTCLOUD_SECRET_ID: 'AKIDhunter2pw example' }, 'hunter2pw'],
      [{ ...tencentcloud, TENCENTCLOUD_SMS_ENDPOINT: 'https://proxy:hunter2pw@10.0.0.5/x' }, 'hunter2pw'],
    ])('never echoes the secret in %j', (vars, leaked) => {
      expect(() => loadConfig({ ...env, ...vars })).toThrow(ConfigError);
      expect(() => loadConfig({ ...env, ...vars })).not.toThrow(leaked);
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
