import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Mainland China mobiles, as Discuz! Q accepts them without a country code. */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
/** E.164 allows at most 15 digits after the `+`. */
const E164_CANDIDATE = /^\+[1-9]\d{6,14}$/;

/**
 * A mobile in E.164 (`+8613800138000`), or null when `input` is none: an 11-digit mainland number
 * (`1[3-9]` + 9 digits) or a `+` number that libphonenumber's full metadata calls valid. Nothing else
 * is accepted (no spaces, dashes or national prefixes), so one phone has exactly one spelling at rest.
 */
export function normalizeMobile(input: string): string | null {
  if (MAINLAND_MOBILE.test(input)) {
    return `+86${input}`;
  }
  if (!E164_CANDIDATE.test(input)) {
    return null;
  }
  const parsed = parsePhoneNumberFromString(input);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * The national number with all but its first three and last four digits hidden, as Discuz! Q shows a
 * member's mobile (`138****1234`); a short number keeps fewer digits so that at least half is hidden.
 */
export function maskMobile(e164: string): string {
  const national = parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/^\+/, '');
  const shown = national.length >= 11 ? [3, 4] : [Math.floor(national.length / 4), Math.floor(national.length / 4)];
  const [head, tail] = shown;
  return `${national.slice(0, head)}${'*'.repeat(national.length - head - tail)}${national.slice(national.length - tail)}`;
}
