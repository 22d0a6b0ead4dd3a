import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { ConfigSection } from './config-section';
import { EnvironmentVariables, LOG_LEVELS, SMS_PROVIDERS } from './env.dto';
import { readTrustProxy, TrustProxy } from './trust-proxy';

export type DatabaseConfig = { type: 'sqlite'; file: string } | { type: 'mysql'; url: string; database: string };

/**
 * The SMS transport SMS_PROVIDER names, with its settings: `outboxDir` gets one JSON file per message, `url` a
 * POST signed under the Standard Webhooks `secret`, and `tencentcloud` Tencent's SendSms at `endpoint` (an origin).
 */
export type SmsConfig =
  | { provider: 'outbox'; outboxDir: string }
  | { provider: 'http'; url: string; secret: string }
  | {
      provider: 'tencentcloud';
      secretId: string;
      secretKey: string;
      sdkAppId: string;
      signName: string;
      templateId: string;
      region: string;
      endpoint: string;
    };

/**
 * The one typed view of the environment, grouped by concern; nothing else in the code reads
 * `process.env`, and nothing here knows a dialect: a dialect declares its own variables as a `ConfigSection`.
 */
export interface AppConfig {
  /** `corsOrigins`: browser origins allowed to call the API; empty means no CORS headers at all. */
  /** `threadPoolSize`: libuv's pool, where bcrypt runs; see `applyThreadPoolSize`. */
  /** `trustProxy`: Express's `trust proxy` setting, deciding the client address of rate limits and logs. */
  server: {
    port: number;
    dataDir: string;
    corsOrigins: readonly string[];
    threadPoolSize: number;
    trustProxy: TrustProxy;
    /** How long a graceful stop waits for the requests in flight. */
    shutdownGraceSeconds: number;
    /** How long a graceful stop keeps serving (readiness 503) before it closes the listener. */
    shutdownDrainSeconds: number;
    /** The service's own base URL (no trailing slash) in what it hands out; never taken from a request. */
    publicUrl: string;
    /** Processes serving the port (Node's cluster); above 1 the counters must be shared in Redis. */
    workers: number;
  };
  database: DatabaseConfig;
  security: { bcryptCost: number; jwtSecret: string };
  mail: { smtpUrl?: string; from: string; outboxDir: string };
  sms: SmsConfig;
  logging: { level: (typeof LOG_LEVELS)[number] };
  /** `loginFailuresPer15Min`: failed logins of one account from one client before a 15-minute lock. */
  rateLimit: { perMinute: number; loginFailuresPer15Min: number };
  /** `sendsPerHour`: codes one email may be sent per tenant and hour (0: no cap beyond `resendSeconds`). */
  codes: { ttlSeconds: number; resendSeconds: number; maxAttempts: number; sendsPerHour: number };
  /** `refreshReuseSeconds`: how long after its first use a refresh token presented again is a retry, not reuse. */
  tokens: { refreshReuseSeconds: number };
  /** `token`: the bearer token /metrics asks for; none means /metrics is open. */
  metrics: { token?: string };
  /** `url`: where the rate-limit counters are shared between instances; none keeps them in memory. */
  redis: { url?: string; keyPrefix: string };
  /** `allowPrivate`: webhook URLs may reach loopback and private addresses; `pollMs`: how often each instance looks for deliveries. */
  webhooks: { allowPrivate: boolean; pollMs: number };
  /** The settings of each `ConfigSection` passed to `loadConfig`, by its token; ConfigModule provides them. */
  sections: ReadonlyMap<symbol, unknown>;
}

export class ConfigError extends Error {}

/**
 * Workers in one process each would count rate limits and login failures alone, and each would have an
 * in-memory database of its own: several workers need Redis and a database they share.
 */
function checkWorkers(workers: number, redisUrl: string | undefined, database: DatabaseConfig): number {
  if (workers > 1 && !redisUrl) {
    throw new ConfigError('WORKERS above 1 needs REDIS_URL, so that the workers share the rate-limit counters');
  }
  if (workers > 1 && database.type === 'sqlite' && database.file === SQLITE_MEMORY) {
    throw new ConfigError('WORKERS above 1 needs a database file or server, not sqlite::memory:');
  }
  return workers;
}

