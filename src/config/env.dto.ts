import { availableParallelism } from 'node:os';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value);

/** An optional whole-number variable within bounds; a value of another kind says so, not a bound. */
function WholeNumber(min: number, max?: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(toInt),
    IsInt({ message: 'must be a whole number' }),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SMS_PROVIDERS = ['outbox', 'http', 'tencentcloud'] as const;

/** The environment as docs/operations.md lists it, but for the variables a feature declares itself; every variable is checked once, at start. */
export class EnvironmentVariables {
  @WholeNumber(0, 65535)
  PORT: number = 3000;

  @IsOptional()
  @IsString()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'must be sqlite:<file>, sqlite::memory: or mysql://user:pass@host:port/db',
  })
  DB_URL?: string;

  @WholeNumber(4, 15)
  BCRYPT_COST: number = 10;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^([^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
    message: 'must be an address, e.g. no-reply@example.com or "unireg <no-reply@example.com>"',
  })
  MAIL_FROM: string = 'unireg <no-reply@localhost>';

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @WholeNumber(0)
  RATE_LIMIT_PER_MINUTE: number = 120;

  @WholeNumber(1)
  LOGIN_FAILURES_PER_15_MIN: number = 5;

  @WholeNumber(1)
  CODE_TTL_SECONDS: number = 600;

  @WholeNumber(0)
  CODE_RESEND_SECONDS: number = 60;

  @WholeNumber(1)
  CODE_MAX_ATTEMPTS: number = 5;

  @WholeNumber(0)
  CODE_SENDS_PER_HOUR: number = 5;

  /** A window longer than a client's retries would only lengthen what a stolen refresh token is good for. */
  @WholeNumber(0, 300)
  REFRESH_REUSE_SECONDS: number = 10;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR: string = 'data';

  @WholeNumber(0, 3600)
  SHUTDOWN_GRACE_SECONDS: number = 10;

  @WholeNumber(0, 3600)
  SHUTDOWN_DRAIN_SECONDS: number = 5;

  /** Checked in app-config.ts, which also derives the default from PORT. */
  @IsOptional()
  @IsString()
  PUBLIC_URL?: string;

  /** `auto` is one process per core. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'auto' ? availableParallelism() : toInt({ value })))
  @IsInt({ message: 'must be a whole number or auto' })
  @Min(1)
  @Max(256)
  WORKERS: number = 1;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'must be 1 to 64 letters, digits or : _ . -' })
  REDIS_KEY_PREFIX: string = 'unireg:';

  /** libuv's own variable; bcrypt hashes on its pool, so by default the pool has one thread per core. */
  @WholeNumber(1, 1024)
  UV_THREADPOOL_SIZE: number = availableParallelism();

  /** Checked entry by entry in app-config.ts, where each is parsed as a URL. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** Checked part by part in app-config.ts, where the addresses are parsed anyway. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsOptional()
  @IsIn(SMS_PROVIDERS, { message: `must be one of ${SMS_PROVIDERS.join(', ')}` })
  SMS_PROVIDER: (typeof SMS_PROVIDERS)[number] = 'outbox';

  /** SMS_URL, SMS_SECRET and TENCENTCLOUD_SMS_ENDPOINT are checked in app-config.ts, where SMS_PROVIDER decides which are needed. */
  @IsOptional()
  @IsString()
  SMS_URL?: string;

  @IsOptional()
  @IsString()
  SMS_SECRET?: string;

  /** Tencent Cloud's own names for an API key, which its CLI and SDKs read too; a stray space would only fail each signature. */
  @IsOptional()
  @IsString()
  @Matches(/^\S+$/, { message: 'must not contain white space' })
  TENCENTCLOUD_SECRET_ID?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\S+$/, { message: 'must not contain white space' })
  TENCENTCLOUD_SECRET_KEY?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{1,20}$/, { message: "must be the SMS application's SdkAppId, digits only, e.g. 1400006666" })
  TENCENTCLOUD_SMS_SDK_APP_ID?: string;

  /** The signature's text as approved (e.g. `腾讯云`), not its ID. */
  @IsOptional()
  @IsString()
  @Matches(/^\S(?:.*\S)?$/u, { message: 'must be the approved signature text, without white space at either end' })
  TENCENTCLOUD_SMS_SIGN?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{1,20}$/, { message: "must be the approved template's ID, digits only, e.g. 1110" })
  TENCENTCLOUD_SMS_TEMPLATE_ID?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+(?:-[a-z0-9]+)+$/, { message: 'must be a Tencent Cloud region, e.g. ap-guangzhou' })
  TENCENTCLOUD_SMS_REGION: string = 'ap-guangzhou';

  @IsOptional()
  @IsString()
  TENCENTCLOUD_SMS_ENDPOINT?: string;

  /** Loopback and private webhook URLs are for a test bench or a private network the operator vouches for. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE: 'true' | 'false' = 'false';

  @WholeNumber(100, 60_000)
  WEBHOOK_POLL_MS: number = 1000;
}
