import { dictionary } from '@zxcvbn-ts/language-common';
import { Tenant } from './entities/tenant.entity';
import { skeleton } from './identity';

/**
 * The 49,233 most common passwords of zxcvbn-ts' list (MIT; ranked from leaked password sets), all
 * lower-case ASCII: the "commonly used" list NIST SP 800-63B §3.1.1.2 asks a service to refuse.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** What each listed password looks like (its UTS #39 skeleton, lower case): `p\u0430ssword` with a Cyrillic а is `password`. */
const COMMON_LOOKS: ReadonlySet<string> = new Set(dictionary['passwords-common'].map(looks));

/** The tenant setting, the same key in every dialect's settings, that lets common passwords through. */
export const ALLOW_COMMON_PASSWORDS_SETTING = 'allowCommonPasswords';

const SPACE_OR_INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/**
 * Whether a password is on the list, or is one character repeated (`      `, `zzzzzzzz`). Compared in
 * lower case, since `Password` and `PASSWORD` are the first variants a guesser tries, in four forms:
 * NFC, so that the composed and decomposed forms of one text are judged alike; NFKC trimmed
 * (`ｐａｓｓｗｏｒｄ`, ` password`); NFKC without white space, the braille blank and invisible
 * characters (`p a s s w o r d`, `password` with a zero-width space), which add length but no
 * strength; and what that last form looks like, since swapping a letter for its look-alike from
 * another script is as cheap a variant as changing its case.
 */
export function isCommonPassword(password: string): boolean {
  const compatible = password.normalize('NFKC').toLowerCase();
  const bare = compatible.replace(SPACE_OR_INVISIBLE, '');
  return (
    [password.normalize('NFC').toLowerCase(), compatible.trim(), bare].some((form) => COMMON_PASSWORDS.has(form) || isRepeated(form)) ||
    COMMON_LOOKS.has(looks(bare)) ||
    isRepeated(looks(bare))
  );
}

function looks(password: string): string {
  return skeleton(password).toLowerCase();
}

function isRepeated(folded: string): boolean {
  const chars = [...folded];
  return chars.length > 1 && chars.every((char) => char === chars[0]);
}

/** Tenants refuse common passwords unless an operator allowed them (`--common-passwords allowed`). */
export function allowsCommonPasswords(tenant: Tenant): boolean {
  return (tenant.settings as Record<string, unknown> | null)?.[ALLOW_COMMON_PASSWORDS_SETTING] === true;
}
