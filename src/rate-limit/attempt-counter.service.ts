import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';

export interface AttemptPolicy {
  /** Failures after which the key is locked. */
  limit: number;
  /** How long failures are remembered, from the first one. */
  windowSeconds: number;
  /** How long a lock lasts. */
  lockSeconds: number;
}

/** The failure budget of one key (an account and a client): what UsersService.authenticate calls. */
export interface AttemptBudget {
  assertAllowed(): Promise<void>;
  recordFailure(): Promise<number>;
  recordSuccess(): Promise<void>;
}

interface Entry {
  failures: number;
  forgetAt: number;
  lockedUntil: number;
}

/** Past this many keys, expired ones are swept on the next write, so memory stays bounded by live keys. */
const SWEEP_THRESHOLD = 10_000;

/**
 * Counts failures per key in this instance's memory, beside the per-IP rate limit. Written here rather
 * than on @nestjs/throttler's storage because a lockout must read a count without adding to it, clear
 * it on success, and follow the injected clock.
 */
@Injectable()
export class AttemptCounterService {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  budget(key: string, policy: AttemptPolicy): AttemptBudget {
    return {
      assertAllowed: async () => {
        const retryAfter = this.lockedFor(key);
        if (retryAfter > 0) {
          throw new DomainError(DomainErrorCode.LOGIN_LOCKED, { params: { seconds: retryAfter, minutes: Math.ceil(policy.lockSeconds / 60) } });
        }
      },
      recordFailure: async () => this.fail(key, policy),
      recordSuccess: async () => {
        this.entries.delete(key);
      },
    };
  }

  /** Seconds until the key's lock ends, 0 when it is not locked. */
  private lockedFor(key: string): number {
    const entry = this.live(key);
    return entry ? Math.max(0, Math.ceil((entry.lockedUntil - this.clock.now()) / 1000)) : 0;
  }

  /** Records a failure and returns how many tries are left before the lock (0 once locked). */
  private fail(key: string, policy: AttemptPolicy): number {
    const now = this.clock.now();
    const entry = this.live(key) ?? { failures: 0, forgetAt: now + policy.windowSeconds * 1000, lockedUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= policy.limit) {
      entry.lockedUntil = now + policy.lockSeconds * 1000;
      entry.forgetAt = Math.max(entry.forgetAt, entry.lockedUntil);
    }
    this.sweepIfLarge(now);
    this.entries.set(key, entry);
    return Math.max(0, policy.limit - entry.failures);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.forgetAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweepIfLarge(now: number): void {
    if (this.entries.size < SWEEP_THRESHOLD) {
      return;
    }
    for (const [key, entry] of this.entries) {
      if (entry.forgetAt <= now) {
        this.entries.delete(key);
      }
    }
  }
}
