import type { Request } from 'express';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { EnduserErrorCode as E, enduserErrors } from './enduser.error-map';

const english = { headers: {} } as Request;
const chinese = { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } } as unknown as Request;

/**
 * HTTP status and Quectel code of every core and enduser error. Business errors are HTTP 200; the
 * codes come from Quectel's table and docs/dialects/enduser.md#errors (5353, 5000, 5441, 5465, 5466, 5429 and
 * the transport-level 400/404/405/413/415).
 */
const EXPECTED: readonly (readonly [C | E, number, number])[] = [
  [C.MALFORMED_REQUEST, 400, 400],
  [C.PAYLOAD_TOO_LARGE, 413, 413],
  [C.CONTENT_ENCODING_UNSUPPORTED, 415, 415],
  [C.ROUTE_NOT_FOUND, 404, 404],
  [C.METHOD_NOT_ALLOWED, 405, 405],
  [C.UNAUTHORIZED, 200, 5032],
  [C.VALIDATION_FAILED, 200, 400],
  [C.UNKNOWN_FIELD, 400, 400],

  [C.TENANT_REQUIRED, 200, 5023],
  [E.TENANT_INVALID, 200, 5013],
  [C.TENANT_NOT_FOUND, 200, 5015],
  [C.TENANT_DISABLED, 200, 5104],
  [C.TENANT_MISCONFIGURED, 200, 5000],

  [C.EMAIL_REQUIRED, 200, 5026],
  [C.EMAIL_INVALID, 200, 5040],
  [C.EMAIL_TAKEN, 200, 5039],
  [C.USERNAME_REQUIRED, 200, 400],
  [C.USERNAME_INVALID, 200, 400],
  [C.USERNAME_TAKEN, 200, 400],
  [C.PASSWORD_REQUIRED, 200, 5022],
  [C.PASSWORD_INVALID, 200, 5056],
  [C.PASSWORD_TOO_WEAK, 200, 5056],
  [C.PASSWORD_TOO_LONG, 200, 5056],
  [E.PASSWORD_DECRYPTION_FAILED, 200, 5353],

  [C.REGISTRATION_PENDING_REVIEW, 200, 5000],

  [C.VERIFICATION_CODE_REQUIRED, 200, 5064],
  [C.VERIFICATION_CODE_INVALID, 200, 5046],
  [C.VERIFICATION_CODE_EXPIRED, 200, 5046],
  [C.VERIFICATION_CODE_TOO_SOON, 200, 5465],
  [E.EMAIL_TYPE_REQUIRED, 200, 400],
  [C.VERIFICATION_TYPE_UNSUPPORTED, 200, 5466],
  [C.MAIL_DELIVERY_FAILED, 200, 5441],
  [C.SMS_DELIVERY_FAILED, 200, 5000],
  [C.PHONE_INVALID, 200, 400],
  [C.PHONE_TAKEN, 200, 400],

  [E.LANGUAGE_INVALID, 200, 5173],
  [E.NATIONALITY_INVALID, 200, 5172],
  [E.TIMEZONE_INVALID, 200, 5171],
  [E.MCC_OTHER_DATA_CENTER, 200, 6084],
  [E.MCC_UNKNOWN, 200, 6085],

  [C.CREDENTIALS_INVALID, 200, 400],
  [C.LOGIN_LOCKED, 200, 5147],
  [C.ACCOUNT_PENDING_REVIEW, 200, 5000],
  [C.ACCOUNT_REJECTED, 200, 5000],
  [C.ACCOUNT_DISABLED, 200, 5000],
  [C.REFRESH_TOKEN_INVALID, 200, 5032],

  [E.EMAIL_NOT_REGISTERED, 200, 5031],
  [E.EMAIL_OR_PHONE_REQUIRED, 200, 5044],
  [E.SIGNATURE_REQUIRED, 200, 5550],
  [E.SIGNATURE_INVALID, 200, 5420],
  [E.PASSWORD_WRONG_1_LEFT, 200, 5583],
  [E.PASSWORD_WRONG_2_LEFT, 200, 5584],
  [E.PASSWORD_WRONG_3_LEFT, 200, 5585],
  [E.PASSWORD_WRONG_4_LEFT, 200, 5586],
  [E.TOKEN_REQUIRED, 200, 5106],
  [E.TOKEN_INVALID, 200, 5032],
  [E.REFRESH_TOKEN_REQUIRED, 200, 5115],
  [E.OLD_PASSWORD_WRONG, 200, 5008],
  [E.PASSWORD_UNCHANGED, 200, 5063],
  [E.OLD_PASSWORD_REQUIRED, 200, 5505],
  [E.OLD_PASSWORD_DECRYPTION_FAILED, 200, 5506],
  [E.NEW_PASSWORD_REQUIRED, 200, 5507],
  [E.NEW_PASSWORD_DECRYPTION_FAILED, 200, 5508],
  [E.OLD_PASSWORD_INVALID, 200, 5509],
  [E.NEW_PASSWORD_INVALID, 200, 5510],
  [E.USER_INFO_INVALID, 200, 5034],
  [E.NICKNAME_TOO_LONG, 200, 5060],
  [E.SEX_INVALID, 200, 5061],
  [E.ADDRESS_TOO_LONG, 200, 5076],
  [E.PROVINCE_TOO_LONG, 200, 5473],
  [E.CITY_TOO_LONG, 200, 5474],
  [E.PERSONAL_SIGNATURE_TOO_LONG, 200, 5475],
  [E.REMARK_TOO_LONG, 200, 5476],
  [E.DELETE_TYPE_INVALID, 200, 5152],

  [C.RATE_LIMITED, 429, 5429],
  [C.DATABASE_UNAVAILABLE, 200, 5000],
  [C.INTERNAL, 200, 5000],
];

