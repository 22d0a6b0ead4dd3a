/** The longest device id or local uid; BytePower documents none. */
export const DEVICE_ID_MAX_LENGTH = 256;

/**
 * Controls (tab and line breaks included), format characters, line and paragraph separators, private-use
 * and unassigned code points, anything else that shows as nothing (Default_Ignorable_Code_Point), and the
 * braille blank: an id is a machine's identifier, and any of these would let two ids that print alike
 * name two users.
 */
const FORBIDDEN_IN_ID = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** The form an id is bound and compared in: NFC, so that composed and decomposed spellings are one id. */
export function deviceIdKey(id: string): string {
  return id.normalize('NFC');
}

/**
 * 1 to 256 characters, as sent and in NFC, with no character of `FORBIDDEN_IN_ID`, no lone surrogate and
 * no white space at either end (refused rather than trimmed, so that ` abc` and `abc` are never two devices).
 */
export function isDeviceId(value: unknown): value is string {
  if (typeof value !== 'string' || !value.isWellFormed() || FORBIDDEN_IN_ID.test(value) || value.trim() !== value) {
    return false;
  }
  const lengths = [[...value].length, [...deviceIdKey(value)].length];
  return lengths.every((length) => length >= 1 && length <= DEVICE_ID_MAX_LENGTH);
}
