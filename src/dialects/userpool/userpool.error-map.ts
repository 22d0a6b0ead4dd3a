import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { BODY_LIMIT_TEXT } from '../../common/body-limit';
import { isMalformedPath } from '../../common/path-encoding';
import { DialectErrorRenderer, ErrorMap, errorEntry } from '../../error-codes/dialect-error-renderer';
import { dialectErrorCodes } from '../../error-codes/error-code';

interface UserpoolError {
  status: number;
  /** Authing's numbering. */
  code: number;
  msg: (error: DomainError) => string;
}

const field = (error: DomainError) => error.details.field ?? 'request';
const fixed = (text: string) => () => text;

/** Conditions only userpool raises; each key is one of its codes (`UserpoolErrorCode`). */
const USERPOOL_OWN_ERRORS = {
  /** A password reset, or a code to sign in or reset with, for an email no user of the pool has. */
  USER_NOT_FOUND: { status: 404, code: 2004, msg: fixed('User does not exist') },
  OLD_PASSWORD_WRONG: { status: 400, code: 2203, msg: fixed('Old password is wrong') },
} satisfies Record<string, UserpoolError>;

export const UserpoolErrorCode = dialectErrorCodes(USERPOOL_OWN_ERRORS);
export type UserpoolErrorCode = (typeof UserpoolErrorCode)[keyof typeof UserpoolErrorCode];

/** Authing's codes and HTTP statuses for every core and userpool error (docs/dialects/userpool.md#errors). */
export const USERPOOL_ERRORS: ErrorMap<UserpoolError, typeof USERPOOL_OWN_ERRORS> = {
  ...USERPOOL_OWN_ERRORS,
  [C.MALFORMED_REQUEST]: {
    status: 400,
    code: 2000,
    msg: (e) =>
      isMalformedPath(e)
        ? 'Malformed request path: it is not valid percent-encoded UTF-8'
        : 'Malformed request: send a JSON object with Content-Type: application/json',
  },
  [C.PAYLOAD_TOO_LARGE]: { status: 413, code: 2000, msg: fixed(`Request body too large (limit ${BODY_LIMIT_TEXT})`) },
  [C.CONTENT_ENCODING_UNSUPPORTED]: {
    status: 415,
    code: 2000,
    msg: (e) => `Unsupported Content-Encoding "${e.details.params?.encoding ?? ''}": send the body as identity, gzip, deflate or br`,
  },
  [C.ROUTE_NOT_FOUND]: { status: 404, code: 2000, msg: fixed('No such endpoint') },
  [C.METHOD_NOT_ALLOWED]: { status: 405, code: 2000, msg: fixed('Method not allowed') },
  [C.UNAUTHORIZED]: { status: 401, code: 2020, msg: fixed('Not logged in, or the token is invalid or has ended') },
  [C.VALIDATION_FAILED]: { status: 400, code: 2000, msg: (e) => `Invalid parameter: ${field(e)}` },
  [C.UNKNOWN_FIELD]: { status: 400, code: 2000, msg: (e) => `Unknown parameter: ${field(e)}` },

  [C.TENANT_REQUIRED]: { status: 400, code: 2224, msg: fixed('The x-userpool-id header is required') },
  [C.TENANT_NOT_FOUND]: { status: 404, code: 2224, msg: fixed('Userpool not found') },
  [C.TENANT_DISABLED]: { status: 403, code: 2031, msg: fixed('Registration is disabled for this userpool') },
  [C.TENANT_MISCONFIGURED]: { status: 500, code: 1000, msg: fixed('Userpool is misconfigured') },

  [C.EMAIL_REQUIRED]: { status: 400, code: 2028, msg: fixed('Email is required') },
  [C.EMAIL_INVALID]: { status: 400, code: 2003, msg: fixed('Email address is malformed') },
  [C.EMAIL_TAKEN]: { status: 409, code: 2026, msg: fixed('User already exists') },
  [C.PHONE_INVALID]: { status: 400, code: 2000, msg: fixed('Phone number is malformed') },
  [C.PHONE_TAKEN]: { status: 409, code: 2026, msg: fixed('User already exists') },
  [C.USERNAME_REQUIRED]: { status: 400, code: 2000, msg: fixed('Username is required') },
  [C.USERNAME_INVALID]: { status: 400, code: 2000, msg: fixed('Username contains characters that are not allowed or is too long') },
  [C.USERNAME_TAKEN]: { status: 409, code: 2026, msg: fixed('User already exists') },
  [C.PASSWORD_REQUIRED]: { status: 400, code: 2032, msg: fixed('Password is required') },
  [C.PASSWORD_INVALID]: { status: 400, code: 2000, msg: fixed('Password must be a string of well-formed Unicode') },
  [C.PASSWORD_TOO_WEAK]: {
    status: 400,
    code: 2029,
    msg: (e) =>
      e.details.params?.rule === 'common'
        ? 'Password is too common'
        : `Password does not meet the userpool's strength level ${e.details.params?.level ?? ''}`.trim(),
  },
  [C.PASSWORD_TOO_LONG]: { status: 400, code: 2029, msg: fixed('Password is too long: at most 72 bytes in UTF-8') },

  [C.REGISTRATION_PENDING_REVIEW]: { status: 403, code: 2031, msg: fixed('Registration is pending review') },

  [C.VERIFICATION_CODE_REQUIRED]: { status: 400, code: 2000, msg: fixed('Verification code is required') },
  [C.VERIFICATION_CODE_INVALID]: { status: 400, code: 2001, msg: fixed('Verification code is wrong') },
  [C.VERIFICATION_CODE_EXPIRED]: { status: 400, code: 2300, msg: fixed('Verification code has expired') },
  [C.VERIFICATION_CODE_TOO_SOON]: { status: 429, code: 2100, msg: fixed('A code was sent recently; try again later') },
  [C.VERIFICATION_TYPE_UNSUPPORTED]: { status: 400, code: 2000, msg: fixed('Unsupported verification type') },
  [C.MAIL_DELIVERY_FAILED]: { status: 503, code: 1000, msg: fixed('Mail could not be sent') },
  [C.SMS_DELIVERY_FAILED]: { status: 502, code: 1000, msg: fixed('SMS could not be sent') },

  [C.CREDENTIALS_INVALID]: { status: 400, code: 2333, msg: fixed('Wrong account or password') },
  [C.LOGIN_LOCKED]: { status: 429, code: 2057, msg: fixed('Account locked after too many failed logins, please try again later') },
  [C.ACCOUNT_PENDING_REVIEW]: { status: 403, code: 2031, msg: fixed('Account is pending review') },
  [C.ACCOUNT_REJECTED]: { status: 403, code: 2031, msg: fixed('Account was rejected') },
  [C.ACCOUNT_DISABLED]: { status: 403, code: 2005, msg: fixed('User is locked') },
  [C.REFRESH_TOKEN_INVALID]: { status: 401, code: 2020, msg: fixed('Invalid refresh token') },

  [C.RATE_LIMITED]: { status: 429, code: 2100, msg: fixed('Too many attempts, please try again later') },
  [C.DATABASE_UNAVAILABLE]: { status: 503, code: 1000, msg: fixed('System busy, please try again later') },
  [C.INTERNAL]: { status: 500, code: 1000, msg: fixed('System error') },
};

/** `{code, success: false, msg, data: {}}` */
export const userpoolErrors: DialectErrorRenderer = {
  render(error) {
    const entry = errorEntry(USERPOOL_ERRORS, error.code);
    return { status: entry.status, outcome: entry.code, body: { code: entry.code, success: false, msg: entry.msg(error), data: {} } };
  },
};