/** The seed's own English wording of its table, which clients may match on. */
const SEED_MESSAGES: readonly (readonly [C | E, string])[] = [
  [E.TENANT_INVALID, 'Incorrect user domain format'],
  [C.TENANT_NOT_FOUND, 'User domain does not exist'],
  [C.PASSWORD_REQUIRED, 'Please enter password'],
  [C.TENANT_REQUIRED, 'Please enter user domain'],
  [C.EMAIL_REQUIRED, 'Please enter email'],
  [C.EMAIL_TAKEN, 'Email already registered'],
  [C.EMAIL_INVALID, 'Incorrect email format'],
  [C.VERIFICATION_CODE_INVALID, 'Email verification code validation failed'],
  [C.PASSWORD_INVALID, 'Incorrect password format, please enter 6-20 letters, numbers or special characters'],
  [C.VERIFICATION_CODE_REQUIRED, 'Please enter verification code'],
  [C.TENANT_DISABLED, 'User domain disabled'],
  [E.TIMEZONE_INVALID, 'Timezone parameter validation failed'],
  [E.NATIONALITY_INVALID, 'Country parameter validation failed'],
  [E.LANGUAGE_INVALID, 'Language parameter validation failed'],
  [E.MCC_OTHER_DATA_CENTER, 'MCC does not belong to current data center'],
  [E.MCC_UNKNOWN, 'Failed to query MCC data center'],
  [E.EMAIL_NOT_REGISTERED, 'Email not registered'],
  [E.SIGNATURE_INVALID, 'Signature verification failed'],
  [E.SIGNATURE_REQUIRED, 'Please enter signature'],
  [E.PASSWORD_WRONG_1_LEFT, 'Incorrect email or password, you have 1 more attempt'],
  [E.PASSWORD_WRONG_4_LEFT, 'Incorrect email or password, you have 4 more attempts'],
  [C.LOGIN_LOCKED, 'Account frozen, please try again after 20 minutes'],
  [E.TOKEN_INVALID, 'Token verification failed'],
  [E.OLD_PASSWORD_WRONG, 'Original password is incorrect'],
];

const CJK = /[\u4e00-\u9fff]/;

describe('enduser error map', () => {
  it('has exactly one expected row per core code and per enduser code', () => {
    const listed = EXPECTED.map(([code]) => code);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...Object.values(C), ...Object.values(E)].sort());
  });

  it.each(EXPECTED)('renders %s as HTTP %i with code %i, in English and in Chinese', (code, status, vendorCode) => {
    const en = enduserErrors.render(new DomainError(code), english);
    const zh = enduserErrors.render(new DomainError(code), chinese);
    expect(en.status).toBe(status);
    expect(zh.status).toBe(status);
    expect(en.body).toEqual({ code: vendorCode, msg: expect.stringMatching(/\S/), data: null, extMsg: '' });
    expect(zh.body).toEqual({ code: vendorCode, msg: expect.stringMatching(CJK), data: null, extMsg: '' });
    expect((en.body as { msg: string }).msg).not.toMatch(CJK);
  });

  it.each(SEED_MESSAGES)('words %s as the seed does', (code, message) => {
    expect(enduserErrors.render(new DomainError(code), english).body).toMatchObject({ msg: message });
  });

  it('names the offending parameter in extMsg for a parameter error only', () => {
    expect(enduserErrors.render(new DomainError(C.VALIDATION_FAILED, { field: 'email' }), english).body).toMatchObject({
      code: 400,
      extMsg: 'email',
    });
    expect(enduserErrors.render(new DomainError(C.EMAIL_INVALID, { field: 'email' }), english).body).toMatchObject({
      code: 5040,
      extMsg: '',
    });
    expect(enduserErrors.render(new DomainError(E.EMAIL_TYPE_REQUIRED, { field: 'emailType' }), english).body).toMatchObject({
      code: 400,
      msg: 'Please enter email type',
      extMsg: 'emailType',
    });
  });

  it('names the unsupported encoding, and says a malformed path is about the path, not the body', () => {
    const msg = (error: DomainError, request = english) => (enduserErrors.render(error, request).body as { msg: string }).msg;
    expect(msg(new DomainError(C.CONTENT_ENCODING_UNSUPPORTED, { params: { encoding: 'xz' } }))).toBe('Unsupported Content-Encoding "xz"');
    expect(msg(new DomainError(C.CONTENT_ENCODING_UNSUPPORTED, { params: { encoding: 'xz' } }), chinese)).toContain('"xz"');
    expect(msg(new DomainError(C.MALFORMED_REQUEST, { params: { part: 'path' } }))).toBe('Malformed request path');
    expect(msg(new DomainError(C.MALFORMED_REQUEST, { params: { part: 'path' } }), chinese)).toBe('请求路径格式错误');
    expect(msg(new DomainError(C.MALFORMED_REQUEST))).toBe('Malformed request body');
  });
});
