import type { Request } from 'express';
import { BODY_LIMIT_TEXT } from '../../common/body-limit';
import { MALFORMED_PART_PATH } from '../../common/path-encoding';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../error-codes/domain-error';
import { DialectErrorRenderer, ErrorMap, errorEntry, Language, preferredLanguage } from '../../error-codes/dialect-error-renderer';
import { dialectErrorCodes, ErrorCode } from '../../error-codes/error-code';
import { NoBindUserError } from './no-bind-user.error';
import { PASSWORD_STRENGTH_RULES } from './site-settings';

/** The media type of every JSON:API document this dialect sends. */
export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

/** Discuz! Q answers in Chinese unless the client asks for English. */
export const jsonApiLanguage = (request: Request): Language => preferredLanguage(request, 'zh');

type Params = Readonly<Record<string, string | number>>;
type Text = (attribute: string, params: Params) => string;

interface JsonApiUsersError {
  status: number;
  /** Discuz! Q's error code, or a snake-case one in its style where the original has none. */
  code: string;
  zh: Text;
  en: Text;
  /** Params copied into the error object's `meta`, such as WeChat's own `errcode`. */
  meta?: readonly string[];
  /**
   * The web client acts on the code alone (a QR login still waiting, no_bind_user): `detail` stays empty,
   * because the client shows `detail[0]` instead of acting whenever there is one.
   */
  codeOnly?: true;
}

/**
 * How messages name each attribute; Chinese labels are the original's `validation.attributes`. A query
 * parameter (`?name`) has its own label where its name means something else in a body.
 */
const ATTRIBUTE_LABELS: Record<string, Record<Language, string>> = {
  '?code': { zh: '微信授权码', en: 'WeChat authorization code' },
  username: { zh: '用户名', en: 'username' },
  password: { zh: '密码', en: 'password' },
  register_reason: { zh: '注册原因', en: 'register reason' },
  code: { zh: '邀请码', en: 'invite code' },
  refresh_token: { zh: '刷新令牌', en: 'refresh token' },
  email: { zh: '邮箱', en: 'email' },
  mobile: { zh: '手机号', en: 'mobile' },
  token: { zh: '微信令牌', en: 'WeChat token' },
  js_code: { zh: '小程序登录凭证', en: 'mini program login code' },
  iv: { zh: '加密算法的初始向量', en: 'initialization vector' },
  encryptedData: { zh: '加密数据', en: 'encrypted data' },
  inviteCode: { zh: '邀请码', en: 'invite code' },
  type: { zh: '类型', en: 'type' },
  register: { zh: '注册', en: 'register' },
  mobileToken: { zh: '手机令牌', en: 'mobile token' },
  newPassword: { zh: '新密码', en: 'new password' },
  password_confirmation: { zh: '确认密码', en: 'password confirmation' },
  'data.type': { zh: '资源类型', en: 'resource type' },
};

const CLASS_LABELS: Record<string, Record<Language, string>> = {
  digits: { zh: '数字', en: 'digits' },
  lowercase: { zh: '小写字母', en: 'lowercase letters' },
  symbols: { zh: '符号', en: 'symbols' },
  uppercase: { zh: '大写字母', en: 'uppercase letters' },
};

const fixed =
  (text: string): Text =>
  () =>
    text;
const classes = (params: Params, language: Language) =>
  String(params.requires ?? '')
    .split(',')
    .filter((rule) => PASSWORD_STRENGTH_RULES.includes(rule as never))
    .map((rule) => CLASS_LABELS[rule][language])
    .join(language === 'zh' ? '、' : ', ');

