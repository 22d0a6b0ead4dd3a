import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { deleteKeys, REDIS } from '../redis/redis.module';

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

type Outcome = 'failure' | 'success' | 'release';

/** Where the counts live: this instance's memory, or Redis for every instance at once. */
interface AttemptStore {
  /** 0 when a try was taken, else the milliseconds until one may be. */
  reserve(key: string, policy: AttemptPolicy): Promise<number>;
  /** The failures counted after settling. */
  settle(key: string, policy: AttemptPolicy, outcome: Outcome): Promise<number>;
  clear(): Promise<void>;
}

/** Tries reserved and never settled (an instance died mid-try) stop counting after this. */
const PENDING_TTL_MS = 60_000;

/**
 * More than 20 failures of one account within 15 minutes, from any addresses, lock it for
 * everyone for 15 minutes, so that many addresses (an IPv6 network, a botnet) cannot guess without limit.
 */
export const ACCOUNT_LOGIN_POLICY: AttemptPolicy = { limit: 21, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

/**
 * Failed logins per key, beside the per-IP rate limit and in the same place: Redis when REDIS_URL is
 * set, so that every instance shares the count, else this instance's memory. Written here rather than
 * on @nestjs/throttler's storage because a lockout must read a count without adding to it, count the
 * tries in flight, and clear on success.
 */
@Injectable()
export class AttemptCounterService {
  private readonly store: AttemptStore;
  readonly loginPolicy: AttemptPolicy;

  constructor(clock: Clock, @Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    this.store = redis ? new RedisAttemptStore(redis) : new MemoryAttemptStore(clock);
    this.loginPolicy = { limit: config.rateLimit.loginFailuresPer15Min, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
  }

  /**
   * The budget of a login: `account` (its tenant and the account as UsersService.authenticate names it,
   * `user:<id>` once a user matched) from `client` (`clientOf`)
   * under `policy` (by default `loginPolicy`; a dialect whose vendor documents another uses that), and
   * `account` from every client at once under ACCOUNT_LOGIN_POLICY. A success clears the first count only:
   * the owner's own login must not give a stranger a fresh 20 guesses.
   */
  loginBudget(account: string, client: string, policy: AttemptPolicy = this.loginPolicy): AttemptBudget {
    const fromClient = this.budget(`client\n${account}\n${client}`, policy);
    const fromAnywhere = this.budget(`account\n${account}`, ACCOUNT_LOGIN_POLICY);
    return {
      reserve: async () => {
        await fromClient.reserve();
        try {
          await fromAnywhere.reserve();
        } catch (error) {
          await fromClient.release();
          throw error;
        }
      },
      recordFailure: async () => Math.min(...(await Promise.all([fromClient.recordFailure(), fromAnywhere.recordFailure()]))),
      recordSuccess: async () => {
        await Promise.all([fromClient.recordSuccess(), fromAnywhere.release()]);
      },
      release: async () => {
        await Promise.all([fromClient.release(), fromAnywhere.release()]);
      },
    };
  }

  budget(key: string, policy: AttemptPolicy): AttemptBudget {
    const hashed = createHash('sha256').update(key).digest('base64url');
    return {
      reserve: async () => {
        const waitMs = await this.store.reserve(hashed, policy);
        if (waitMs > 0) {
          const seconds = Math.max(1, Math.ceil(waitMs / 1000));
          throw new DomainError(DomainErrorCode.LOGIN_LOCKED, {
            params: { seconds, minutes: Math.ceil(policy.lockSeconds / 60) },
            retryAfterSeconds: seconds,
          });
        }
      },
      recordFailure: async () => Math.max(0, policy.limit - (await this.store.settle(hashed, policy, 'failure'))),
      recordSuccess: async () => {
        await this.store.settle(hashed, policy, 'success');
      },
      release: async () => {
        await this.store.settle(hashed, policy, 'release');
      },
    };
  }

  /** Forgets every count and lock. Only `TestApp.reset()` calls it, so that no test inherits another's lock. */
  reset(): Promise<void> {
    return this.store.clear();
  }
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

/** Counts in this instance's memory, by the injected clock. */
class MemoryAttemptStore implements AttemptStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  async reserve(key: string, policy: AttemptPolicy): Promise<number> {
    const now = this.clock.now();
    const entry = this.live(key, now) ?? this.fresh(policy, now);
    if (entry.lockedUntil > now) {
      return entry.lockedUntil - now;
    }
    if (entry.failures + entry.pending >= policy.limit) {
      // Tries in flight may still succeed and free the key; their bcrypt comparison takes under a second.
      return 1000;
    }
    entry.pending += 1;
    this.sweepIfLarge(now);
    this.entries.set(key, entry);
    return 0;
  }

  async settle(key: string, policy: AttemptPolicy, outcome: Outcome): Promise<number> {
    const now = this.clock.now();
    const entry = this.live(key, now) ?? this.fresh(policy, now);
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
    return entry.failures;
  }

  clear(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  private fresh(policy: AttemptPolicy, now: number): Entry {
    return { failures: 0, pending: 0, forgetAt: now + policy.windowSeconds * 1000, lockedUntil: 0 };
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.forgetAt <= now && entry.pending === 0) {
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

/** KEYS: failures, pending, lock. ARGV: limit, pending TTL (ms). Returns 0, or the ms to wait. */
const RESERVE = `
local lockTtl = redis.call('PTTL', KEYS[3])
if lockTtl > 0 then return lockTtl end
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local pending = tonumber(redis.call('GET', KEYS[2]) or '0')
if failures + pending >= tonumber(ARGV[1]) then return 1000 end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 0`;

/** KEYS: failures, pending, lock. ARGV: outcome, limit, window (ms), lock (ms). Returns the failures. */
const SETTLE = `
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
if ARGV[1] == 'success' then
  redis.call('DEL', KEYS[1])
  return 0
end
if ARGV[1] == 'release' then return tonumber(redis.call('GET', KEYS[1]) or '0') end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if failures >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return failures`;

const KEY_SPACE = 'login-attempts:';

/** Counts in Redis with two atomic scripts; while Redis is away, tries are let through (fail open). */
class RedisAttemptStore implements AttemptStore {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(private readonly redis: Redis) {}

  async reserve(key: string, policy: AttemptPolicy): Promise<number> {
    return this.run(RESERVE, key, [policy.limit, PENDING_TTL_MS], 0);
  }

  async settle(key: string, policy: AttemptPolicy, outcome: Outcome): Promise<number> {
    return this.run(SETTLE, key, [outcome, policy.limit, policy.windowSeconds * 1000, policy.lockSeconds * 1000], 0);
  }

  clear(): Promise<void> {
    return deleteKeys(this.redis, `${KEY_SPACE}*`);
  }

  private async run(script: string, key: string, args: (string | number)[], fallback: number): Promise<number> {
    // One hash tag, so that the three keys of a script sit in one slot of a Redis Cluster.
    const keys = ['failures', 'pending', 'lock'].map((part) => `${KEY_SPACE}{${key}}:${part}`);
    try {
      return Number(await this.redis.eval(script, keys.length, ...keys, ...args));
    } catch (error) {
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`login failure counters unreachable, letting tries through: ${(error as Error).message}`);
      }
      return fallback;
    }
  }
}
