import type { Request } from 'express';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { BytepowerErrorCode as B, bytepowerErrors } from './bytepower.error-map';

const request = { headers: {} } as Request;

/** Every core and bytepower code as a BytePower client sees it: HTTP status and error_type (docs/dialects/bytepower.md#errors). */
const EXPECTED: Record<C | B, [number, string]> = {
  [C.MALFORMED_REQUEST]: [400, 'invalid_parameter'],
  [C.PAYLOAD_TOO_LARGE]: [413, 'invalid_parameter'],
  [C.CONTENT_ENCODING_UNSUPPORTED]: [415, 'invalid_parameter'],
  [C.ROUTE_NOT_FOUND]: [404, 'not_found'],
  [C.METHOD_NOT_ALLOWED]: [405, 'method_not_allowed'],
  [B.API_VERSION_INVALID]: [400, 'invalid_api_version'],
  [B.USER_NOT_FOUND]: [400, 'user_not_found'],
  [C.UNAUTHORIZED]: [401, 'unauthorized'],
  [C.VALIDATION_FAILED]: [400, 'invalid_parameter'],
  [C.UNKNOWN_FIELD]: [400, 'invalid_parameter'],
  [C.TENANT_REQUIRED]: [401, 'unauthorized'],
  [C.TENANT_NOT_FOUND]: [401, 'unauthorized'],
  [C.TENANT_DISABLED]: [401, 'unauthorized'],
  [C.TENANT_MISCONFIGURED]: [500, 'config_invalid'],
  [C.EMAIL_REQUIRED]: [400, 'invalid_parameter'],
  [C.EMAIL_INVALID]: [400, 'invalid_parameter'],
  [C.EMAIL_TAKEN]: [400, 'user_already_exists'],
  [C.USERNAME_REQUIRED]: [400, 'invalid_parameter'],
  [C.USERNAME_INVALID]: [400, 'invalid_parameter'],
  [C.USERNAME_TAKEN]: [400, 'user_already_exists'],
  [C.PASSWORD_REQUIRED]: [400, 'invalid_parameter'],
  [C.PASSWORD_INVALID]: [400, 'invalid_parameter'],
  [C.PASSWORD_TOO_WEAK]: [400, 'invalid_parameter'],
  [C.PASSWORD_TOO_LONG]: [400, 'invalid_parameter'],
  [C.REGISTRATION_PENDING_REVIEW]: [403, 'forbidden'],
  [C.VERIFICATION_CODE_REQUIRED]: [400, 'invalid_verify_code'],
  [C.VERIFICATION_CODE_INVALID]: [400, 'invalid_verify_code'],
  [C.VERIFICATION_CODE_EXPIRED]: [400, 'invalid_verify_code'],
  [C.VERIFICATION_CODE_TOO_SOON]: [429, 'api_rate_limit'],
  [C.VERIFICATION_TYPE_UNSUPPORTED]: [400, 'invalid_parameter'],
  [C.MAIL_DELIVERY_FAILED]: [502, 'gateway'],
  [C.SMS_DELIVERY_FAILED]: [502, 'gateway'],
  [C.PHONE_INVALID]: [400, 'invalid_parameter'],
  [C.PHONE_TAKEN]: [400, 'user_already_exists'],
  [C.CREDENTIALS_INVALID]: [400, 'invalid_credentials'],
  [C.LOGIN_LOCKED]: [429, 'api_rate_limit'],
  [C.ACCOUNT_PENDING_REVIEW]: [403, 'forbidden'],
  [C.ACCOUNT_REJECTED]: [403, 'forbidden'],
  [C.ACCOUNT_DISABLED]: [403, 'forbidden'],
  [C.REFRESH_TOKEN_INVALID]: [401, 'unauthorized'],
  [C.RATE_LIMITED]: [429, 'api_rate_limit'],
  [C.DATABASE_UNAVAILABLE]: [502, 'gateway'],
  [C.INTERNAL]: [500, 'internal_error'],
};

describe('bytepower error map', () => {
  it('has an expected row for every core code and every bytepower code', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...Object.values(C), ...Object.values(B)].sort());
  });

  it.each(Object.entries(EXPECTED))('renders %s as HTTP %j in {error: {error_type, message}}', (code, [status, errorType]) => {
    const rendered = bytepowerErrors.render(new DomainError(code as C | B, { field: 'email_password.email' }), request);
    expect(rendered).toEqual({
      status,
      outcome: errorType,
      body: { error: { error_type: errorType, message: expect.stringMatching(/\S/) } },
    });
  });

  it('names the field in parameter errors', () => {
    const { body } = bytepowerErrors.render(new DomainError(C.VALIDATION_FAILED, { field: 'name_password.name' }), request);
    expect((body as { error: { message: string } }).error.message).toContain('name_password.name');
  });

  it('quotes the configured resend interval', () => {
    const { body } = bytepowerErrors.render(new DomainError(C.VERIFICATION_CODE_TOO_SOON, { params: { seconds: 90 } }), request);
    expect((body as { error: { message: string } }).error.message).toContain('90 seconds');
  });

  it('names the unsupported encoding, and says a malformed path is about the path, not the body', () => {
    const message = (error: DomainError) => (bytepowerErrors.render(error, request).body as { error: { message: string } }).error.message;
    expect(message(new DomainError(C.CONTENT_ENCODING_UNSUPPORTED, { params: { encoding: 'xz' } }))).toBe(
      'content-encoding "xz" is not supported.',
    );
    expect(message(new DomainError(C.MALFORMED_REQUEST, { params: { part: 'path' } }))).toBe(
      'the path is not valid percent-encoded UTF-8.',
    );
    expect(message(new DomainError(C.MALFORMED_REQUEST))).toMatch(/^the body/);
  });

  it('never leaks internal details', () => {
    const { body } = bytepowerErrors.render(new DomainError(C.INTERNAL, { reason: 'secret stack' }), request);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