/**
 * URLs are parsed here, so that a malformed one stops the start with one line (its password masked)
 * rather than a driver's stack, which would print the whole URL.
 */
function parsedUrl(name: string, url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ConfigError(`${shown(name, url)} is not a valid URL`);
  }
}

function checkRedisUrl(url: string | undefined): string | undefined {
  if (url === undefined) {
    return undefined;
  }
  const parsed = parsedUrl('REDIS_URL', url);
  if (!parsed.hostname || !/^\/?\d*$/.test(parsed.pathname)) {
    throw new ConfigError(`${shown('REDIS_URL', url)} must name a host and optionally a database number`);
  }
  return url;
}

function checkSmtpUrl(url: string | undefined): string | undefined {
  if (url !== undefined && !parsedUrl('SMTP_URL', url).hostname) {
    throw new ConfigError(`${shown('SMTP_URL', url)} must name a host, e.g. smtp://user:pass@mail.example.com:587`);
  }
  return url;
}

type SmsProvider = (typeof SMS_PROVIDERS)[number];

/**
 * The variables only one provider reads. TENCENTCLOUD_SECRET_ID and _KEY are left out: Tencent's CLI and SDKs
 * read them too, so they may be set for another tool.
 */
const SMS_PROVIDER_VARIABLES: Record<SmsProvider, readonly string[]> = {
  outbox: [],
  http: ['SMS_URL', 'SMS_SECRET'],
  tencentcloud: [
    'TENCENTCLOUD_SMS_SDK_APP_ID',
    'TENCENTCLOUD_SMS_SIGN',
    'TENCENTCLOUD_SMS_TEMPLATE_ID',
    'TENCENTCLOUD_SMS_REGION',
    'TENCENTCLOUD_SMS_ENDPOINT',
  ],
};

const TENCENTCLOUD_ENDPOINT = 'https://sms.tencentcloudapi.com';

function checkSms(vars: EnvironmentVariables, env: Record<string, string | undefined>, dataDir: string): SmsConfig {
  const provider = vars.SMS_PROVIDER;
  // A gateway's settings beside another provider are most likely a forgotten SMS_PROVIDER, which would send the codes elsewhere.
  for (const [other, names] of Object.entries(SMS_PROVIDER_VARIABLES)) {
    const stray = other === provider ? undefined : names.find((name) => env[name] !== undefined && env[name] !== '');
    if (stray) {
      throw new ConfigError(`${stray} is set but SMS_PROVIDER is ${provider}: set SMS_PROVIDER=${other}, or unset ${stray}`);
    }
  }
  switch (provider) {
    case 'outbox':
      return { provider, outboxDir: join(dataDir, 'outbox', 'sms') };
    case 'http':
      return { provider, url: checkSmsUrl(vars.SMS_URL), secret: checkSmsSecret(vars.SMS_SECRET) };
    case 'tencentcloud':
      return checkTencentcloud(vars);
  }
}

const TENCENTCLOUD_REQUIRED = [
  'TENCENTCLOUD_SECRET_ID',
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_SMS_SDK_APP_ID',
  'TENCENTCLOUD_SMS_SIGN',
  'TENCENTCLOUD_SMS_TEMPLATE_ID',
] as const;

/** Every missing value is named at once, so that a first deployment needs one more try, not five. */
function checkTencentcloud(vars: EnvironmentVariables): SmsConfig {
  const {
    TENCENTCLOUD_SECRET_ID: secretId,
    TENCENTCLOUD_SECRET_KEY: secretKey,
    TENCENTCLOUD_SMS_SDK_APP_ID: sdkAppId,
    TENCENTCLOUD_SMS_SIGN: signName,
    TENCENTCLOUD_SMS_TEMPLATE_ID: templateId,
  } = vars;
  if (!secretId || !secretKey || !sdkAppId || !signName || !templateId) {
    const missing = TENCENTCLOUD_REQUIRED.filter((name) => vars[name] === undefined);
    throw new ConfigError(`SMS_PROVIDER=tencentcloud needs ${missing.join(', ')} (docs/operations.md#sms)`);
  }
  const endpoint = checkTencentcloudEndpoint(vars.TENCENTCLOUD_SMS_ENDPOINT);
  return { provider: 'tencentcloud', secretId, secretKey, sdkAppId, signName, templateId, region: vars.TENCENTCLOUD_SMS_REGION, endpoint };
}