/** Laravel's wording, which Discuz! Q's validator uses: `:attribute 已经存在。` (note the space). */
const rule = {
  required: { zh: (a: string) => `${a} 不能为空。`, en: (a: string) => `The ${a} field is required.` },
  string: { zh: (a: string) => `${a} 必须是一个字符串。`, en: (a: string) => `The ${a} must be a string.` },
  format: { zh: (a: string) => `${a} 格式不正确。`, en: (a: string) => `The ${a} format is invalid.` },
  unique: { zh: (a: string) => `${a} 已经存在。`, en: (a: string) => `The ${a} has already been taken.` },
  exists: { zh: (a: string) => `${a} 无效或已被使用。`, en: (a: string) => `The ${a} is invalid or has been used.` },
  max: {
    zh: (a: string, p: Params) => `${a} 不能大于 ${p.max} 个字符。`,
    en: (a: string, p: Params) => `The ${a} may not be greater than ${p.max} characters.`,
  },
  min: {
    zh: (a: string, p: Params) => `${a} 至少为 ${p.min} 个字符。`,
    en: (a: string, p: Params) => `The ${a} must be at least ${p.min} characters.`,
  },
  bytes: {
    zh: (a: string, p: Params) => `${a} 不能大于 ${p.bytes} 个字节。`,
    en: (a: string, p: Params) => `The ${a} may not be greater than ${p.bytes} bytes.`,
  },
};

/** The message of a validation rule, picked by the limit a check reports (`max`, `min`, `rule: 'string'`...). */
const byRule = (fallback: keyof typeof rule) => {
  const pick = (params: Params): keyof typeof rule => {
    if (typeof params.rule === 'string' && params.rule in rule) return params.rule as keyof typeof rule;
    if (params.max !== undefined) return 'max';
    if (params.bytes !== undefined) return 'bytes';
    if (params.min !== undefined) return 'min';
    return fallback;
  };
  return {
    zh: (a: string, p: Params) => rule[pick(p)].zh(a, p),
    en: (a: string, p: Params) => rule[pick(p)].en(a, p),
  };
};

const validation = (fallback: keyof typeof rule): JsonApiUsersError => ({ status: 422, code: 'validation_error', ...byRule(fallback) });

/** Too short, missing a character class the site requires, or on the common-password list (`rule: 'common'`). */
const PASSWORD_TOO_WEAK: JsonApiUsersError = {
  status: 422,
  code: 'validation_error',
  zh: (a, p) =>
    p.rule === 'common'
      ? `${a}过于常见，请换一个。`
      : p.min !== undefined
        ? rule.min.zh(a, p)
        : `${a}格式不正确，必须包含${classes(p, 'zh')}。`,
  en: (a, p) =>
    p.rule === 'common'
      ? `The ${a} is too common; choose another.`
      : p.min !== undefined
        ? rule.min.en(a, p)
        : `The ${a} must contain ${classes(p, 'en')}.`,
};

const BAD_REQUEST: JsonApiUsersError = {
  status: 400,
  code: 'bad_request',
  zh: fixed('请求格式错误：请以 application/vnd.api+json 或 application/json 发送 JSON:API 文档。'),
  en: fixed('Malformed request: send a JSON:API document as application/vnd.api+json or application/json.'),
};
const MALFORMED_REQUEST: JsonApiUsersError = {
  ...BAD_REQUEST,
  zh: (a, p) => (p.part === MALFORMED_PART_PATH ? '请求路径格式错误：百分号编码无效。' : BAD_REQUEST.zh(a, p)),
  en: (a, p) => (p.part === MALFORMED_PART_PATH ? 'Malformed request path: invalid percent-encoding.' : BAD_REQUEST.en(a, p)),
};
const INTERNAL_ERROR: JsonApiUsersError = {
  status: 500,
  code: 'internal_error',
  zh: fixed('系统错误，请联系管理员。'),
  en: fixed('Internal server error.'),
};
const SERVICE_UNAVAILABLE: JsonApiUsersError = {
  status: 503,
  code: 'service_unavailable',
  zh: fixed('服务暂时不可用，请稍后再试。'),
  en: fixed('Service temporarily unavailable, please try again later.'),
};
const ACCESS_DENIED: JsonApiUsersError = { status: 401, code: 'access_denied', zh: fixed('拒绝访问。'), en: fixed('Access denied.') };
const TOO_MANY_REQUESTS: JsonApiUsersError = {
  status: 429,
  code: 'too_many_requests',
  zh: fixed('请求过于频繁，请稍后再试。'),
  en: fixed('Too many requests, please try again later.'),
};

