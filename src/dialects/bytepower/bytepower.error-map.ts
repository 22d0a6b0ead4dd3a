import { BODY_LIMIT_TEXT } from '../../common/body-limit';
import { isMalformedPath } from '../../common/path-encoding';
import { DialectErrorRenderer, ErrorMap, errorEntry } from '../../error-codes/dialect-error-renderer';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { dialectErrorCodes } from '../../error-codes/error-code';

interface BytepowerError {
  status: number;
  /** BytePower's `error_type`; the documented ones are kept, the rest are unireg's (docs/dialects/bytepower.md#errors). */
  type: string;
  message: (error: DomainError) => string;
}

const field = (error: DomainError) => error.details.field ?? 'request';
const fixed = (text: string) => () => text;
const invalidParameter = (what: string): BytepowerError => ({
  status: 400,
  type: 'invalid_parameter',
  message: (e) => `${field(e)}: ${what}`,
});
const unauthorized: BytepowerError = { status: 401, type: 'unauthorized', message: fixed('authentication failed.') };
const userExists: BytepowerError = { status: 400, type: 'user_already_exists', message: (e) => `${field(e)}: user already exists.` };
const invalidVerifyCode: BytepowerError = {
  status: 400,
  type: 'invalid_verify_code',
  message: fixed('verify code is missing, wrong or expired.'),
};
const forbidden: BytepowerError = { status: 403, type: 'forbidden', message: fixed('this account may not sign in.') };

/** Conditions only bytepower raises; each key is one of its codes (`BytepowerErrorCode`). */
const BYTEPOWER_OWN_ERRORS = {
  API_VERSION_INVALID: { status: 400, type: 'invalid_api_version', message: fixed('api version is not valid.') },
  /** A password reset whose code was right for an address that no longer has a user (deleted since the code was mailed). */
  USER_NOT_FOUND: { status: 400, type: 'user_not_found', message: (e) => `${field(e)}: no user of this app has this email.` },
} satisfies Record<string, BytepowerError>;

export const BytepowerErrorCode = dialectErrorCodes(BYTEPOWER_OWN_ERRORS);
export type BytepowerErrorCode = (typeof BytepowerErrorCode)[keyof typeof BytepowerErrorCode];

/** BytePower's `{error: {error_type, message}}` vocabulary for every core and bytepower error (docs/dialects/bytepower.md#errors). */
export const BYTEPOWER_ERRORS: ErrorMap<BytepowerError, typeof BYTEPOWER_OWN_ERRORS> = {
  ...BYTEPOWER_OWN_ERRORS,
  [C.MALFORMED_REQUEST]: {
    status: 400,
    type: 'invalid_parameter',
    message: (e) =>
      isMalformedPath(e) ? 'the path is not valid percent-encoded UTF-8.' : 'the body must be a JSON object sent as application/json.',
  },
  [C.PAYLOAD_TOO_LARGE]: { status: 413, type: 'invalid_parameter', message: fixed(`the body is larger than ${BODY_LIMIT_TEXT}.`) },
  [C.CONTENT_ENCODING_UNSUPPORTED]: {
    status: 415,
    type: 'invalid_parameter',
    message: (e) => `content-encoding "${e.details.params?.encoding ?? ''}" is not supported.`,
  },
  [C.ROUTE_NOT_FOUND]: { status: 404, type: 'not_found', message: fixed('no such API.') },
  [C.METHOD_NOT_ALLOWED]: { status: 405, type: 'method_not_allowed', message: fixed('method not allowed on this path.') },
  [C.UNAUTHORIZED]: unauthorized,
  [C.VALIDATION_FAILED]: { status: 400, type: 'invalid_parameter', message: (e) => `${field(e)}: ${e.details.reason ?? 'invalid value'}.` },
  [C.UNKNOWN_FIELD]: invalidParameter('unknown parameter.'),

  [C.TENANT_REQUIRED]: unauthorized,
  [C.TENANT_NOT_FOUND]: unauthorized,
  [C.TENANT_DISABLED]: unauthorized,
  [C.TENANT_MISCONFIGURED]: { status: 500, type: 'config_invalid', message: fixed('configuration is not valid.') },

  [C.EMAIL_REQUIRED]: invalidParameter('is required.'),
  [C.EMAIL_INVALID]: invalidParameter('is not a valid email address.'),
  [C.EMAIL_TAKEN]: userExists,
  [C.PHONE_INVALID]: invalidParameter('is not a valid mobile number.'),
  [C.PHONE_TAKEN]: userExists,
  [C.USERNAME_REQUIRED]: invalidParameter('is required.'),
  [C.USERNAME_INVALID]: invalidParameter('must be 1 to 64 characters without control, invisible or surrounding space characters.'),
  [C.USERNAME_TAKEN]: userExists,
  [C.PASSWORD_REQUIRED]: invalidParameter('is required.'),
  [C.PASSWORD_INVALID]: invalidParameter('must be a string of well-formed Unicode.'),
  [C.PASSWORD_TOO_WEAK]: {
    ...invalidParameter('is too short.'),
    message: (e) => `${field(e)}: ${e.details.params?.rule === 'common' ? 'is a commonly used password.' : 'is too short.'}`,
  },
  [C.PASSWORD_TOO_LONG]: invalidParameter('is longer than 72 bytes in UTF-8.'),

  [C.REGISTRATION_PENDING_REVIEW]: forbidden,

  [C.VERIFICATION_CODE_REQUIRED]: invalidVerifyCode,
  [C.VERIFICATION_CODE_INVALID]: invalidVerifyCode,
  [C.VERIFICATION_CODE_EXPIRED]: invalidVerifyCode,
  [C.VERIFICATION_CODE_TOO_SOON]: {
    status: 429,
    type: 'api_rate_limit',
    message: (e) => `a code was sent to this email less than ${e.details.params?.seconds ?? 60} seconds ago.`,
  },
  [C.VERIFICATION_TYPE_UNSUPPORTED]: invalidParameter('must be sign_up_email or reset_password_email.'),
  [C.MAIL_DELIVERY_FAILED]: { status: 502, type: 'gateway', message: fixed('the verification email could not be sent.') },
  [C.SMS_DELIVERY_FAILED]: { status: 502, type: 'gateway', message: fixed('the verification SMS could not be sent.') },

  [C.CREDENTIALS_INVALID]: { status: 400, type: 'invalid_credentials', message: fixed('wrong account or password.') },
  [C.LOGIN_LOCKED]: {
    status: 429,
    type: 'api_rate_limit',
    message: (e) => `too many failed logins; try again in ${e.details.params?.seconds ?? 900} seconds.`,
  },
  [C.ACCOUNT_PENDING_REVIEW]: forbidden,
  [C.ACCOUNT_REJECTED]: forbidden,
  [C.ACCOUNT_DISABLED]: forbidden,
  [C.REFRESH_TOKEN_INVALID]: unauthorized,

  [C.RATE_LIMITED]: { status: 429, type: 'api_rate_limit', message: fixed('too many requests, try again later.') },
  [C.DATABASE_UNAVAILABLE]: { status: 502, type: 'gateway', message: fixed('the user store is unreachable, try again later.') },
  [C.INTERNAL]: { status: 500, type: 'internal_error', message: fixed('internal error.') },
};

/** `{error: {error_type, message}}` */
export const bytepowerErrors: DialectErrorRenderer = {
  render(error) {
    const entry = errorEntry(BYTEPOWER_ERRORS, error.code);
    return { status: entry.status, outcome: entry.type, body: { error: { error_type: entry.type, message: entry.message(error) } } };
  },
};
