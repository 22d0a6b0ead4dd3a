import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { BODY_LIMIT_TEXT } from '../../common/body-limit';
import { isMalformedPath } from '../../common/path-encoding';
import { DialectErrorRenderer, ErrorMap, errorEntry } from '../../error-codes/dialect-error-renderer';
import { DomainError } from '../../error-codes/domain-error';
import { dialectErrorCodes } from '../../error-codes/error-code';
import { enduserLanguage } from './enduser-language';

/** A message, fixed or quoting the error's limits. */
type Message = string | ((error: DomainError) => string);

interface EnduserError {
  /** The vendor's business code, inside the body. */
  code: number;
  en: Message;
  zh: Message;
  /** Only transport-level failures leave HTTP 200 (docs/dialects/enduser.md#errors). */
  status?: number;
}

const PARAMETER_ERROR: EnduserError = { code: 400, en: 'Parameter error', zh: '参数错误' };
const SERVICE_EXCEPTION: EnduserError = { code: 5000, en: 'Service exception', zh: '服务异常' };
/** Quectel tells no expired code from a wrong one. */
const CODE_CHECK_FAILED: EnduserError = { code: 5046, en: 'Email verification code validation failed', zh: '邮箱验证码校验失败' };
const PASSWORD_FORMAT_ERROR: EnduserError = {
  code: 5056,
  en: 'Incorrect password format, please enter 6-20 letters, numbers or special characters',
  zh: '密码格式不正确，请输入6-20位字母、数字或特殊字符',
};

const TOKEN_INVALID_ERROR: EnduserError = { code: 5032, en: 'Token verification failed', zh: 'token校验失败' };

function wrongPassword(code: number, left: number): EnduserError {
  return {
    code,
    en: `Incorrect email or password, you have ${left} more attempt${left === 1 ? '' : 's'}`,
    zh: `邮箱或密码错误，您还有${left}次机会`,
  };
}

/** Conditions only enduser raises; each key is one of its codes (`EnduserErrorCode`). */
const ENDUSER_OWN_ERRORS = {
  TENANT_INVALID: { code: 5013, en: 'Incorrect user domain format', zh: '用户域格式不正确' },
  PASSWORD_DECRYPTION_FAILED: { code: 5353, en: 'Password decryption failed', zh: '密码解密失败' },
  LANGUAGE_INVALID: { code: 5173, en: 'Language parameter validation failed', zh: '语言参数校验失败' },
  NATIONALITY_INVALID: { code: 5172, en: 'Country parameter validation failed', zh: '国家参数校验失败' },
  TIMEZONE_INVALID: { code: 5171, en: 'Timezone parameter validation failed', zh: '时区参数校验失败' },
  MCC_OTHER_DATA_CENTER: { code: 6084, en: 'MCC does not belong to current data center', zh: 'MCC不属于当前数据中心' },
  MCC_UNKNOWN: { code: 6085, en: 'Failed to query MCC data center', zh: '查询MCC所属数据中心失败' },
  // Quectel's table has no code of its own for it: its parameter error, with extMsg naming the parameter.
  EMAIL_TYPE_REQUIRED: { code: 400, en: 'Please enter email type', zh: '请输入邮件类型' },

  // Sign-in, tokens and the account (emailPwdLogin and its siblings).
  EMAIL_NOT_REGISTERED: { code: 5031, en: 'Email not registered', zh: '邮箱未注册' },
  EMAIL_OR_PHONE_REQUIRED: { code: 5044, en: 'Please enter phone number or email', zh: '请输入手机号或邮箱' },
  SIGNATURE_REQUIRED: { code: 5550, en: 'Please enter signature', zh: '请输入签名' },
  SIGNATURE_INVALID: { code: 5420, en: 'Signature verification failed', zh: '签名校验失败' },
  PASSWORD_WRONG_1_LEFT: wrongPassword(5583, 1),
  PASSWORD_WRONG_2_LEFT: wrongPassword(5584, 2),
  PASSWORD_WRONG_3_LEFT: wrongPassword(5585, 3),
  PASSWORD_WRONG_4_LEFT: wrongPassword(5586, 4),
  TOKEN_REQUIRED: { code: 5106, en: 'Please enter token', zh: '请输入token' },
  TOKEN_INVALID: TOKEN_INVALID_ERROR,
  REFRESH_TOKEN_REQUIRED: { code: 5115, en: 'Please enter refresh token', zh: '请输入刷新token' },
  OLD_PASSWORD_WRONG: { code: 5008, en: 'Original password is incorrect', zh: '原密码错误' },
  PASSWORD_UNCHANGED: { code: 5063, en: 'New password cannot be the same as original password', zh: '新密码不能与原密码相同' },
  OLD_PASSWORD_REQUIRED: { code: 5505, en: 'Please enter original password', zh: '请输入原密码' },
  OLD_PASSWORD_DECRYPTION_FAILED: { code: 5506, en: 'Original password decryption failed', zh: '原密码解密失败' },
  NEW_PASSWORD_REQUIRED: { code: 5507, en: 'Please enter new password', zh: '请输入新密码' },
  NEW_PASSWORD_DECRYPTION_FAILED: { code: 5508, en: 'New password decryption failed', zh: '新密码解密失败' },
  OLD_PASSWORD_INVALID: {
    code: 5509,
    en: 'Original password format incorrect, please enter 6-20 characters including letters, numbers, or special characters',
    zh: '原密码格式不正确，请输入6-20位字母、数字或特殊字符',
  },
  NEW_PASSWORD_INVALID: {
    code: 5510,
    en: 'New password format incorrect, please enter 6-20 characters including letters, numbers, or special characters',
    zh: '新密码格式不正确，请输入6-20位字母、数字或特殊字符',
  },
  USER_INFO_INVALID: { code: 5034, en: 'User information format validation failed', zh: '用户信息格式校验失败' },
  NICKNAME_TOO_LONG: { code: 5060, en: 'Nickname length cannot exceed 50 characters', zh: '昵称长度不能超过50个字符' },
  SEX_INVALID: { code: 5061, en: 'Invalid gender, Gender 0: Male 1: Female 2: Private', zh: '性别无效，0：男 1：女 2：保密' },
  ADDRESS_TOO_LONG: { code: 5076, en: 'Address length cannot exceed 254 characters', zh: '地址长度不能超过254个字符' },
  PROVINCE_TOO_LONG: { code: 5473, en: 'Province parameter value exceeds length limit', zh: '省份参数值超过长度限制' },
  CITY_TOO_LONG: { code: 5474, en: 'City parameter value exceeds length limit', zh: '城市参数值超过长度限制' },
  PERSONAL_SIGNATURE_TOO_LONG: {
    code: 5475,
    en: 'Personal signature parameter value exceeds length limit',
    zh: '个性签名参数值超过长度限制',
  },
  REMARK_TOO_LONG: { code: 5476, en: 'Remarks parameter value exceeds length limit', zh: '备注参数值超过长度限制' },
  DELETE_TYPE_INVALID: {
    code: 5152,
    en: 'Delete type parameter value invalid, value range: 1, 2',
    zh: '删除类型参数值无效，取值范围：1、2',
  },
} satisfies Record<string, EnduserError>;