/** Loopback and private hosts are allowed: the private-address rule is for webhooks only, the gateway is the operator's own. */
function checkSmsUrl(url: string | undefined): string {
  if (url === undefined) {
    throw new ConfigError('SMS_PROVIDER=http needs SMS_URL, the gateway to POST each message to, e.g. https://sms-gateway.internal/send');
  }
  const parsed = parsedUrl('SMS_URL', url);
  if (!/^https?:$/.test(parsed.protocol) || !parsed.hostname || parsed.username || parsed.password) {
    throw new ConfigError(
      `${shown('SMS_URL', url)} must be an http(s) URL without credentials (the signature proves the sender), e.g. https://sms-gateway.internal/send`,
    );
  }
  return url;
}

/** `whsec_` and the key in padded Base64, as the Standard Webhooks libraries read it. */
const WEBHOOK_SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;
const WEBHOOK_SECRET_RULE =
  `a Standard Webhooks secret (whsec_ then 24 to 64 random bytes in Base64); make one with: ` +
  `node -e "console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))"`;

/** The Standard Webhooks specification asks for a key of 24 to 64 bytes. */
function checkSmsSecret(secret: string | undefined): string {
  if (secret === undefined) {
    throw new ConfigError(`SMS_PROVIDER=http needs SMS_SECRET, ${WEBHOOK_SECRET_RULE}`);
  }
  const key = WEBHOOK_SECRET.exec(secret)?.[1];
  const bytes = key === undefined ? 0 : Buffer.from(key, 'base64').length;
  if (bytes < 24 || bytes > 64) {
    throw new ConfigError(`${shown('SMS_SECRET', secret)} must be ${WEBHOOK_SECRET_RULE}`);
  }
  return secret;
}

/** Tencent's SDK takes a host and a protocol: a bare host is https, an `http://` origin is for a stand-in or a private proxy. */
function checkTencentcloudEndpoint(value: string | undefined): string {
  if (value === undefined) {
    return TENCENTCLOUD_ENDPOINT;
  }
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    throw new ConfigError(`${shown('TENCENTCLOUD_SMS_ENDPOINT', value)} is not a valid URL`);
  }
  if (
    !/^https?:$/.test(parsed.protocol) ||
    !parsed.hostname ||
    parsed.username ||
    parsed.password ||
    parsed.pathname !== '/' ||
    parsed.search ||
    parsed.hash
  ) {
    throw new ConfigError(
      `${shown('TENCENTCLOUD_SMS_ENDPOINT', value)} must be a host or an http(s) origin without a path, e.g. sms.tencentcloudapi.com`,
    );
  }
  return parsed.origin;
}

