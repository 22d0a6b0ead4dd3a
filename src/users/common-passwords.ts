import { dictionary } from '@zxcvbn-ts/language-common';
import { Tenant } from './entities/tenant.entity';

/**
 * The 49,233 most common passwords of zxcvbn-ts' list (MIT; ranked from leaked password sets), all
 * lower-case ASCII: the "commonly used" list NIST SP 800-63B §3.1.1.2 asks a service to refuse.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** The tenant setting, the same key in every dialect's settings, that lets common passwords through. */
export const ALLOW_COMMON_PASSWORDS_SETTING = 'allowCommonPasswords';

/**
 * Whether a password is on the list, or is one character repeated (`      `, `zzzzzzzz`). Compared in
 * lower case, since `Password` and `PASSWORD` are the first variants a guesser tries, after NFC, so
 * that the composed and decomposed forms of one text are judged alike.
 */
export function isCommonPassword(password: string): boolean {
  const folded = password.normalize('NFC').toLowerCase();
  const chars = [...folded];
  return COMMON_PASSWORDS.has(folded) || (chars.length > 1 && chars.every((char) => char === chars[0]));
}

/** Tenants refuse common passwords unless an operator allowed them (`--common-passwords allowed`). */
export function allowsCommonPasswords(tenant: Tenant): boolean {
  return (tenant.settings as Record<string, unknown> | null)?.[ALLOW_COMMON_PASSWORDS_SETTING] === true;
}
