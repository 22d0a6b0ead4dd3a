import type { Request } from 'express';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { ENDUSER_ERRORS, enduserErrors } from './enduser.error-map';

const english = { headers: {} } as Request;
const chinese = { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } } as unknown as Request;

describe('enduser error map', () => {
  it.each(Object.values(DomainErrorCode))('renders %s in the {code,msg,data,extMsg} envelope, in both languages', (code) => {
    const en = enduserErrors.render(new DomainError(code), english);
    const zh = enduserErrors.render(new DomainError(code), chinese);
    expect(en.body).toEqual({ code: expect.any(Number), msg: expect.any(String), data: null, extMsg: expect.any(String) });
    expect([200, 400, 404, 405, 413, 429]).toContain(en.status);
    expect((zh.body as { msg: string }).msg).toMatch(/[\u4e00-\u9fff]/);
    expect((en.body as { msg: string }).msg).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    [DomainErrorCode.TENANT_INVALID, 5013],
    [DomainErrorCode.TENANT_NOT_FOUND, 5015],
    [DomainErrorCode.PASSWORD_REQUIRED, 5022],
    [DomainErrorCode.TENANT_REQUIRED, 5023],
    [DomainErrorCode.EMAIL_REQUIRED, 5026],
    [DomainErrorCode.EMAIL_TAKEN, 5039],
    [DomainErrorCode.EMAIL_INVALID, 5040],
    [DomainErrorCode.VERIFICATION_CODE_INVALID, 5046],
    [DomainErrorCode.PASSWORD_INVALID, 5056],
    [DomainErrorCode.VERIFICATION_CODE_REQUIRED, 5064],
    [DomainErrorCode.TENANT_DISABLED, 5104],
    [DomainErrorCode.TIMEZONE_INVALID, 5171],
    [DomainErrorCode.NATIONALITY_INVALID, 5172],
    [DomainErrorCode.LANGUAGE_INVALID, 5173],
    [DomainErrorCode.MCC_OTHER_DATA_CENTER, 6084],
    [DomainErrorCode.MCC_UNKNOWN, 6085],
    [DomainErrorCode.PASSWORD_DECRYPTION_FAILED, 5353],
    [DomainErrorCode.MAIL_DELIVERY_FAILED, 5441],
    [DomainErrorCode.INTERNAL, 5000],
    [DomainErrorCode.DATABASE_UNAVAILABLE, 5000],
  ])('business error %s is code %i inside HTTP 200', (code, vendorCode) => {
    expect(ENDUSER_ERRORS[code].code).toBe(vendorCode);
    expect(enduserErrors.render(new DomainError(code), english).status).toBe(200);
  });
});
