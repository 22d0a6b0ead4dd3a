import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';
import { dialectErrorCodes } from './error-code';

describe('DomainError', () => {
  it('carries no stack frames for a refusal, and leaves the stack limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const error = new DomainError(DomainErrorCode.EMAIL_TAKEN, { field: 'email' });
    expect(error.stack).toBe('DomainError: EMAIL_TAKEN');
    expect(error).toBeInstanceOf(Error);
    expect(error.details).toEqual({ field: 'email' });
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('after').stack).toContain('domain-error.spec');
  });

  it("carries a dialect's own code as it carries a core code", () => {
    const { MCC_UNKNOWN } = dialectErrorCodes({ MCC_UNKNOWN: {} });
    const error = new DomainError(MCC_UNKNOWN, { field: 'mcc' });
    expect(error.stack).toBe('DomainError: MCC_UNKNOWN');
    expect(error.fieldErrors).toEqual([{ field: 'mcc', code: 'MCC_UNKNOWN', params: undefined }]);
  });

  it('keeps the stack of an INTERNAL error, for the log', () => {
    expect(new DomainError(DomainErrorCode.INTERNAL, { reason: 'broken' }).stack).toContain('domain-error.spec');
  });
});
