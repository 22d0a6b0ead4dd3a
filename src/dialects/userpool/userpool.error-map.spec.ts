import type { Request } from 'express';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { UserpoolErrorCode as U, userpoolErrors } from './userpool.error-map';

const request = { headers: {} } as Request;

/**
 * What every domain error must look like to an Authing client: HTTP status and Authing code. Rows of
 * docs/dialects/userpool.md#errors is quoted; the others are unireg's choices, pinned here so a
 * change to the map is a deliberate one.
 */
const EXPECTED: readonly (readonly [C | U, number, number])[] = [
  [C.MALFORMED_REQUEST, 400, 2000],
  [C.PAYLOAD_TOO_LARGE, 413, 2000],
  [C.CONTENT_ENCODING_UNSUPPORTED, 415, 2000],
  [C.ROUTE_NOT_FOUND, 404, 2000],
  [C.METHOD_NOT_ALLOWED, 405, 2000],
  [C.UNAUTHORIZED, 401, 2020],
  [C.VALIDATION_FAILED, 400, 2000],
  [C.UNKNOWN_FIELD, 400, 2000],

  [C.TENANT_REQUIRED, 400, 2224],
  [C.TENANT_NOT_FOUND, 404, 2224],
  [C.TENANT_DISABLED, 403, 2031],
  [C.TENANT_MISCONFIGURED, 500, 1000],

  [C.EMAIL_REQUIRED, 400, 2028],
  [C.EMAIL_INVALID, 400, 2003],
  [C.EMAIL_TAKEN, 409, 2026],
  [C.USERNAME_REQUIRED, 400, 2000],
  [C.USERNAME_INVALID, 400, 2000],
  [C.USERNAME_TAKEN, 409, 2026],
  [C.PASSWORD_REQUIRED, 400, 2032],
  [C.PASSWORD_INVALID, 400, 2000],
  [C.PASSWORD_TOO_WEAK, 400, 2029],
  [C.PASSWORD_TOO_LONG, 400, 2029],

  [C.REGISTRATION_PENDING_REVIEW, 403, 2031],

  [C.VERIFICATION_CODE_REQUIRED, 400, 2000],
  [C.VERIFICATION_CODE_INVALID, 400, 2001],
  [C.VERIFICATION_CODE_EXPIRED, 400, 2300],
  [C.VERIFICATION_CODE_TOO_SOON, 429, 2100],
  [C.VERIFICATION_TYPE_UNSUPPORTED, 400, 2000],
  [C.MAIL_DELIVERY_FAILED, 503, 1000],
  [C.SMS_DELIVERY_FAILED, 502, 1000],
  [C.PHONE_INVALID, 400, 2000],
  [C.PHONE_TAKEN, 409, 2026],

  [C.CREDENTIALS_INVALID, 400, 2333],
  [C.LOGIN_LOCKED, 429, 2057],
  [C.ACCOUNT_PENDING_REVIEW, 403, 2031],
  [C.ACCOUNT_REJECTED, 403, 2031],
  [C.ACCOUNT_DISABLED, 403, 2005],
  [C.REFRESH_TOKEN_INVALID, 401, 2020],
  [U.USER_NOT_FOUND, 404, 2004],
  [U.OLD_PASSWORD_WRONG, 400, 2203],

  [C.RATE_LIMITED, 429, 2100],
  [C.DATABASE_UNAVAILABLE, 503, 1000],
  [C.INTERNAL, 500, 1000],
];

describe('userpool error map', () => {
  it('has exactly one expected row per DomainErrorCode and userpool code', () => {
    const listed = EXPECTED.map(([code]) => code);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...Object.values(C), ...Object.values(U)].sort());
  });

  it.each(EXPECTED)('renders %s as HTTP %i with Authing code %i in the Authing envelope', (code, status, authingCode) => {
    const rendered = userpoolErrors.render(new DomainError(code, { field: 'email' }), request);
    expect(rendered.status).toBe(status);
    expect(rendered.body).toEqual({ code: authingCode, success: false, msg: expect.stringMatching(/\S/), data: {} });
  });

  it('names the field in validation messages and the level in strength messages', () => {
    const msg = (error: DomainError) => (userpoolErrors.render(error, request).body as { msg: string }).msg;
    expect(msg(new DomainError(C.VALIDATION_FAILED, { field: 'profile.gender' }))).toBe('Invalid parameter: profile.gender');
    expect(msg(new DomainError(C.UNKNOWN_FIELD, { field: 'nick' }))).toBe('Unknown parameter: nick');
    expect(msg(new DomainError(C.PASSWORD_TOO_WEAK, { params: { level: 3 } }))).toMatch(/strength level 3$/);
  });

  it('names the unsupported encoding, and says a malformed path is about the path, not the body', () => {
    const msg = (error: DomainError) => (userpoolErrors.render(error, request).body as { msg: string }).msg;
    expect(msg(new DomainError(C.CONTENT_ENCODING_UNSUPPORTED, { params: { encoding: 'xz' } }))).toMatch(
      /^Unsupported Content-Encoding "xz"/,
    );
    expect(msg(new DomainError(C.MALFORMED_REQUEST, { params: { part: 'path' } }))).toMatch(/^Malformed request path/);
    expect(msg(new DomainError(C.MALFORMED_REQUEST))).toMatch(/JSON object/);
  });

  it('never leaks internal details', () => {
    const { body } = userpoolErrors.render(new DomainError(C.INTERNAL, { reason: 'secret stack' }), request);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