export const EnduserErrorCode = dialectErrorCodes(ENDUSER_OWN_ERRORS);
export type EnduserErrorCode = (typeof EnduserErrorCode)[keyof typeof EnduserErrorCode];

/** Quectel's codes (its documented table plus 5353, 5000, 5441); codes above 5400 it does not document are unireg's own. */
export const ENDUSER_ERRORS: ErrorMap<EnduserError, typeof ENDUSER_OWN_ERRORS> = {
  ...ENDUSER_OWN_ERRORS,
  [C.MALFORMED_REQUEST]: {
    status: 400,
    code: 400,
    en: (e) => (isMalformedPath(e) ? 'Malformed request path' : 'Malformed request body'),
    zh: (e) => (isMalformedPath(e) ? '请求路径格式错误' : '请求体格式错误'),
  },
  [C.PAYLOAD_TOO_LARGE]: {
    status: 413,
    code: 413,
    en: `Request body too large (limit ${BODY_LIMIT_TEXT})`,
    zh: `请求体过大（上限 ${BODY_LIMIT_TEXT}）`,
  },
  [C.CONTENT_ENCODING_UNSUPPORTED]: {
    status: 415,
    code: 415,
    en: (e) => `Unsupported Content-Encoding "${e.details.params?.encoding ?? ''}"`,
    zh: (e) => `不支持的请求体编码（Content-Encoding）"${e.details.params?.encoding ?? ''}"`,
  },
  [C.ROUTE_NOT_FOUND]: { status: 404, code: 404, en: 'No such API', zh: '接口不存在' },
  [C.METHOD_NOT_ALLOWED]: { status: 405, code: 405, en: 'Method not allowed', zh: '请求方法不允许' },
  [C.RATE_LIMITED]: { status: 429, code: 5429, en: 'Too many requests, please try again later', zh: '请求过于频繁，请稍后再试' },
  [C.UNAUTHORIZED]: TOKEN_INVALID_ERROR,
  [C.VALIDATION_FAILED]: PARAMETER_ERROR,
  // Enduser ignores unknown parameters; the one unknown field it refuses is a prototype key in a body,
  // found before routing like any unreadable body, so it is transport-level too.
  [C.UNKNOWN_FIELD]: { status: 400, code: 400, en: 'Unknown parameter', zh: '未知参数' },

  [C.TENANT_REQUIRED]: { code: 5023, en: 'Please enter user domain', zh: '请输入用户域' },
  [C.TENANT_NOT_FOUND]: { code: 5015, en: 'User domain does not exist', zh: '用户域不存在' },
  [C.TENANT_DISABLED]: { code: 5104, en: 'User domain disabled', zh: '用户域已停用' },
  [C.TENANT_MISCONFIGURED]: SERVICE_EXCEPTION,

  [C.EMAIL_REQUIRED]: { code: 5026, en: 'Please enter email', zh: '请输入邮箱' },
  [C.EMAIL_INVALID]: { code: 5040, en: 'Incorrect email format', zh: '邮箱格式不正确' },
  [C.EMAIL_TAKEN]: { code: 5039, en: 'Email already registered', zh: '邮箱已被注册' },
  [C.PHONE_INVALID]: PARAMETER_ERROR,
  [C.PHONE_TAKEN]: PARAMETER_ERROR,
  [C.USERNAME_REQUIRED]: PARAMETER_ERROR,
  [C.USERNAME_INVALID]: PARAMETER_ERROR,
  [C.USERNAME_TAKEN]: PARAMETER_ERROR,
  [C.PASSWORD_REQUIRED]: { code: 5022, en: 'Please enter password', zh: '请输入密码' },
  [C.PASSWORD_INVALID]: PASSWORD_FORMAT_ERROR,
  [C.PASSWORD_TOO_WEAK]: PASSWORD_FORMAT_ERROR,
  [C.PASSWORD_TOO_LONG]: PASSWORD_FORMAT_ERROR,

  [C.REGISTRATION_PENDING_REVIEW]: SERVICE_EXCEPTION,

  [C.VERIFICATION_CODE_REQUIRED]: { code: 5064, en: 'Please enter verification code', zh: '请输入验证码' },
  [C.VERIFICATION_CODE_INVALID]: CODE_CHECK_FAILED,
  [C.VERIFICATION_CODE_EXPIRED]: CODE_CHECK_FAILED,
  [C.VERIFICATION_CODE_TOO_SOON]: {
    code: 5465,
    en: (e) => `A verification code was sent less than ${e.details.params?.seconds ?? 60} seconds ago, please try again later`,
    zh: (e) => `验证码发送过于频繁，请 ${e.details.params?.seconds ?? 60} 秒后再试`,
  },
  [C.VERIFICATION_TYPE_UNSUPPORTED]: { code: 5466, en: 'Unsupported email type', zh: '不支持的邮件类型' },
  [C.MAIL_DELIVERY_FAILED]: { code: 5441, en: 'Failed to send email', zh: '邮件发送失败' },
  [C.SMS_DELIVERY_FAILED]: SERVICE_EXCEPTION,

  [C.CREDENTIALS_INVALID]: PARAMETER_ERROR,
  // Quectel's "frozen" answer, in HTTP 200 like its other business codes; the filter still sends Retry-After.
  [C.LOGIN_LOCKED]: {
    code: 5147,
    en: (e) => `Account frozen, please try again after ${e.details.params?.minutes ?? 20} minutes`,
    zh: (e) => `账号已冻结，请${e.details.params?.minutes ?? 20}分钟后再试`,
  },
  [C.ACCOUNT_PENDING_REVIEW]: SERVICE_EXCEPTION,
  [C.ACCOUNT_REJECTED]: SERVICE_EXCEPTION,
  [C.ACCOUNT_DISABLED]: SERVICE_EXCEPTION,
  [C.REFRESH_TOKEN_INVALID]: TOKEN_INVALID_ERROR,

  [C.DATABASE_UNAVAILABLE]: SERVICE_EXCEPTION,
  [C.INTERNAL]: SERVICE_EXCEPTION,
};

/** `{code, msg, data, extMsg}`; English unless the client's first language is Chinese. */
export const enduserErrors: DialectErrorRenderer = {
  render(error, request) {
    const entry = errorEntry(ENDUSER_ERRORS, error.code);
    const message = entry[enduserLanguage(request)];
    const field = error.details.field;
    const status = entry.status ?? 200;
    const { retryAfterSeconds } = error.details;
    return {
      status,
      outcome: entry.code,
      // The shared filter sets Retry-After on error statuses only; a lockout (5147) is a business answer in HTTP 200 here.
      ...(status === 200 && retryAfterSeconds !== undefined
        ? { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }
        : {}),
      body: {
        code: entry.code,
        msg: typeof message === 'function' ? message(error) : message,
        data: null,
        extMsg: entry.code === 400 && field ? field : '',
      },
    };
  },
};