/** Conditions only this dialect raises; each key is one of its codes (`JsonApiUsersErrorCode`). */
const JSONAPI_USERS_OWN_ERRORS = {
  RESOURCE_TYPE_CONFLICT: {
    status: 409,
    code: 'conflict',
    zh: (_a, p) => `资源类型必须为 ${p.expected}。`,
    en: (_a, p) => `The resource type must be ${p.expected}.`,
  },
  /** A resource the client named by id (a user) does not exist or is not visible to it. */
  RESOURCE_NOT_FOUND: {
    status: 404,
    code: 'model_not_found',
    zh: fixed('您访问的内容不存在或已被删除。'),
    en: fixed('The resource does not exist or has been deleted.'),
  },
  USERNAME_RESERVED: { status: 422, code: 'validation_error', zh: fixed('无效的用户名。'), en: fixed('The username is invalid.') },
  CONTENT_BANNED: {
    status: 422,
    code: 'content_banned',
    zh: fixed('当前内容包含禁止发布的词语。'),
    en: fixed('The content contains banned words.'),
  },
  /** The site is open but its registration mode is closed (Discuz! Q `register_close`). */
  REGISTRATION_CLOSED: { status: 401, code: 'register_close', zh: fixed('站点禁止注册。'), en: fixed('Registration is closed.') },
  REGISTER_REASON_REQUIRED: validation('required'),
  INVITE_CODE_REQUIRED: validation('required'),
  INVITE_CODE_INVALID: validation('exists'),
  /** A WeChat user (or, in the SMS routes, a mobile) no account has yet; the error carries a session token to bind it. */
  NO_BIND_USER: {
    status: 400,
    code: 'no_bind_user',
    codeOnly: true,
    zh: fixed('未绑定用户。'),
    en: fixed('No account is bound to this identity yet.'),
  },
  /** `rebind=1`: the WeChat user is carried in a session token to the login or register that takes it over. */
  REBIND_MP_WECHAT: {
    status: 400,
    code: 'rebind_mp_wechat',
    codeOnly: true,
    zh: fixed('请登录或注册要绑定此微信的帐号。'),
    en: fixed('Log in to, or register, the account this WeChat user is to be bound to.'),
  },
  /** The WeChat user is bound to another account, or the account to another WeChat user, and `rebind` was not asked. */
  ACCOUNT_HAS_BEEN_BOUND: {
    status: 400,
    code: 'account_has_been_bound',
    zh: fixed('用户或微信已绑定。'),
    en: fixed('The account or the WeChat user is already bound.'),
  },
  PC_QRCODE_SCANNING: {
    status: 400,
    code: 'pc_qrcode_scanning_code',
    codeOnly: true,
    zh: fixed('扫码中。'),
    en: fixed('Waiting for the QR code to be scanned.'),
  },
  PC_QRCODE_TIME_OUT: {
    status: 400,
    code: 'pc_qrcode_time_out',
    zh: fixed('二维码已失效，扫码超时。'),
    en: fixed('The QR code has expired; ask for a new one.'),
  },
  WECHAT_NOT_CONFIGURED: {
    status: 400,
    code: 'wechat_not_configured',
    zh: fixed('站点未开启这种微信登录。'),
    en: fixed('This WeChat sign-in is not configured on the site.'),
  },
  /** A `state` the service did not issue, one past its 10 minutes, or one issued to another client session. */
  WECHAT_STATE_INVALID: {
    status: 400,
    code: 'wechat_state_invalid',
    zh: fixed('微信授权已失效或来源不符，请重新发起微信登录。'),
    en: fixed('The WeChat authorization state is invalid or expired; start the WeChat sign-in again.'),
  },
  WECHAT_REDIRECT_INVALID: {
    status: 400,
    code: 'wechat_redirect_invalid',
    zh: fixed('跳转地址无效：须为本站或已配置客户端的 http(s) 地址。'),
    en: fixed('The redirect must be an http(s) URL of this service or of a configured client origin.'),
  },
  WECHAT_CODE_INVALID: {
    status: 400,
    code: 'wechat_code_invalid',
    meta: ['errcode'],
    zh: fixed('微信授权码无效、已过期或已使用，请重新授权。'),
    en: fixed('The WeChat code is invalid, expired or already used; authorize again.'),
  },
  WECHAT_APP_INVALID: {
    status: 400,
    code: 'wechat_app_invalid',
    meta: ['errcode'],
    zh: fixed('微信拒绝了站点的 AppID 或 AppSecret，请联系管理员。'),
    en: fixed("WeChat refused the site's AppID or AppSecret; contact the administrator."),
  },
  WECHAT_REFUSED: {
    status: 400,
    code: 'wechat_error',
    meta: ['errcode'],
    zh: (_a, p) => `微信接口返回错误（errcode ${p.errcode ?? ''}）。`,
    en: (_a, p) => `WeChat answered with error ${p.errcode ?? ''}.`,
  },
  WECHAT_UNAVAILABLE: {
    status: 502,
    code: 'wechat_unavailable',
    zh: fixed('暂时无法连接微信服务，请稍后再试。'),
    en: fixed('WeChat could not be reached; try again later.'),
  },
  WECHAT_DECRYPT_FAILED: {
    status: 400,
    code: 'wechat_decrypt_failed',
    zh: fixed('微信用户数据解密失败，请重新授权。'),
    en: fixed('The WeChat user data could not be decrypted; authorize again.'),
  },
  WECHAT_WATERMARK_INVALID: {
    status: 400,
    code: 'wechat_watermark_invalid',
    zh: fixed('微信用户数据不属于本站小程序。'),
    en: fixed("The WeChat user data was issued to another mini program than the site's."),
  },
  /** `qcloud_sms` off: the original failed the mobile's validation with this message. */
  SMS_DISABLED: { status: 422, code: 'validation_error', zh: fixed('短信服务未开启。'), en: fixed('SMS is not enabled on this site.') },
  SMS_TYPE_INVALID: {
    status: 422,
    code: 'validation_error',
    zh: (a) => `${a} 必须是 login、bind、rebind、reset_pwd 或 verify。`,
    en: (a) => `The ${a} must be one of login, bind, rebind, reset_pwd, verify.`,
  },
  /** The SMS code's own messages: `code` is the invite code elsewhere in this dialect. */
  SMS_CODE_REQUIRED: {
    status: 422,
    code: 'validation_error',
    zh: fixed('验证码 不能为空。'),
    en: fixed('The verification code field is required.'),
  },
  SMS_VERIFY_ERROR: {
    status: 422,
    code: 'sms_verify_error',
    zh: fixed('验证码错误或已失效。'),
    en: fixed('The verification code is wrong, used or expired.'),
  },
  /** One code per mobile and type each 60 s, enforced here where the original left it to the client. */
  SMS_INTERVAL: {
    status: 429,
    code: 'sms_interval',
    zh: (_a, p) => `短信发送过于频繁，请 ${p.seconds ?? 60} 秒后再试。`,
    en: (_a, p) => `A code was sent to this mobile moments ago; try again in ${p.seconds ?? 60} seconds.`,
  },
  /** `bind` by a user who has a mobile already. */
  MOBILE_ALREADY_BOUND: {
    status: 400,
    code: 'mobile_is_already_bind',
    zh: fixed('当前帐号已绑定手机号。'),
    en: fixed('This account already has a mobile.'),
  },
  /** A `mobileToken` at login for a user who has another mobile. */
  USER_HAS_MOBILE: {
    status: 400,
    code: 'user_has_mobile',
    zh: fixed('该用户已绑定手机号。'),
    en: fixed('This user already has a mobile.'),
  },
  /** `reset_pwd` for a mobile no user has. */
  MOBILE_UNKNOWN: {
    status: 422,
    code: 'validation_error',
    zh: (a) => `${a} 未绑定任何帐号。`,
    en: (a) => `No account has this ${a}.`,
  },
  REBIND_UNVERIFIED: { status: 422, code: 'validation_error', zh: fixed('请验证旧的手机号。'), en: fixed('Verify the old mobile first.') },
  REBIND_SAME_MOBILE: { status: 422, code: 'validation_error', zh: fixed('请输入新的手机号。'), en: fixed('Enter a new mobile.') },
  NOT_MATCH_USED_PASSWORD: {
    status: 422,
    code: 'not_match_used_password',
    zh: fixed('原密码不匹配。'),
    en: fixed('The current password does not match.'),
  },
  CANNOT_USE_THE_SAME_PASSWORD: {
    status: 422,
    code: 'cannot_use_the_same_password',
    zh: fixed('新密码与原密码不能相同。'),
    en: fixed('The new password must differ from the current one.'),
  },
  PASSWORD_CONFIRMATION_MISMATCH: {
    status: 422,
    code: 'validation_error',
    zh: fixed('两次输入的密码不一致。'),
    en: fixed('The password confirmation does not match.'),
  },
  /** Changing another user: the original's `permission_denied`. */
  PERMISSION_DENIED: { status: 403, code: 'permission_denied', zh: fixed('没有权限，请联系站点管理员。'), en: fixed('Permission denied.') },
} satisfies Record<string, JsonApiUsersError>;