/** Links the service hands out are built on this, so a forged `Host` header can never redirect them. */
function checkPublicUrl(url: string | undefined, port: number): string {
  if (url === undefined) {
    return `http://localhost:${port}`;
  }
  const parsed = parsedUrl('PUBLIC_URL', url);
  if (!/^https?:$/.test(parsed.protocol) || !parsed.hostname || parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ConfigError(
      `${shown('PUBLIC_URL', url)} must be an http(s) URL without credentials, query or fragment, e.g. https://id.example.com`,
    );
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** A host as a browser sends it in `Origin`: ASCII labels or an IP address, never a pattern such as `*.example.com`. */
const ORIGIN_HOST = /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$|^\[[0-9a-f:.]+\]$/;

/**
 * CORS compares each entry with the browser's `Origin` header as a string, so an entry that is not
 * exactly `scheme://host[:port]` (credentials, a path, upper case, a default port) would never match.
 */
function checkCorsOrigins(value: string | undefined): string[] {
  const origins = value?.split(',').map((origin) => origin.trim()) ?? [];
  const wrong = origins.findIndex((origin) => originOf(origin) !== origin);
  if (wrong >= 0) {
    // The entry is named by its place: alone, a password cut at a comma would not be masked.
    const expected = originOf(origins[wrong]);
    throw new ConfigError(
      `${shown('CORS_ORIGINS', value)} must be a comma-separated list of origins (scheme://host[:port]), e.g. https://app.example.com,http://localhost:8080; entry ${wrong + 1} is not one${expected ? ` (${expected} would be)` : ''}`,
    );
  }
  return origins;
}

/** The http(s) origin `text` names, or undefined when it names none. */
function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && ORIGIN_HOST.test(url.hostname) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function checkTrustProxy(value: string | undefined): TrustProxy {
  const read = readTrustProxy(value);
  if ('refused' in read) {
    throw new ConfigError(`${shown('TRUST_PROXY', value)} ${read.refused}`);
  }
  return read.trustProxy;
}

export const SQLITE_MEMORY = ':memory:';

/** The variables `variables` declares, read from `env` (an empty value counts as unset) and validated. */
function validated<Variables extends object>(variables: Type<Variables>, env: Record<string, string | undefined>): Variables {
  const rules = getMetadataStorage().getTargetValidationMetadatas(variables, '', true, false);
  const names = new Set(rules.map((rule) => rule.propertyName));
  const present = Object.fromEntries(
    [...names].filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const vars = plainToInstance(variables, present);
  const errors = validateSync(vars, { whitelist: true });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // A value of the wrong kind fails every rule; name the kind, not a bound.
    const reason = constraints.isInt ?? constraints.isString ?? Object.values(constraints)[0] ?? 'is invalid';
    throw new ConfigError(`${shown(first.property, first.value)} ${stripProperty(reason, first.property)}`);
  }
  return vars;
}

/**
 * Validates `env` and derives the typed config, throwing a one-line `ConfigError` naming the variable;
 * `sections` are the features' own variables, validated alike.
 */
export function loadConfig(env: Record<string, string | undefined>, sections: readonly ConfigSection[] = []): AppConfig {
  const vars = validated(EnvironmentVariables, env);
  const dataDir = resolve(vars.DATA_DIR);
  const database = parseDbUrl(vars.DB_URL ?? defaultDbUrl(dataDir));
  return {
    server: {
      port: vars.PORT,
      dataDir,
      corsOrigins: checkCorsOrigins(vars.CORS_ORIGINS),
      threadPoolSize: vars.UV_THREADPOOL_SIZE,
      trustProxy: checkTrustProxy(vars.TRUST_PROXY),
      shutdownGraceSeconds: vars.SHUTDOWN_GRACE_SECONDS,
      shutdownDrainSeconds: vars.SHUTDOWN_DRAIN_SECONDS,
      publicUrl: checkPublicUrl(vars.PUBLIC_URL, vars.PORT),
      workers: checkWorkers(vars.WORKERS, vars.REDIS_URL, database),
    },
    database,
    security: { bcryptCost: vars.BCRYPT_COST, jwtSecret: vars.JWT_SECRET ?? embeddedJwtSecret(database, dataDir) },
    mail: { smtpUrl: checkSmtpUrl(vars.SMTP_URL), from: vars.MAIL_FROM, outboxDir: join(dataDir, 'outbox') },
    sms: checkSms(vars, env, dataDir),
    logging: { level: vars.LOG_LEVEL },
    rateLimit: { perMinute: vars.RATE_LIMIT_PER_MINUTE, loginFailuresPer15Min: vars.LOGIN_FAILURES_PER_15_MIN },
    codes: {
      ttlSeconds: vars.CODE_TTL_SECONDS,
      resendSeconds: vars.CODE_RESEND_SECONDS,
      maxAttempts: vars.CODE_MAX_ATTEMPTS,
      sendsPerHour: vars.CODE_SENDS_PER_HOUR,
    },
    tokens: { refreshReuseSeconds: vars.REFRESH_REUSE_SECONDS },
    metrics: { token: vars.METRICS_TOKEN },
    redis: { url: checkRedisUrl(vars.REDIS_URL), keyPrefix: vars.REDIS_KEY_PREFIX },
    webhooks: { allowPrivate: vars.WEBHOOK_ALLOW_PRIVATE === 'true', pollMs: vars.WEBHOOK_POLL_MS },
    sections: new Map(sections.map((section) => [section.token, section.build(validated(section.variables, env))])),
  };
}

/**
 * libuv reads UV_THREADPOOL_SIZE once, when its pool first starts; the service calls this before any
 * work reaches the pool, so that bcrypt can use every core (libuv's default is 4 threads).
 */
export function applyThreadPoolSize(config: AppConfig): void {
  process.env.UV_THREADPOOL_SIZE = String(config.server.threadPoolSize);
}

/** Loads `.env` from the working directory when there is one; real environment variables win. */
export function readEnvironment(): Record<string, string | undefined> {
  if (existsSync('.env')) {
    process.loadEnvFile('.env');
  }
  return process.env;
}

/** Variables whose value is a secret: an error names them, never their value. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'METRICS_TOKEN', 'SMS_SECRET', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY']);
/** Variables that are URLs (or lists of them) and may carry a password or a token: shown masked. */
const URL_VARIABLES = new Set(['DB_URL', 'SMTP_URL', 'REDIS_URL', 'PUBLIC_URL', 'CORS_ORIGINS', 'SMS_URL', 'TENCENTCLOUD_SMS_ENDPOINT']);

/** How an error shows a variable: the value for plain settings, masked for credentials. */
function shown(name: string, value: unknown): string {
  if (SECRET_VARIABLES.has(name)) {
    return name;
  }
  return `${name}=${JSON.stringify(URL_VARIABLES.has(name) ? maskUrl(String(value)) : value)}`;
}

/**
 * `scheme://user:secret@host/path?token#x` -> `scheme://***@host/path?***`, for URLs that do not parse
 * too, and for a list of URLs, where one entry's credentials may swallow its neighbours. The whole
 * user-info goes: a user name alone may be a token (`https://ghp_...@host`), or hide a password
 * percent-encoded (`u%3Apw`).
 */
export function maskUrl(url: string): string {
  // Greedy to the last `@`: a password may hold `@` (or `,`, `?`) itself; a host never does. A user name
  // without `,` or spaces is tried first, so that in a list the entries before the one with credentials stay readable.
  const masked = url.replace(/\/\/[^:@/,\s]*(?::[^]*)?@/, '//***@');
  return (masked === url ? url.replace(/\/\/[^:@/]*(?::[^]*)?@/, '//***@') : masked).replace(/([?#])[^]*$/, '$1***');
}

function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

function parseDbUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    return { type: 'sqlite', file: file === SQLITE_MEMORY ? SQLITE_MEMORY : resolve(file) };
  }
  const parsed = parsedUrl('DB_URL', url);
  const database = parsed.pathname.replace(/^\//, '');
  if (!parsed.hostname || !/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new ConfigError('DB_URL must name a host and a database: mysql://user:pass@host:port/db');
  }
  return { type: 'mysql', url, database };
}

/**
 * The embedded database lives beside the embedded JWT secret, so that DATA_DIR moves both. A file at the
 * former default (`data/unireg.sqlite` whatever DATA_DIR said) is not left behind silently for a new one.
 */
function defaultDbUrl(dataDir: string): string {
  const file = join(dataDir, 'unireg.sqlite');
  const former = resolve('data', 'unireg.sqlite');
  if (file !== former && existsSync(former) && !existsSync(file)) {
    throw new ConfigError(
      `DATA_DIR=${JSON.stringify(dataDir)} holds no unireg.sqlite, but ${former} exists: move it into DATA_DIR, or set DB_URL=sqlite:${former}`,
    );
  }
  return `sqlite:${file}`;
}

/** The embedded default must run with no setup, so it keeps a secret of its own in the data folder. */
function embeddedJwtSecret(db: DatabaseConfig, dataDir: string): string {
  if (db.type === 'mysql') {
    throw new ConfigError('JWT_SECRET is required when DB_URL is a mysql:// URL');
  }
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
