import { NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Mainland China mobiles, as Discuz! Q accepts them without a country code. */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
/** E.164 allows at most 15 digits after the `+`. */
const E164_CANDIDATE = /^\+[1-9]\d{6,14}$/;
/**
 * The types that reach a handset. Premium-rate, shared-cost, toll-free, UAN, VoIP and landline numbers are
 * refused: codes sent there earn their owner money (SMS pumping) or reach no one.
 */
const MOBILE_TYPES: ReadonlySet<NumberType> = new Set<NumberType>(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * A mobile in E.164 (`+8613800138000`), or null when `input` is none: an 11-digit mainland number
 * (`1[3-9]` + 9 digits, by that rule alone, as Discuz! Q takes them) or a `+` number that libphonenumber's
 * full metadata calls a valid mobile (`MOBILE`, or `FIXED_LINE_OR_MOBILE` where a plan does not tell them
 * apart, as in the US). Nothing else is accepted (no spaces, dashes or national prefixes), so one phone
 * has exactly one spelling at rest.
 */
export function normalizeMobile(input: string): string | null {
  // The mainland rule holds with the country code too, so `+86` and the bare 11 digits stay one number.
  const mainland = input.startsWith('+86') ? input.slice(3) : input;
  if (MAINLAND_MOBILE.test(mainland)) {
    return `+86${mainland}`;
  }
  if (!E164_CANDIDATE.test(input)) {
    return null;
  }
  const parsed = parsePhoneNumberFromString(input);
  const type = parsed?.isValid() ? parsed.getType() : undefined;
  return parsed && type && MOBILE_TYPES.has(type) ? parsed.number : null;
}

/**
 * The ways a username may spell a mobile (E.164) that `normalizeMobile` reads back to it: the E.164 form, and
 * for a mainland number also the 11 digits without `+86`.
 */
export function mobileSpellings(e164: string): string[] {
  const national = e164.startsWith('+86') ? e164.slice(3) : '';
  return MAINLAND_MOBILE.test(national) ? [e164, national] : [e164];
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