export const JsonApiUsersErrorCode = dialectErrorCodes(JSONAPI_USERS_OWN_ERRORS);
export type JsonApiUsersErrorCode = (typeof JsonApiUsersErrorCode)[keyof typeof JsonApiUsersErrorCode];

/**
 * Discuz! Q's status and code for every core and own error (docs/dialects/jsonapi-users.md#errors). Codes the original has (validation_error,
 * register_close, register_validate, validate_reject, login_failed, login_failures_times_toplimit,
 * content_banned, access_denied, model_not_found, route_not_found) keep its spelling and Chinese wording.
 */
export const JSONAPI_USERS_ERRORS: ErrorMap<JsonApiUsersError, typeof JSONAPI_USERS_OWN_ERRORS> = {
  ...JSONAPI_USERS_OWN_ERRORS,
  [C.MALFORMED_REQUEST]: MALFORMED_REQUEST,
  [C.PAYLOAD_TOO_LARGE]: {
    status: 413,
    code: 'payload_too_large',
    zh: fixed(`请求体过大（上限 ${BODY_LIMIT_TEXT}）。`),
    en: fixed(`Request body too large (limit ${BODY_LIMIT_TEXT}).`),
  },
  [C.CONTENT_ENCODING_UNSUPPORTED]: {
    status: 415,
    code: 'unsupported_media_type',
    zh: (_a, p) => `不支持的请求体编码（Content-Encoding）"${p.encoding ?? ''}"。`,
    en: (_a, p) => `Unsupported Content-Encoding "${p.encoding ?? ''}".`,
  },
  [C.ROUTE_NOT_FOUND]: { status: 404, code: 'route_not_found', zh: fixed('路由未找到。'), en: fixed('Route not found.') },
  [C.METHOD_NOT_ALLOWED]: { status: 405, code: 'method_not_allowed', zh: fixed('请求方法不允许。'), en: fixed('Method not allowed.') },
  [C.UNAUTHORIZED]: ACCESS_DENIED,
  [C.VALIDATION_FAILED]: validation('format'),
  [C.UNKNOWN_FIELD]: {
    status: 422,
    code: 'validation_error',
    zh: (a) => `${a} 不是可接受的字段。`,
    en: (a) => `The ${a} field is not accepted.`,
  },

  [C.TENANT_REQUIRED]: BAD_REQUEST,
  [C.TENANT_NOT_FOUND]: { status: 500, code: 'not_install', zh: fixed('该站点未安装。'), en: fixed('The site is not installed.') },
  [C.TENANT_DISABLED]: { status: 401, code: 'site_closed', zh: fixed('站点已关闭！'), en: fixed('The site is closed.') },
  [C.TENANT_MISCONFIGURED]: INTERNAL_ERROR,

  [C.EMAIL_REQUIRED]: validation('required'),
  [C.EMAIL_INVALID]: validation('format'),
  [C.EMAIL_TAKEN]: validation('unique'),
  [C.PHONE_INVALID]: validation('format'),
  [C.PHONE_TAKEN]: {
    status: 400,
    code: 'mobile_is_already_bind',
    zh: fixed('手机号已被绑定。'),
    en: fixed('The mobile is already bound to an account.'),
  },
  [C.USERNAME_REQUIRED]: validation('required'),
  [C.USERNAME_INVALID]: validation('format'),
  [C.USERNAME_TAKEN]: validation('unique'),
  [C.PASSWORD_REQUIRED]: validation('required'),
  [C.PASSWORD_INVALID]: validation('format'),
  [C.PASSWORD_TOO_WEAK]: PASSWORD_TOO_WEAK,
  [C.PASSWORD_TOO_LONG]: validation('max'),

  [C.REGISTRATION_PENDING_REVIEW]: {
    status: 401,
    code: 'register_validate',
    zh: fixed('注册成功，请等待管理员审核。'),
    en: fixed('Registered; the account is waiting for review.'),
  },

  [C.VERIFICATION_CODE_REQUIRED]: validation('required'),
  [C.VERIFICATION_CODE_INVALID]: validation('exists'),
  [C.VERIFICATION_CODE_EXPIRED]: validation('exists'),
  [C.VERIFICATION_CODE_TOO_SOON]: TOO_MANY_REQUESTS,
  [C.VERIFICATION_TYPE_UNSUPPORTED]: BAD_REQUEST,
  [C.MAIL_DELIVERY_FAILED]: SERVICE_UNAVAILABLE,
  [C.SMS_DELIVERY_FAILED]: {
    status: 502,
    code: 'sms_send_failed',
    zh: fixed('短信发送失败，请稍后再试。'),
    en: fixed('The SMS could not be sent; please try again later.'),
  },

  [C.CREDENTIALS_INVALID]: {
    status: 403,
    code: 'login_failed',
    zh: (_a, p) => `帐号或密码错误，还可以尝试 ${p.remaining ?? 0} 次。`,
    en: (_a, p) => `Wrong username or password; ${p.remaining ?? 0} ${p.remaining === 1 ? 'try' : 'tries'} left.`,
  },
  [C.LOGIN_LOCKED]: {
    status: 402,
    code: 'login_failures_times_toplimit',
    zh: (_a, p) => `密码错误次数过多，请 ${minutesLeft(p)} 分钟后再次尝试。`,
    en: (_a, p) => `Too many failed logins; try again in ${minutesLeft(p)} minutes.`,
  },
  [C.ACCOUNT_PENDING_REVIEW]: {
    status: 401,
    code: 'register_validate',
    zh: fixed('帐号审核中，请审核通过后尝试。'),
    en: fixed('The account is waiting for review.'),
  },
  [C.ACCOUNT_REJECTED]: {
    status: 401,
    code: 'validate_reject',
    zh: fixed('您的注册申请未通过，无法登录。'),
    en: fixed('The registration was rejected; the account cannot log in.'),
  },
  [C.ACCOUNT_DISABLED]: {
    status: 401,
    code: 'ban_user',
    zh: fixed('用户已被禁用，无法登录。'),
    en: fixed('The account is disabled and cannot log in.'),
  },
  [C.REFRESH_TOKEN_INVALID]: {
    status: 401,
    code: 'invalid_refresh_token',
    zh: fixed('刷新令牌无效、已过期或已被使用。'),
    en: fixed('The refresh token is invalid, expired or already used.'),
  },

  [C.RATE_LIMITED]: TOO_MANY_REQUESTS,
  [C.DATABASE_UNAVAILABLE]: SERVICE_UNAVAILABLE,
  [C.INTERNAL]: INTERNAL_ERROR,
};

