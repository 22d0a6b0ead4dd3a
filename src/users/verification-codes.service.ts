import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { Clock } from '../clock/clock';
import { MetricsService } from '../metrics/metrics.service';
import { APP_CONFIG } from '../config/config.module';
import { Transaction } from '../database/transaction';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { CodePurpose } from './entities/verification-code.entity';
import { normalizeEmail } from './normalization';
import { RegistrationClaim } from './registration-claim';
import { CodeKey, VerificationCodesStore } from './verification-codes.store';

const HOUR_MS = 3_600_000;

/** Where a code goes: an email, or a mobile in E.164 (`normalizeMobile`). */
export type CodeTarget = { tenantId: number; purpose: CodePurpose } & (
  { email: string; mobile?: never } | { mobile: string; email?: never }
);

/** Discuz! Q's SMS codes live 5 minutes and may be sent once a minute (its `interval: 60`), whatever the email codes do. */
export const SMS_CODE_TTL_SECONDS = 300;
export const SMS_RESEND_SECONDS = 60;

/** Six-digit codes by email or SMS: hashed at rest, expiring, single use, a bounded number of tries, rate-limited sends. */
@Injectable()
export class VerificationCodesService {
  private readonly hmacKey: Buffer;

  constructor(
    private readonly codes: VerificationCodesStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly transactions: TransactionRunnerService,
    // Absent in the admin CLI, which sends no codes.
    @Optional() @Inject(ThrottlerStorage) private readonly counters?: ThrottlerStorage,
  ) {
    this.hmacKey = createHmac('sha256', config.security.jwtSecret).update('unireg verification codes').digest();
  }

  /**
   * Issues a fresh code and hands it to `deliver`. When delivery fails the code is withdrawn, so no
   * code exists that its owner never received, and the error becomes MAIL_DELIVERY_FAILED.
   */
  async send(target: CodeTarget, deliver: (code: string) => Promise<void>): Promise<void> {
    // The interval comes first, so that only codes issued count against the hour: requests refused as too
    // soon cannot use up a recipient's codes.
    const code = await this.issue(target);
    try {
      await this.countSend(target);
    } catch (error) {
      await this.codes.delete(this.key(target));
      throw error;
    }
    try {
      await deliver(code);
    } catch (error) {
      await this.codes.delete(this.key(target));
      const failure = target.mobile === undefined ? DomainErrorCode.MAIL_DELIVERY_FAILED : DomainErrorCode.SMS_DELIVERY_FAILED;
      throw new DomainError(failure, { reason: (error as Error).message });
    }
    this.metrics.codeEvent('sent');
  }

  /**
   * CODE_SENDS_PER_HOUR per email and tenant, counted with the rate-limit counters (in Redis when it is
   * configured, so every instance shares the budget): it keeps one inbox from being flooded.
   */
  private async countSend(target: CodeTarget): Promise<void> {
    const { sendsPerHour } = this.config.codes;
    if (!this.counters || sendsPerHour === 0) {
      return;
    }
    const { tenantId, recipient, purpose } = this.key(target);
    const key = createHash('sha256').update(`${tenantId}\n${recipient}\n${purpose}`).digest('hex');
    const { isBlocked, timeToBlockExpire } = await this.counters.increment(
      `code-sends:${key}`,
      HOUR_MS,
      sendsPerHour,
      HOUR_MS,
      'code-sends',
    );
    if (isBlocked) {
      throw new DomainError(DomainErrorCode.RATE_LIMITED, {
        field: this.recipientField(target),
        params: { seconds: timeToBlockExpire, perHour: sendsPerHour },
        retryAfterSeconds: timeToBlockExpire,
      });
    }
  }

  /** The registration claim of a code sent to `target`: checked first, spent with the new user. */
  claim(target: CodeTarget, code: string, field = 'code'): RegistrationClaim {
    let id: number | undefined;
    return {
      provesEmail: target.email !== undefined,
      check: async () => {
        try {
          id = await this.check(target, code, field);
        } catch (error) {
          this.metrics.codeEvent('rejected');
          throw error;
        }
      },
      spend: async (transaction) => {
        if (id === undefined) {
          throw new Error('a verification claim was spent before it was checked');
        }
        await this.consume(transaction, id, field);
        // Counted once the spend is written; a rolled-back registration may count a code it did not keep.
        this.metrics.codeEvent('accepted');
      },
    };
  }

