import { DomainErrorCode } from './domain-error-code.enum';
import { dialectErrorCodes, isDomainErrorCode } from './error-code';

describe('dialectErrorCodes', () => {
  it('makes one code per row, spelt as the row', () => {
    const codes = dialectErrorCodes({ MCC_UNKNOWN: { status: 400 }, LANGUAGE_INVALID: { status: 422 } });
    expect(codes).toEqual({ MCC_UNKNOWN: 'MCC_UNKNOWN', LANGUAGE_INVALID: 'LANGUAGE_INVALID' });
    expect(Object.isFrozen(codes)).toBe(true);
  });

  it('does not compile a row named like a core code (checked by `npm run lint:types`)', () => {
    // @ts-expect-error EMAIL_TAKEN is a core code: every dialect renders it, none may own it.
    const codes = dialectErrorCodes({ EMAIL_TAKEN: { status: 409 } });
    expect(isDomainErrorCode(codes.EMAIL_TAKEN)).toBe(true);
  });
});

describe('isDomainErrorCode', () => {
  it('tells core codes from dialect codes and other strings', () => {
    const own = dialectErrorCodes({ MCC_UNKNOWN: {} });
    expect(isDomainErrorCode(DomainErrorCode.EMAIL_TAKEN)).toBe(true);
    expect(isDomainErrorCode(own.MCC_UNKNOWN)).toBe(false);
    expect(isDomainErrorCode('email_taken')).toBe(false);
  });
});