function minutesLeft(params: Params): number {
  return Math.max(1, Math.ceil(Number(params.seconds ?? 60) / 60));
}

/** RFC 6901: `~` and `/` inside a member name are escaped. */
const escapePointer = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The dialect names attributes by their name and other members by their path (`data.type`); an unknown
 * member, found by the shared body checks, always comes as a path from the top of the document.
 */
function pointer(field: string, code: ErrorCode): string {
  const isPath = code === C.UNKNOWN_FIELD || field === 'data' || field.startsWith('data.');
  const path = isPath ? field.split('.') : ['data', 'attributes', field];
  return `/${path.map(escapePointer).join('/')}`;
}

/** A field named `?name` is the query parameter `name` (a GET route's input), reported as `source.parameter`. */
export const queryParameter = (name: string) => `?${name}`;

interface ErrorObject {
  status: string;
  code: string;
  detail: string[];
  source?: { pointer: string } | { parameter: string };
  meta?: Record<string, unknown>;
  token?: string;
  user?: Readonly<Record<string, string>> | null;
}

/** The entry's params named for `meta` (WeChat's `errcode`), or nothing when none was given. */
function metaOf(entry: JsonApiUsersError, params: Params): { meta?: Record<string, unknown> } {
  const meta = Object.fromEntries((entry.meta ?? []).filter((name) => params[name] !== undefined).map((name) => [name, params[name]]));
  return Object.keys(meta).length ? { meta } : {};
}