  /** Checks and spends a code on its own, for work that creates nothing with it (a sign-in, a bind). */
  async spend(target: CodeTarget, code: string, field = 'code'): Promise<void> {
    const claim = this.claim(target, code, field);
    await claim.check();
    await this.transactions.run((transaction) => claim.spend(transaction, 0));
  }

  /** Whether a code for `target` was spent at or after `since` (epoch ms): a recent proof of the recipient. */
  async spentSince(target: CodeTarget, since: number): Promise<boolean> {
    const row = await this.codes.find(this.key(target));
    return row !== null && row.consumedAt !== null && row.consumedAt >= since;
  }

  /**
   * Checks `code` without spending it; returns the code's id for `consume`, or throws
   * VERIFICATION_CODE_INVALID, or VERIFICATION_CODE_EXPIRED for a code that is neither spent nor out of
   * tries but past its lifetime (whatever was typed: a new code is needed either way). Only wrong tries
   * count against the limit, each with one atomic update.
   */
  private async check(target: CodeTarget, code: string, field = 'code'): Promise<number> {
    const invalid = new DomainError(DomainErrorCode.VERIFICATION_CODE_INVALID, { field });
    const row = await this.codes.find(this.key(target));
    if (!row || row.consumedAt !== null || row.attempts >= this.config.codes.maxAttempts) {
      throw invalid;
    }
    if (row.expiresAt <= this.clock.now()) {
      throw new DomainError(DomainErrorCode.VERIFICATION_CODE_EXPIRED, { field });
    }
    if (!this.matches(target, code, row.codeHash)) {
      await this.codes.countWrongTry(row.id, this.config.codes.maxAttempts);
      throw invalid;
    }
    return row.id;
  }

  /**
   * Spends a checked code inside the caller's transaction, so it is used up only if the work commits.
   * The conditions are re-checked here: a parallel wrong guess may have exhausted the tries meanwhile.
   */
  private async consume(transaction: Transaction, id: number, field = 'code'): Promise<void> {
    if (!(await this.codes.consume(transaction, id, this.clock.now(), this.config.codes.maxAttempts))) {
      throw new DomainError(DomainErrorCode.VERIFICATION_CODE_INVALID, { field });
    }
  }

  private async issue(target: CodeTarget): Promise<string> {
    const now = this.clock.now();
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const bySms = target.mobile !== undefined;
    const ttlSeconds = bySms ? SMS_CODE_TTL_SECONDS : this.config.codes.ttlSeconds;
    const resendSeconds = bySms ? SMS_RESEND_SECONDS : this.config.codes.resendSeconds;
    const fresh = {
      codeHash: this.hash(target, code),
      sentAt: now,
      expiresAt: now + ttlSeconds * 1000,
      attempts: 0,
      consumedAt: null,
    };
    const key = this.key(target);
    // One conditional write both enforces the resend interval and replaces the previous code.
    if ((await this.codes.replace(key, fresh, now - resendSeconds * 1000)) || (await this.codes.insert(key, fresh))) {
      return code;
    }
    // Read again only on this refusal, to say when the next code may be sent rather than the whole interval.
    const sentAt = (await this.codes.find(key))?.sentAt ?? now;
    throw new DomainError(DomainErrorCode.VERIFICATION_CODE_TOO_SOON, {
      field: this.recipientField(target),
      params: { seconds: resendSeconds },
      retryAfterSeconds: Math.max(1, Math.ceil((sentAt + resendSeconds * 1000 - now) / 1000)),
    });
  }

  private recipientField(target: CodeTarget): string {
    return target.mobile === undefined ? 'email' : 'mobile';
  }

  private key(target: CodeTarget): CodeKey {
    const recipient = target.mobile ?? normalizeEmail(target.email);
    return { tenantId: target.tenantId, recipient, purpose: target.purpose };
  }

  private hash(target: CodeTarget, code: string): string {
    const key = this.key(target);
    return createHmac('sha256', this.hmacKey).update(`${key.tenantId}\n${key.recipient}\n${key.purpose}\n${code}`).digest('hex');
  }

  private matches(target: CodeTarget, code: string, expectedHash: string): boolean {
    return timingSafeEqual(Buffer.from(this.hash(target, code), 'hex'), Buffer.from(expectedHash, 'hex'));
  }
}
