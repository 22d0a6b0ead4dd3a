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
const PASSWORD_FORMAT_ERROR: EnduserError = {
  code: 5056,
  en: 'Incorrect password format, please enter 6-20 letters, numbers or special characters',
  zh: '密码格式不正确，请输入6-20位字母、数字或特殊字符',
};

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
  [C.UNAUTHORIZED]: { code: 401, en: 'Not authorized', zh: '未授权' },
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
  [C.VERIFICATION_CODE_INVALID]: { code: 5046, en: 'Email verification code validation failed', zh: '邮箱验证码校验失败' },
  [C.VERIFICATION_CODE_TOO_SOON]: {
    code: 5465,
    en: (e) => `A verification code was sent less than ${e.details.params?.seconds ?? 60} seconds ago, please try again later`,
    zh: (e) => `验证码发送过于频繁，请 ${e.details.params?.seconds ?? 60} 秒后再试`,
  },
  [C.VERIFICATION_TYPE_UNSUPPORTED]: { code: 5466, en: 'Unsupported email type', zh: '不支持的邮件类型' },
  [C.MAIL_DELIVERY_FAILED]: { code: 5441, en: 'Failed to send email', zh: '邮件发送失败' },
  [C.SMS_DELIVERY_FAILED]: SERVICE_EXCEPTION,

  [C.CREDENTIALS_INVALID]: PARAMETER_ERROR,
  [C.LOGIN_LOCKED]: { status: 429, code: 5429, en: 'Too many failed logins, please try again later', zh: '登录失败次数过多，请稍后再试' },
  [C.ACCOUNT_PENDING_REVIEW]: SERVICE_EXCEPTION,
  [C.ACCOUNT_REJECTED]: SERVICE_EXCEPTION,
  [C.ACCOUNT_DISABLED]: SERVICE_EXCEPTION,
  [C.REFRESH_TOKEN_INVALID]: { code: 401, en: 'Not authorized', zh: '未授权' },

  [C.DATABASE_UNAVAILABLE]: SERVICE_EXCEPTION,
  [C.INTERNAL]: SERVICE_EXCEPTION,
};

/** `{code, msg, data, extMsg}`; English unless the client's first language is Chinese. */
export const enduserErrors: DialectErrorRenderer = {
  render(error, request) {
    const entry = errorEntry(ENDUSER_ERRORS, error.code);
    const message = entry[enduserLanguage(request)];
    const field = error.details.field;
    return {
      status: entry.status ?? 200,
      outcome: entry.code,
      body: {
        code: entry.code,
        msg: typeof message === 'function' ? message(error) : message,
        data: null,
        extMsg: entry.code === 400 && field ? field : '',
      },
    };
  },
};