/** no_bind_user's own members: the web client reads `errors[0].token` and `errors[0].user`. */
function noBindUserMembers(error: DomainError): Pick<ErrorObject, 'token' | 'user' | 'meta'> {
  return error instanceof NoBindUserError ? { token: error.token, user: error.user, meta: { token: error.token } } : {};
}

function errorObjects(error: DomainError, language: Language): ErrorObject[] {
  const causes: (FieldError | { field?: undefined; code: ErrorCode; params?: Params })[] = error.fieldErrors.length
    ? error.fieldErrors
    : [{ code: error.code, params: error.details.params }];
  // One object per field and code, so every message about one attribute arrives together, as Laravel sends them.
  const objects = new Map<string, ErrorObject>();
  for (const cause of causes) {
    const entry = errorEntry(JSONAPI_USERS_ERRORS, cause.code);
    const parameter = cause.field?.startsWith('?') ? cause.field.slice(1) : undefined;
    const name = parameter ?? cause.field;
    const label = cause.field === undefined ? undefined : (ATTRIBUTE_LABELS[cause.field] ?? ATTRIBUTE_LABELS[name!]);
    const attribute = label?.[language] ?? name ?? '';
    const message = entry[language](attribute, cause.params ?? {});
    const key = `${cause.field ?? ''}\u0000${entry.code}`;
    const existing = objects.get(key);
    if (existing) {
      if (!entry.codeOnly) {
        existing.detail.push(message);
      }
      continue;
    }
    objects.set(key, {
      status: String(entry.status),
      code: entry.code,
      detail: entry.codeOnly ? [] : [message],
      ...(cause.field === undefined
        ? {}
        : { source: parameter === undefined ? { pointer: pointer(cause.field, cause.code) } : { parameter } }),
      ...metaOf(entry, cause.params ?? {}),
      ...(cause.field === undefined ? noBindUserMembers(error) : {}),
    });
  }
  return [...objects.values()];
}

/**
 * `{errors: [{status, code, detail: [...], source: {pointer}}]}`: one error object per failing field,
 * `detail` an array of messages as Discuz! Q sends it (clients show `detail[0]`).
 */
export const jsonApiUsersErrors: DialectErrorRenderer = {
  render(error, request) {
    const { status, code } = errorEntry(JSONAPI_USERS_ERRORS, error.code);
    const headers: Record<string, string> = { 'Content-Type': JSON_API_MEDIA_TYPE };
    const errors = errorObjects(error, jsonApiLanguage(request));
    return { status, outcome: errors[0]?.code ?? code, body: { errors }, headers };
  },
};
