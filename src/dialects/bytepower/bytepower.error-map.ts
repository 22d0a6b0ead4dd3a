import { BODY_LIMIT_TEXT } from '../../common/body-limit';
import { DialectErrorRenderer, ErrorMap } from '../../error-codes/dialect-error-renderer';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';

interface BytepowerError {
  status: number;
  /** BytePower's `error_type`; the documented ones are kept, the rest are unireg's (see the README). */
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

/** BytePower's `{error: {error_type, message}}` vocabulary for every domain error (SPEC §2.3). */
export const BYTEPOWER_ERRORS: ErrorMap<BytepowerError> = {
  [C.MALFORMED_REQUEST]: { status: 400, type: 'invalid_parameter', message: fixed('the body must be a JSON object sent as application/json.') },
  [C.PAYLOAD_TOO_LARGE]: { status: 413, type: 'invalid_parameter', message: fixed(`the body is larger than ${BODY_LIMIT_TEXT}.`) },
  [C.ROUTE_NOT_FOUND]: { status: 404, type: 'not_found', message: fixed('no such API.') },
  [C.METHOD_NOT_ALLOWED]: { status: 405, type: 'method_not_allowed', message: fixed('method not allowed on this path.') },
  [C.API_VERSION_INVALID]: { status: 400, type: 'invalid_api_version', message: fixed('api version is not valid.') },
  [C.UNAUTHORIZED]: unauthorized,
  [C.RESOURCE_TYPE_CONFLICT]: invalidParameter('wrong resource type.'),
  [C.RESOURCE_NOT_FOUND]: { status: 404, type: 'not_found', message: fixed('user not found.') },
  [C.VALIDATION_FAILED]: invalidParameter('invalid value.'),
  [C.UNKNOWN_FIELD]: invalidParameter('unknown parameter.'),

  [C.TENANT_REQUIRED]: unauthorized,
  [C.TENANT_INVALID]: unauthorized,
  [C.TENANT_NOT_FOUND]: unauthorized,
  [C.TENANT_DISABLED]: unauthorized,
  [C.TENANT_MISCONFIGURED]: { status: 500, type: 'config_invalid', message: fixed('configuration is not valid.') },

  [C.EMAIL_REQUIRED]: invalidParameter('is required.'),
  [C.EMAIL_INVALID]: invalidParameter('is not a valid email address.'),
  [C.EMAIL_TAKEN]: userExists,
  [C.USERNAME_REQUIRED]: invalidParameter('is required.'),
  [C.USERNAME_INVALID]: invalidParameter('must be 1 to 64 characters without control, invisible or surrounding space characters.'),
  [C.USERNAME_TAKEN]: userExists,
  [C.USERNAME_RESERVED]: invalidParameter('is reserved.'),
  [C.CONTENT_BANNED]: invalidParameter('contains banned words.'),
  [C.PASSWORD_REQUIRED]: invalidParameter('is required.'),
  [C.PASSWORD_INVALID]: invalidParameter('must be a string of well-formed Unicode.'),
  [C.PASSWORD_TOO_WEAK]: invalidParameter('is too short.'),
  [C.PASSWORD_TOO_LONG]: invalidParameter('is longer than 72 bytes in UTF-8.'),
  [C.PASSWORD_DECRYPTION_FAILED]: invalidParameter('could not be decrypted.'),

  [C.REGISTRATION_CLOSED]: { status: 403, type: 'forbidden', message: fixed('sign up is closed for this app.') },
  [C.REGISTRATION_PENDING_REVIEW]: forbidden,
  [C.REGISTER_REASON_REQUIRED]: invalidParameter('is required.'),
  [C.INVITE_CODE_REQUIRED]: invalidParameter('is required.'),
  [C.INVITE_CODE_INVALID]: invalidParameter('is not a valid invite code.'),

  [C.VERIFICATION_CODE_REQUIRED]: invalidVerifyCode,
  [C.VERIFICATION_CODE_INVALID]: invalidVerifyCode,
  [C.VERIFICATION_CODE_TOO_SOON]: {
    status: 429,
    type: 'api_rate_limit',
    message: (e) => `a code was sent to this email less than ${e.details.params?.seconds ?? 60} seconds ago.`,
  },
  [C.VERIFICATION_TYPE_UNSUPPORTED]: invalidParameter('must be sign_up_email.'),
  [C.MAIL_DELIVERY_FAILED]: { status: 502, type: 'gateway', message: fixed('the verification email could not be sent.') },

  [C.LANGUAGE_INVALID]: invalidParameter('invalid language.'),
  [C.NATIONALITY_INVALID]: invalidParameter('invalid country.'),
  [C.TIMEZONE_INVALID]: invalidParameter('invalid time zone.'),
  [C.MCC_OTHER_DATA_CENTER]: invalidParameter('belongs to another data center.'),
  [C.MCC_UNKNOWN]: invalidParameter('unknown MCC.'),

  [C.CREDENTIALS_INVALID]: { status: 400, type: 'invalid_credentials', message: fixed('wrong account or password.') },
  [C.LOGIN_LOCKED]: {
    status: 429,
    type: 'api_rate_limit',
    message: (e) => `too many failed logins; try again in ${e.details.params?.seconds ?? 900} seconds.`,
  },
  [C.ACCOUNT_PENDING_REVIEW]: forbidden,
  [C.ACCOUNT_REJECTED]: forbidden,
  [C.REFRESH_TOKEN_INVALID]: unauthorized,

  [C.RATE_LIMITED]: { status: 429, type: 'api_rate_limit', message: fixed('too many requests, try again later.') },
  [C.DATABASE_UNAVAILABLE]: { status: 502, type: 'gateway', message: fixed('the user store is unreachable, try again later.') },
  [C.INTERNAL]: { status: 500, type: 'internal_error', message: fixed('internal error.') },
};

/** `{error: {error_type, message}}` */
export const bytepowerErrors: DialectErrorRenderer = {
  render(error) {
    const entry = BYTEPOWER_ERRORS[error.code];
    return { status: entry.status, outcome: entry.type, body: { error: { error_type: entry.type, message: entry.message(error) } } };
  },
};
