import { dictionary } from '@zxcvbn-ts/language-common';
import { Tenant } from './entities/tenant.entity';

/**
 * The 49,233 most common passwords of zxcvbn-ts' list (MIT; ranked from leaked password sets), all
 * lower-case ASCII: the "commonly used" list NIST SP 800-63B §3.1.1.2 asks a service to refuse.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** The tenant setting, the same key in every dialect's settings, that lets common passwords through. */
export const ALLOW_COMMON_PASSWORDS_SETTING = 'allowCommonPasswords';

const SPACE_OR_INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Whether a password is on the list, or is one character repeated (`      `, `zzzzzzzz`). Compared in
 * lower case, since `Password` and `PASSWORD` are the first variants a guesser tries, in three forms:
 * NFC, so that the composed and decomposed forms of one text are judged alike; NFKC trimmed
 * (`ｐａｓｓｗｏｒｄ`, ` password`); and NFKC without white space and invisible characters
 * (`p a s s w o r d`, `password` with a zero-width space), which add length but no strength.
 */
export function isCommonPassword(password: string): boolean {
  const compatible = password.normalize('NFKC').toLowerCase();
  return [password.normalize('NFC').toLowerCase(), compatible.trim(), compatible.replace(SPACE_OR_INVISIBLE, '')].some(isListedOrRepeated);
}

function isListedOrRepeated(folded: string): boolean {
  const chars = [...folded];
  return COMMON_PASSWORDS.has(folded) || (chars.length > 1 && chars.every((char) => char === chars[0]));
}

/** Tenants refuse common passwords unless an operator allowed them (`--common-passwords allowed`). */
export function allowsCommonPasswords(tenant: Tenant): boolean {
  return (tenant.settings as Record<string, unknown> | null)?.[ALLOW_COMMON_PASSWORDS_SETTING] === true;
}
