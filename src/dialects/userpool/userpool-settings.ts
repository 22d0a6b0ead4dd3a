import { Tenant } from '../../users/entities/tenant.entity';

export type PasswordStrengthLevel = 0 | 1 | 2 | 3;

export interface UserpoolSettings {
  passwordStrength: PasswordStrengthLevel;
}

/** A new pool asks for at least six characters (level 1), as docs/dialects/userpool.md says. */
export const DEFAULT_USERPOOL_SETTINGS: UserpoolSettings = { passwordStrength: 1 };

export function userpoolSettings(pool: Tenant): UserpoolSettings {
  return { ...DEFAULT_USERPOOL_SETTINGS, ...(pool.settings as Partial<UserpoolSettings>) };
}
