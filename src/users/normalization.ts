import { isEmail } from 'class-validator';

/** Longest address RFC 5321 lets through a mail server. */
export const EMAIL_MAX_LENGTH = 254;

const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/**
 * Controls other than tab and line breaks; format characters other than ZWNJ and ZWJ (zero-width
 * space, bidi marks, embeddings, overrides and isolates, BOM, tags, interlinear annotations); line and
 * paragraph separators; private use; unassigned code points and non-characters.
 */
const FORBIDDEN_IN_TEXT = /(?![\t\n\r\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/**
 * Free text a user supplies (profile, device and reason fields): a NUL would be cut by some readers,
 * an override or an invisible character would make what an operator reads differ from what was
 * stored (tag characters carry whole hidden sentences), private-use and unassigned characters show as
 * anything or nothing, and a lone surrogate is no text at all. ZWNJ and ZWJ stay: Persian and Indic
 * words and emoji sequences need them. Usernames are held to this and more.
 */
export function hasForbiddenTextCharacters(value: string): boolean {
  return !value.isWellFormed() || FORBIDDEN_IN_TEXT.test(value);
}

/** Lower-cased NFC form: case never distinguishes two addresses, accents always do (`josé` ≠ `jose`). */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return (
    email.length <= EMAIL_MAX_LENGTH &&
    email.isWellFormed() &&
    !INVISIBLE_OR_CONTROL.test(email) &&
    isEmail(email, { allow_utf8_local_part: true, require_tld: true, allow_ip_domain: false })
  );
}

/**
 * NFKC with full case folding, so compatibility forms (`ｊｏｈｎ`, `ﬁ`) and case (`STRASSE`, `straße`)
 * name the same user. JavaScript has no case-fold primitive; upper-then-lower is its usual stand-in.
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * Zero-width, bidi, control and unassigned characters, and white space at either end, would let
 * names that look alike belong to different users.
 */
export function hasForbiddenUsernameCharacters(username: string): boolean {
  return hasForbiddenTextCharacters(username) || INVISIBLE_OR_CONTROL.test(username) || username.trim() !== username || username === '';
}
