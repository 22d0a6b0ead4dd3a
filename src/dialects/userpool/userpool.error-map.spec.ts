import type { Request } from 'express';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { USERPOOL_ERRORS, userpoolErrors } from './userpool.error-map';

const request = { headers: {} } as Request;

describe('userpool error map', () => {
  it.each(Object.values(DomainErrorCode))('renders %s in the Authing envelope', (code) => {
    const { status, body } = userpoolErrors.render(new DomainError(code, { field: 'email' }), request);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    expect(body).toEqual({ code: expect.any(Number), success: false, msg: expect.any(String), data: {} });
    expect((body as { msg: string }).msg.length).toBeGreaterThan(0);
  });

  it.each([
    [DomainErrorCode.TENANT_REQUIRED, 400, 2224],
    [DomainErrorCode.TENANT_NOT_FOUND, 404, 2224],
    [DomainErrorCode.EMAIL_REQUIRED, 400, 2028],
    [DomainErrorCode.EMAIL_INVALID, 400, 2003],
    [DomainErrorCode.PASSWORD_REQUIRED, 400, 2032],
    [DomainErrorCode.PASSWORD_TOO_WEAK, 400, 2029],
    [DomainErrorCode.EMAIL_TAKEN, 409, 2026],
    [DomainErrorCode.TENANT_DISABLED, 403, 2031],
    [DomainErrorCode.RATE_LIMITED, 429, 2100],
    [DomainErrorCode.MALFORMED_REQUEST, 400, 2000],
    [DomainErrorCode.DATABASE_UNAVAILABLE, 503, 1000],
    [DomainErrorCode.INTERNAL, 500, 1000],
  ])('maps %s to HTTP %i, code %i as SPEC §2.1 says', (code, status, authingCode) => {
    expect(USERPOOL_ERRORS[code]).toMatchObject({ status, code: authingCode });
  });

  it('never leaks internal details', () => {
    const { body } = userpoolErrors.render(new DomainError(DomainErrorCode.INTERNAL, { reason: 'secret stack' }), request);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
