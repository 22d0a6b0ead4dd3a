import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { ConfigSection } from './config-section';
import { EnvironmentVariables, LOG_LEVELS } from './env.dto';

export type DatabaseConfig = { type: 'sqlite'; file: string } | { type: 'mysql'; url: string; database: string };

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
    /** Processes serving the port (Node's cluster); above 1 the counters must be shared in Redis. */
    workers: number;
  };
  database: DatabaseConfig;
  security: { bcryptCost: number; jwtSecret: string };
  mail: { smtpUrl?: string; from: string; outboxDir: string };
  logging: { level: (typeof LOG_LEVELS)[number] };
  /** `loginFailuresPer15Min`: failed logins of one account from one client before a 15-minute lock. */
  rateLimit: { perMinute: number; loginFailuresPer15Min: number };
  /** `sendsPerHour`: codes one email may be sent per tenant and hour (0: no cap beyond `resendSeconds`). */
  codes: { ttlSeconds: number; resendSeconds: number; maxAttempts: number; sendsPerHour: number };
  /** `token`: the bearer token /metrics asks for; none means /metrics is open. */
  metrics: { token?: string };
  /** `url`: where the rate-limit counters are shared between instances; none keeps them in memory. */
  redis: { url?: string; keyPrefix: string };
  /** The settings of each `ConfigSection` passed to `loadConfig`, by its token; ConfigModule provides them. */
  sections: ReadonlyMap<symbol, unknown>;
}

export class ConfigError extends Error {}

/** What Express accepts for `trust proxy`: false (the socket address), a hop count, or addresses/CIDRs/names. */
export type TrustProxy = false | number | string[];

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

/** Parsed here, so that a malformed one stops the start with one line (its password masked), not a driver stack. */
function checkRedisUrl(url: string | undefined): string | undefined {
  if (url === undefined) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`REDIS_URL=${JSON.stringify(maskCredentials(url))} is not a valid URL`);
  }
  if (!parsed.hostname || !/^\/?\d*$/.test(parsed.pathname)) {
    throw new ConfigError(`REDIS_URL=${JSON.stringify(maskCredentials(url))} must name a host and optionally a database number`);
  }
  return url;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A proxy as Express names it: loopback/linklocal/uniquelocal, an address, or a CIDR. */
function isProxySpec(part: string): boolean {
  const [address, bits, extra] = part.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  // A range wider than /8 trusts most of the internet: as unsafe as `true`, so refused with it.
  const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 8 && Number(bits) <= maxBits);
  return PROXY_NAMES.has(part) || (family !== 0 && extra === undefined && bitsOk);
}

function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') {
    return false;
  }
  if (/^\d{1,2}$/.test(value)) {
    return Number(value);
  }
  const parts = value.split(',').map((part) => part.trim());
  // "true" (trust every hop) is refused on purpose: it would let any client choose its own address.
  if (!parts.every(isProxySpec)) {
    throw new ConfigError('TRUST_PROXY must be a hop count, loopback, linklocal, uniquelocal, or comma-separated addresses/CIDRs');
  }
  return parts;
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
  const database = parseDbUrl(vars.DB_URL);
  const dataDir = resolve(vars.DATA_DIR);
  return {
    server: {
      port: vars.PORT,
      dataDir,
      corsOrigins: vars.CORS_ORIGINS?.split(',').map((origin) => origin.trim()) ?? [],
      threadPoolSize: vars.UV_THREADPOOL_SIZE,
      trustProxy: parseTrustProxy(vars.TRUST_PROXY),
      shutdownGraceSeconds: vars.SHUTDOWN_GRACE_SECONDS,
      workers: checkWorkers(vars.WORKERS, vars.REDIS_URL, database),
    },
    database,
    security: { bcryptCost: vars.BCRYPT_COST, jwtSecret: vars.JWT_SECRET ?? embeddedJwtSecret(database, dataDir) },
    mail: { smtpUrl: vars.SMTP_URL, from: vars.MAIL_FROM, outboxDir: join(dataDir, 'outbox') },
    logging: { level: vars.LOG_LEVEL },
    rateLimit: { perMinute: vars.RATE_LIMIT_PER_MINUTE, loginFailuresPer15Min: vars.LOGIN_FAILURES_PER_15_MIN },
    codes: {
      ttlSeconds: vars.CODE_TTL_SECONDS,
      resendSeconds: vars.CODE_RESEND_SECONDS,
      maxAttempts: vars.CODE_MAX_ATTEMPTS,
      sendsPerHour: vars.CODE_SENDS_PER_HOUR,
    },
    metrics: { token: vars.METRICS_TOKEN },
    redis: { url: checkRedisUrl(vars.REDIS_URL), keyPrefix: vars.REDIS_KEY_PREFIX },
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
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'METRICS_TOKEN']);
/** Variables that are URLs and may carry a password: shown with the password masked. */
const URL_VARIABLES = new Set(['DB_URL', 'SMTP_URL', 'REDIS_URL']);

/** How an error shows a variable: the value for plain settings, masked for credentials. */
function shown(name: string, value: unknown): string {
  if (SECRET_VARIABLES.has(name)) {
    return name;
  }
  return `${name}=${JSON.stringify(URL_VARIABLES.has(name) ? maskCredentials(String(value)) : value)}`;
}

/** `scheme://user:secret@host` -> `scheme://user:***@host`, for URLs that do not parse too. */
export function maskCredentials(url: string): string {
  // Greedy to the last `@`: a password may hold `@` itself; a host never does.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):.*@/i, '$1:***@');
}

function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

function parseDbUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    return { type: 'sqlite', file: file === SQLITE_MEMORY ? SQLITE_MEMORY : resolve(file) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`DB_URL is not a valid URL`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new ConfigError('DB_URL must name a host and a database: mysql://user:pass@host:port/db');
  }
  return { type: 'mysql', url, database };
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
