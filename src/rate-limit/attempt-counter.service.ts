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

/**
 * The failure budget of one key (an account and a client): what UsersService.authenticate calls.
 * `reserve` takes a try before the password is compared; exactly one of the other three settles it.
 */
export interface AttemptBudget {
  reserve(): Promise<void>;
  recordFailure(): Promise<number>;
  recordSuccess(): Promise<void>;
  release(): Promise<void>;
}

interface Entry {
  failures: number;
  /** Tries reserved and not settled yet: they count against the limit, so a burst cannot outrun it. */
  pending: number;
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
      reserve: async () => this.reserve(key, policy),
      recordFailure: async () => this.settle(key, policy, 'failure'),
      recordSuccess: async () => {
        this.settle(key, policy, 'success');
      },
      release: async () => {
        this.settle(key, policy, 'release');
      },
    };
  }

  /** Takes a try, or throws LOGIN_LOCKED while the key is locked or its tries are all taken. */
  private reserve(key: string, policy: AttemptPolicy): void {
    const now = this.clock.now();
    const entry = this.live(key) ?? this.fresh(policy, now);
    const lockedFor = Math.ceil((entry.lockedUntil - now) / 1000);
    if (lockedFor > 0 || entry.failures + entry.pending >= policy.limit) {
      // Tries in flight may still succeed and free the key; their bcrypt comparison takes under a second.
      throw new DomainError(DomainErrorCode.LOGIN_LOCKED, {
        params: { seconds: Math.max(lockedFor, 1), minutes: Math.ceil(policy.lockSeconds / 60) },
      });
    }
    entry.pending += 1;
    this.sweepIfLarge(now);
    this.entries.set(key, entry);
  }

  /** Settles a reserved try; after a failure, returns how many tries are left before the lock (0 once locked). */
  private settle(key: string, policy: AttemptPolicy, outcome: 'failure' | 'success' | 'release'): number {
    const now = this.clock.now();
    const entry = this.live(key) ?? this.fresh(policy, now);
    entry.pending = Math.max(0, entry.pending - 1);
    if (outcome === 'success') {
      entry.failures = 0;
    } else if (outcome === 'failure') {
      entry.failures += 1;
      if (entry.failures >= policy.limit) {
        entry.lockedUntil = now + policy.lockSeconds * 1000;
        entry.forgetAt = Math.max(entry.forgetAt, entry.lockedUntil);
      }
    }
    if (entry.failures === 0 && entry.pending === 0) {
      this.entries.delete(key);
    } else {
      this.entries.set(key, entry);
    }
    return Math.max(0, policy.limit - entry.failures);
  }

  private fresh(policy: AttemptPolicy, now: number): Entry {
    return { failures: 0, pending: 0, forgetAt: now + policy.windowSeconds * 1000, lockedUntil: 0 };
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.forgetAt <= this.clock.now() && entry.pending === 0) {
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
      if (entry.forgetAt <= now && entry.pending === 0) {
        this.entries.delete(key);
      }
    }
  }
}
