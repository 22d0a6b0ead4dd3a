import { AttemptPolicy } from '../../rate-limit/attempt-counter.service';
import { Tenant } from '../../users/entities/tenant.entity';

export type PasswordStrengthLevel = 0 | 1 | 2 | 3;

export interface UserpoolSettings {
  passwordStrength: PasswordStrengthLevel;
  /** Failed sign-ins of one account from one client before a lock (`userpool set --login-failures`); unset: LOGIN_FAILURES_PER_15_MIN. */
  loginFailures?: number;
  /** How long those failures are counted, and how long the lock lasts (`--login-window-seconds`); unset: 15 minutes. */
  loginWindowSeconds?: number;
}

/** A new pool asks for at least six characters (level 1), as docs/dialects/userpool.md says. */
export const DEFAULT_USERPOOL_SETTINGS: UserpoolSettings = { passwordStrength: 1 };

export function userpoolSettings(pool: Tenant): UserpoolSettings {
  return { ...DEFAULT_USERPOOL_SETTINGS, ...(pool.settings as Partial<UserpoolSettings>) };
}

/** The pool's limit on failed sign-ins per account and client, each part defaulting to the global policy's. */
export function loginPolicyOf(pool: Tenant, global: AttemptPolicy): AttemptPolicy {
  const { loginFailures, loginWindowSeconds } = userpoolSettings(pool);
  return {
    limit: loginFailures ?? global.limit,
    windowSeconds: loginWindowSeconds ?? global.windowSeconds,
    lockSeconds: loginWindowSeconds ?? global.lockSeconds,
  };
}
