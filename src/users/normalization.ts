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

/** RGI subdivision flags (England, Scotland, Wales): a black flag, tag letters, a cancel tag. */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;
/** What shows as nothing or as a blank that is no space: Hangul fillers, the braille blank, joiners and selectors. */
const INVISIBLE_IN_TEXT = /^[\p{Default_Ignorable_Code_Point}\u2800]$/u;
const JOINER = /^[\u200C\u200D]$/u;
const VARIATION_SELECTOR = /^\p{Variation_Selector}$/u;
const VISIBLE = /^[^\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Cc}\u2800]$/u;

/**
 * Free text a user supplies (profile, device and reason fields): a NUL would be cut by some readers,
 * an override or an invisible character would make what an operator reads differ from what was
 * stored (tag characters carry whole hidden sentences), private-use and unassigned characters show as
 * anything or nothing, and a lone surrogate is no text at all. Invisible characters are kept only
 * where they join something: ZWNJ and ZWJ between two visible characters (Persian and Indic words,
 * emoji sequences), a variation selector right after one (`❤️`, keycaps), and tag characters inside a
 * subdivision flag. Usernames are held to this and more.
 */
export function hasForbiddenTextCharacters(value: string): boolean {
  const text = value.replace(EMOJI_TAG_SEQUENCE, '\u{1F3F4}');
  return hasUnreadableCharacters(text) || hasStrayInvisible([...text]);
}

function hasUnreadableCharacters(value: string): boolean {
  return !value.isWellFormed() || FORBIDDEN_IN_TEXT.test(value);
}

function hasStrayInvisible(chars: string[]): boolean {
  const visible = (char: string | undefined) => char !== undefined && VISIBLE.test(char);
  return chars.some((char, i) => {
    if (!INVISIBLE_IN_TEXT.test(char)) {
      return false;
    }
    if (VARIATION_SELECTOR.test(char)) {
      return !visible(chars[i - 1]);
    }
    if (JOINER.test(char)) {
      // A selector may stand between the joined character and the joiner (`🏳️‍🌈`); it was checked itself.
      const joined = VARIATION_SELECTOR.test(chars[i - 1] ?? '') ? chars[i - 2] : chars[i - 1];
      return !visible(joined) || !visible(chars[i + 1]);
    }
    return true;
  });
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
 * names that look alike belong to different users. Other invisible characters are left to the
 * registration's identity check, which runs after availability, so that `hk1` with a Hangul filler
 * hears that `hk1` is taken.
 */
export function hasForbiddenUsernameCharacters(username: string): boolean {
  return hasUnreadableCharacters(username) || INVISIBLE_OR_CONTROL.test(username) || username.trim() !== username || username === '';
}
