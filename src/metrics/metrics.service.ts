import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import type { ErrorCode } from '../error-codes/error-code';
import { redisAnswers } from '../redis/redis.module';

export type RegistrationOutcome = 'created' | 'duplicate' | 'invalid' | 'rate_limited' | 'failed';

const DUPLICATE = new Set<string>([DomainErrorCode.EMAIL_TAKEN, DomainErrorCode.USERNAME_TAKEN]);
const FAILED = new Set<string>([
  DomainErrorCode.DATABASE_UNAVAILABLE,
  DomainErrorCode.INTERNAL,
  DomainErrorCode.MAIL_DELIVERY_FAILED,
  DomainErrorCode.TENANT_MISCONFIGURED,
]);

/** A registration's outcome from the domain error it ended with (none: created; pending review is created too). */
export function registrationOutcome(domainError: ErrorCode | undefined): RegistrationOutcome {
  if (domainError === undefined || domainError === DomainErrorCode.REGISTRATION_PENDING_REVIEW) return 'created';
  if (DUPLICATE.has(domainError)) return 'duplicate';
  if (domainError === DomainErrorCode.RATE_LIMITED) return 'rate_limited';
  return FAILED.has(domainError) ? 'failed' : 'invalid';
}

/**
 * The service's Prometheus metrics (prom-client), in a registry of each app's own, so that several apps
 * in one process (the tests) never collide. Labels carry only names unireg defines (dialects, route
 * patterns, statuses, outcomes), never a value a client chose.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'unireg_http_requests_total',
    help: 'HTTP requests answered, by dialect, route pattern and status',
    labelNames: ['dialect', 'route', 'status'],
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'unireg_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent',
    labelNames: ['dialect', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly registrations = new Counter({
    name: 'unireg_registrations_total',
    help: 'Registration requests by dialect and outcome (created, duplicate, invalid, rate_limited, failed)',
    labelNames: ['dialect', 'outcome'],
    registers: [this.registry],
  });

  private readonly codes = new Counter({
    name: 'unireg_verification_codes_total',
    help: 'Verification codes sent, accepted (spent by a registration) and rejected (wrong, expired, used)',
    labelNames: ['event'],
    registers: [this.registry],
  });

  private readonly mail = new Counter({
    name: 'unireg_mail_deliveries_total',
    help: 'Mail handed to SMTP or the outbox, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly sms = new Counter({
    name: 'unireg_sms_sends_total',
    help: 'SMS handed to the SMS_PROVIDER transport, by outcome (sent, failed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly webhookDeliveries = new Counter({
    name: 'unireg_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered (2xx), retried (failed, another attempt scheduled), failed (no attempt left)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly webhookEndpointsDisabled = new Counter({
    name: 'unireg_webhook_endpoints_disabled_total',
    help: 'Webhook endpoints disabled because every delivery to them failed for 5 days',
    registers: [this.registry],
  });

  private readonly hashing = new Histogram({
    name: 'unireg_bcrypt_hash_duration_seconds',
    help: 'Time to hash one password with bcrypt at BCRYPT_COST',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    new Gauge({
      name: 'unireg_database_up',
      help: '1 when the database answered a ping at scrape time, else 0',
      registers: [this.registry],
      async collect() {
        const up = await Promise.race([
          dataSource.query('SELECT 1').then(
            () => 1,
            () => 0,
          ),
          new Promise<number>((resolve) => setTimeout(resolve, 1500, 0).unref()),
        ]);
        this.set(dataSource.isInitialized ? up : 0);
      },
    });
  }

  /** `unireg_redis_up`, when the rate-limit counters are shared in Redis. */
  watchRedis(redis: Redis): void {
    new Gauge({
      name: 'unireg_redis_up',
      help: '1 when Redis answered a ping at scrape time, else 0',
      registers: [this.registry],
      async collect() {
        this.set((await redisAnswers(redis)) ? 1 : 0);
      },
    });
  }

  /** `unireg_webhook_oldest_undelivered_seconds`, computed at scrape time; only the HTTP service, which delivers, asks for it. */
  watchWebhookBacklog(oldestSeconds: () => Promise<number>): void {
    for (const outcome of ['delivered', 'retried', 'failed']) {
      this.webhookDeliveries.inc({ outcome }, 0);
    }
    new Gauge({
      name: 'unireg_webhook_oldest_undelivered_seconds',
      help: 'Age of the oldest user event not yet delivered to an enabled endpoint (0: none waiting)',
      registers: [this.registry],
      async collect() {
        // A database that does not answer leaves the last value; unireg_database_up tells why.
        await oldestSeconds().then(
          (seconds) => this.set(seconds),
          () => undefined,
        );
      },
    });
  }

  /** Process and Node.js runtime metrics; only the HTTP service asks for them. */
  collectDefaultMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  requestAnswered(labels: { dialect: string; route: string; status: number }, seconds: number): void {
    const values = { ...labels, status: String(labels.status) };
    this.requests.inc(values);
    this.latency.observe(values, seconds);
  }

  registrationAnswered(dialect: string, outcome: RegistrationOutcome): void {
    this.registrations.inc({ dialect, outcome });
  }

  codeEvent(event: 'sent' | 'accepted' | 'rejected'): void {
    this.codes.inc({ event });
  }

  mailDelivered(outcome: 'delivered' | 'failed'): void {
    this.mail.inc({ outcome });
  }

  webhookAttempt(outcome: 'delivered' | 'retried' | 'failed'): void {
    this.webhookDeliveries.inc({ outcome });
  }

  webhookEndpointDisabled(): void {
    this.webhookEndpointsDisabled.inc();
  }

  smsSent(outcome: 'sent' | 'failed'): void {
    this.sms.inc({ outcome });
  }

  async timeHash<T>(hash: () => Promise<T>): Promise<T> {
    const end = this.hashing.startTimer();
    try {
      return await hash();
    } finally {
      end();
    }
  }
}
