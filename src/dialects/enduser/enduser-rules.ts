/** One uppercase letter, `.DM.`, digits, `.`, digits: `C.DM.10271.5`. */
export const USER_DOMAIN_FORMAT = /^[A-Z]\.DM\.\d+\.\d+$/;

/** 6-20 letters, digits or printable ASCII specials (no spaces), after decryption. */
export const PASSWORD_FORMAT = /^[\x21-\x7e]{6,20}$/;

const INT32_MAX = 2 ** 31 - 1;

/**
 * An optional integer id: absent, empty or 0 is "unset" (the official SDKs send 0). Returns
 * `undefined` for unset, the number when it is a non-negative int32, `NaN` when it is anything else.
 */
export function optionalId(value: string | undefined | null): number | undefined {
  if (value === undefined || value === '' || value === '0') {
    return undefined;
  }
  if (value === null || !/^\d{1,10}$/.test(value) || Number(value) > INT32_MAX) {
    return NaN;
  }
  return Number(value);
}
