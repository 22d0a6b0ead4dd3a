/**
 * The core's conditions: those shared code raises or reads (metrics), and those several dialects raise
 * alike. Every dialect's error map renders all of them (`ErrorMap`), so adding a code here fails the build
 * until every dialect does. A condition only one dialect raises is that dialect's own code instead
 * (`dialectErrorCodes` in `error-code.ts`).
 */
export enum DomainErrorCode {
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** A body in a `Content-Encoding` the parsers cannot decode (`params.encoding` names it, made safe to show). */
  CONTENT_ENCODING_UNSUPPORTED = 'CONTENT_ENCODING_UNSUPPORTED',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  UNAUTHORIZED = 'UNAUTHORIZED',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNKNOWN_FIELD = 'UNKNOWN_FIELD',

  TENANT_REQUIRED = 'TENANT_REQUIRED',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  TENANT_DISABLED = 'TENANT_DISABLED',
  /** A tenant's stored settings cannot be used: the operator's fault, which the metrics count as failed. */
  TENANT_MISCONFIGURED = 'TENANT_MISCONFIGURED',

  EMAIL_REQUIRED = 'EMAIL_REQUIRED',
  EMAIL_INVALID = 'EMAIL_INVALID',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  USERNAME_REQUIRED = 'USERNAME_REQUIRED',
  USERNAME_INVALID = 'USERNAME_INVALID',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  PASSWORD_REQUIRED = 'PASSWORD_REQUIRED',
  PASSWORD_INVALID = 'PASSWORD_INVALID',
  PASSWORD_TOO_WEAK = 'PASSWORD_TOO_WEAK',
  PASSWORD_TOO_LONG = 'PASSWORD_TOO_LONG',
  /** Not a mobile number unireg accepts (src/users/phone.ts). */
  PHONE_INVALID = 'PHONE_INVALID',
  /** The phone belongs to another user of the tenant. */
  PHONE_TAKEN = 'PHONE_TAKEN',

  /** The user was created and waits for an operator's approval; the metrics count it as created. */
  REGISTRATION_PENDING_REVIEW = 'REGISTRATION_PENDING_REVIEW',

  VERIFICATION_CODE_REQUIRED = 'VERIFICATION_CODE_REQUIRED',
  VERIFICATION_CODE_INVALID = 'VERIFICATION_CODE_INVALID',
  /** A code was sent and is still unspent with tries left, but its lifetime is over (Authing tells it apart: 2300). */
  VERIFICATION_CODE_EXPIRED = 'VERIFICATION_CODE_EXPIRED',
  VERIFICATION_CODE_TOO_SOON = 'VERIFICATION_CODE_TOO_SOON',
  VERIFICATION_TYPE_UNSUPPORTED = 'VERIFICATION_TYPE_UNSUPPORTED',
  MAIL_DELIVERY_FAILED = 'MAIL_DELIVERY_FAILED',
  /** The SMS transport refused or failed a send; no usable code was left behind. */
  SMS_DELIVERY_FAILED = 'SMS_DELIVERY_FAILED',

  CREDENTIALS_INVALID = 'CREDENTIALS_INVALID',
  /** Too many failed logins for one account and client; refused until the lock expires. */
  LOGIN_LOCKED = 'LOGIN_LOCKED',
  ACCOUNT_PENDING_REVIEW = 'ACCOUNT_PENDING_REVIEW',
  ACCOUNT_REJECTED = 'ACCOUNT_REJECTED',
  /** An operator disabled the account (`users disable`); only the right password hears it. */
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  REFRESH_TOKEN_INVALID = 'REFRESH_TOKEN_INVALID',

  RATE_LIMITED = 'RATE_LIMITED',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}
