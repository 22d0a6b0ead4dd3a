import { randomBytes } from 'node:crypto';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { FieldError } from '../../error-codes/domain-error';
import { allowsCommonPasswords, isCommonPassword } from '../../users/common-passwords';
import { Tenant } from '../../users/entities/tenant.entity';
import { hasForbiddenTextCharacters, hasForbiddenUsernameCharacters, normalizeUsername } from '../../users/normalization';
import { BCRYPT_MAX_BYTES } from '../../users/password-hasher.service';
import { characterClasses, characterLength } from '../../users/password-rules';
import { JsonApiUsersErrorCode } from './jsonapi-users.error-map';
import { minimumPasswordLength, PASSWORD_MAX_LENGTH, RegisterMode, SiteSettings } from './site-settings';

export const USERNAME_MAX_LENGTH = 15;
export const REGISTER_REASON_MAX_LENGTH = 50;
/** The name Discuz! Q shows for anonymous posts; nobody may register it. */
export const ANONYMOUS_USERNAME = '匿名用户';

const MADE_UP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A field that passed its checks, or the errors that say why it did not. */
export type Checked<T> = { value: T; errors: [] } | { value?: undefined; errors: FieldError[] };

const ok = <T>(value: T): Checked<T> => ({ value, errors: [] });
const fail = (...errors: FieldError[]): Checked<never> => ({ errors });
const notAString = (field: string): FieldError => ({ field, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'string' } });
const isMissing = (value: unknown) => value === undefined || value === null || value === '';

/** The original's made-up username (`User::getNewUsername`): `网友` and 6 random letters or digits. */
export function madeUpUsername(): string {
  return `网友${[...randomBytes(6)].map((byte) => MADE_UP_ALPHABET[byte % MADE_UP_ALPHABET.length]).join('')}`;
}

/** Discuz! Q removes every white-space character from a username, inside it too. */
export function stripWhitespace(value: string): string {
  return value.replace(/\s/gu, '');
}

/** A required string attribute: missing (or null, or empty) is `required`, any other type is refused. */
export function requiredString(value: unknown, field: string, required: DomainErrorCode, params?: FieldError['params']): Checked<string> {
  if (isMissing(value)) {
    return fail({ field, code: required, ...(params ? { params } : {}) });
  }
  return typeof value === 'string' ? ok(value) : fail(notAString(field));
}

/** The username as it will be stored: white space removed, 1 to 15 characters, none of them invisible. */
export function checkUsername(value: unknown, field = 'username'): Checked<string> {
  const raw = requiredString(value, field, DomainErrorCode.USERNAME_REQUIRED);
  if (raw.value === undefined) {
    return raw;
  }
  const username = stripWhitespace(raw.value);
  if (username === '') {
    return fail({ field, code: DomainErrorCode.USERNAME_REQUIRED });
  }
  const errors: FieldError[] = [];
  if (hasForbiddenUsernameCharacters(username)) {
    errors.push({ field, code: DomainErrorCode.USERNAME_INVALID });
  }
  if (characterLength(username) > USERNAME_MAX_LENGTH) {
    errors.push({ field, code: DomainErrorCode.USERNAME_INVALID, params: { max: USERNAME_MAX_LENGTH } });
  }
  return errors.length ? fail(...errors) : ok(username);
}

/** The reserved name and the site's banned words, compared in the same normal form that decides duplicates. */
export function usernameContentErrors(username: string, bannedWords: readonly string[], field = 'username'): FieldError[] {
  const normalized = normalizeUsername(username);
  const errors: FieldError[] = [];
  if (normalized === normalizeUsername(ANONYMOUS_USERNAME)) {
    errors.push({ field, code: JsonApiUsersErrorCode.USERNAME_RESERVED });
  }
  if (bannedWords.some((word) => normalized.includes(normalizeUsername(word)))) {
    errors.push({ field, code: JsonApiUsersErrorCode.CONTENT_BANNED });
  }
  return errors;
}

/** Length from max(6, site setting) to 50 characters, at most 72 bytes for bcrypt, and the site's strength rules. */
export function checkPassword(value: unknown, settings: SiteSettings, field = 'password'): Checked<string> {
  const raw = requiredString(value, field, DomainErrorCode.PASSWORD_REQUIRED);
  if (raw.value === undefined) {
    return raw;
  }
  const password = raw.value;
  // A lone surrogate would reach bcrypt as U+FFFD, so different passwords would share one hash.
  if (!password.isWellFormed()) {
    return fail({ field, code: DomainErrorCode.PASSWORD_INVALID });
  }
  const errors: FieldError[] = [];
  const length = characterLength(password);
  const min = minimumPasswordLength(settings);
  if (length < min) {
    errors.push({ field, code: DomainErrorCode.PASSWORD_TOO_WEAK, params: { min } });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    errors.push({ field, code: DomainErrorCode.PASSWORD_TOO_LONG, params: { max: PASSWORD_MAX_LENGTH } });
  } else if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) {
    errors.push({ field, code: DomainErrorCode.PASSWORD_TOO_LONG, params: { bytes: BCRYPT_MAX_BYTES } });
  }
  const classes = characterClasses(password);
  if (settings.passwordStrength.some((rule) => !classes.has(rule))) {
    errors.push({ field, code: DomainErrorCode.PASSWORD_TOO_WEAK, params: { requires: settings.passwordStrength.join(',') } });
  }
  return errors.length ? fail(...errors) : ok(password);
}

/**
 * The core's common-password rule (UsersService.setPassword applies it too), asked first where a refusal
 * must cost nothing: a verification code, a password try.
 */
export function commonPasswordErrors(password: string, site: Tenant, field: string): FieldError[] {
  return !allowsCommonPasswords(site) && isCommonPassword(password)
    ? [{ field, code: DomainErrorCode.PASSWORD_TOO_WEAK, params: { rule: 'common' } }]
    : [];
}

/**
 * Required and not blank in review mode, where the operator reads it; optional otherwise, where an empty
 * one counts as none. At most 50 characters either way.
 */
export function checkRegisterReason(value: unknown, mode: RegisterMode, field = 'register_reason'): Checked<string | undefined> {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    return fail(notAString(field));
  }
  const reason = typeof value === 'string' && value.trim() !== '' ? value : undefined;
  if (reason === undefined) {
    return mode === 'review' ? fail({ field, code: JsonApiUsersErrorCode.REGISTER_REASON_REQUIRED }) : ok(undefined);
  }
  if (characterLength(reason) > REGISTER_REASON_MAX_LENGTH) {
    return fail({ field, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'max', max: REGISTER_REASON_MAX_LENGTH } });
  }
  if (hasForbiddenTextCharacters(reason)) {
    return fail({ field, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'format' } });
  }
  return ok(reason);
}

/**
 * The invite code as issued (upper case, no spaces), or undefined when none was sent; required when the
 * site says so.
 */
export function checkInviteCode(value: unknown, settings: SiteSettings, field = 'code'): Checked<string | undefined> {
  if (isMissing(value)) {
    return settings.inviteRequired ? fail({ field, code: JsonApiUsersErrorCode.INVITE_CODE_REQUIRED }) : ok(undefined);
  }
  if (typeof value !== 'string') {
    return fail(notAString(field));
  }
  const code = value.trim().toUpperCase();
  if (code === '') {
    return settings.inviteRequired ? fail({ field, code: JsonApiUsersErrorCode.INVITE_CODE_REQUIRED }) : ok(undefined);
  }
  return ok(code);
}
