import type { Request } from 'express';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { errorEntry } from '../../error-codes/dialect-error-renderer';
import { DomainError } from '../../error-codes/domain-error';
import {
  JSON_API_MEDIA_TYPE,
  JSONAPI_USERS_ERRORS,
  JsonApiUsersErrorCode,
  jsonApiUsersErrors,
  queryParameter,
} from './jsonapi-users.error-map';
import { NoBindUserError } from './no-bind-user.error';

const chinese = { headers: {} } as Request;
const english = { headers: { 'accept-language': 'en-GB,en;q=0.8' } } as unknown as Request;
const CJK = /[\u4e00-\u9fff]/;

type ErrorBody = { errors: { status: string; code: string; detail: string[]; source?: { pointer: string } }[] };
const render = (error: DomainError, request = chinese) => {
  const rendered = jsonApiUsersErrors.render(error, request);
  return { ...rendered, body: rendered.body as ErrorBody };
};

/** Every code this map renders: all core codes and the dialect's own. */
const CODES = [...Object.values(DomainErrorCode), ...Object.values(JsonApiUsersErrorCode)];

describe('jsonapi-users error map', () => {
  it.each(CODES)('renders %s as a JSON:API error document, Chinese by default and English on request', (code) => {
    const zh = render(
      new DomainError(code, { field: 'username', params: { min: 6, max: 15, remaining: 2, seconds: 60, expected: 'users' } }),
    );
    const en = render(
      new DomainError(code, { field: 'username', params: { min: 6, max: 15, remaining: 2, seconds: 60, expected: 'users' } }),
      english,
    );
    // A code the web client acts on by itself comes without words, which the client would show instead.
    const codeOnly = errorEntry(JSONAPI_USERS_ERRORS, code).codeOnly === true;
    expect(zh.status).toBeGreaterThanOrEqual(400);
    expect(zh.status).toBeLessThan(600);
    expect(zh.headers).toMatchObject({ 'Content-Type': JSON_API_MEDIA_TYPE });
    for (const { body } of [zh, en]) {
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toEqual({
        status: String(zh.status),
        code: expect.stringMatching(/^[a-z_]+$/),
        detail: codeOnly ? [] : [expect.any(String)],
        // An unknown member is named by its path in the document, every other field is an attribute.
        source: { pointer: code === DomainErrorCode.UNKNOWN_FIELD ? '/username' : '/data/attributes/username' },
      });
    }
    if (!codeOnly) {
      expect(zh.body.errors[0].detail[0]).toMatch(CJK);
      expect(en.body.errors[0].detail[0]).not.toMatch(CJK);
    }
  });

  it.each([
    [DomainErrorCode.VALIDATION_FAILED, 422, 'validation_error'],
    [DomainErrorCode.USERNAME_TAKEN, 422, 'validation_error'],
    [JsonApiUsersErrorCode.USERNAME_RESERVED, 422, 'validation_error'],
    [DomainErrorCode.PASSWORD_TOO_WEAK, 422, 'validation_error'],
    [JsonApiUsersErrorCode.REGISTER_REASON_REQUIRED, 422, 'validation_error'],
    [JsonApiUsersErrorCode.INVITE_CODE_INVALID, 422, 'validation_error'],
    [JsonApiUsersErrorCode.CONTENT_BANNED, 422, 'content_banned'],
    [JsonApiUsersErrorCode.REGISTRATION_CLOSED, 401, 'register_close'],
    [DomainErrorCode.REGISTRATION_PENDING_REVIEW, 401, 'register_validate'],
    [DomainErrorCode.ACCOUNT_PENDING_REVIEW, 401, 'register_validate'],
    [DomainErrorCode.ACCOUNT_REJECTED, 401, 'validate_reject'],
    [DomainErrorCode.ACCOUNT_DISABLED, 401, 'ban_user'],
    [DomainErrorCode.CREDENTIALS_INVALID, 403, 'login_failed'],
    [DomainErrorCode.LOGIN_LOCKED, 402, 'login_failures_times_toplimit'],
    [DomainErrorCode.UNAUTHORIZED, 401, 'access_denied'],
    [JsonApiUsersErrorCode.RESOURCE_NOT_FOUND, 404, 'model_not_found'],
    [JsonApiUsersErrorCode.RESOURCE_TYPE_CONFLICT, 409, 'conflict'],
    [DomainErrorCode.MALFORMED_REQUEST, 400, 'bad_request'],
    [DomainErrorCode.CONTENT_ENCODING_UNSUPPORTED, 415, 'unsupported_media_type'],
    [DomainErrorCode.ROUTE_NOT_FOUND, 404, 'route_not_found'],
    [DomainErrorCode.REFRESH_TOKEN_INVALID, 401, 'invalid_refresh_token'],
    [DomainErrorCode.RATE_LIMITED, 429, 'too_many_requests'],
    [DomainErrorCode.DATABASE_UNAVAILABLE, 503, 'service_unavailable'],
    [DomainErrorCode.INTERNAL, 500, 'internal_error'],
    [DomainErrorCode.PHONE_TAKEN, 400, 'mobile_is_already_bind'],
    [DomainErrorCode.PHONE_INVALID, 422, 'validation_error'],
    [DomainErrorCode.SMS_DELIVERY_FAILED, 502, 'sms_send_failed'],
    [JsonApiUsersErrorCode.SMS_DISABLED, 422, 'validation_error'],
    [JsonApiUsersErrorCode.SMS_VERIFY_ERROR, 422, 'sms_verify_error'],
    [JsonApiUsersErrorCode.SMS_INTERVAL, 429, 'sms_interval'],
    [JsonApiUsersErrorCode.MOBILE_ALREADY_BOUND, 400, 'mobile_is_already_bind'],
    [JsonApiUsersErrorCode.USER_HAS_MOBILE, 400, 'user_has_mobile'],
    [JsonApiUsersErrorCode.NOT_MATCH_USED_PASSWORD, 422, 'not_match_used_password'],
    [JsonApiUsersErrorCode.CANNOT_USE_THE_SAME_PASSWORD, 422, 'cannot_use_the_same_password'],
    [JsonApiUsersErrorCode.PERMISSION_DENIED, 403, 'permission_denied'],
  ])('maps %s to HTTP %i %s as docs/dialects/jsonapi-users.md says', (code, status, jsonApiCode) => {
    expect(errorEntry(JSONAPI_USERS_ERRORS, code)).toMatchObject({ status, code: jsonApiCode });
  });

  it('names the unsupported encoding, and says a malformed path is about the path, not the body', () => {
    const detail = (error: DomainError, request = chinese) => render(error, request).body.errors[0].detail[0];
    const encoding = new DomainError(DomainErrorCode.CONTENT_ENCODING_UNSUPPORTED, { params: { encoding: 'xz' } });
    expect(detail(encoding)).toContain('"xz"');
    expect(detail(encoding, english)).toBe('Unsupported Content-Encoding "xz".');
    const path = new DomainError(DomainErrorCode.MALFORMED_REQUEST, { params: { part: 'path' } });
    expect(detail(path)).toBe('请求路径格式错误：百分号编码无效。');
    expect(detail(path, english)).toBe('Malformed request path: invalid percent-encoding.');
    expect(detail(new DomainError(DomainErrorCode.MALFORMED_REQUEST), english)).toMatch(/JSON:API document/);
  });

  it("writes the seed's messages: `用户名 已经存在。`, with the space", () => {
    const { body } = render(new DomainError(DomainErrorCode.USERNAME_TAKEN, { field: 'username' }));
    expect(body.errors).toEqual([
      { status: '422', code: 'validation_error', detail: ['用户名 已经存在。'], source: { pointer: '/data/attributes/username' } },
    ]);
  });

  it('gives every field its own object, and one field all its messages', () => {
    const error = new DomainError(DomainErrorCode.USERNAME_REQUIRED, {
      fields: [
        { field: 'username', code: DomainErrorCode.USERNAME_REQUIRED },
        { field: 'password', code: DomainErrorCode.PASSWORD_TOO_WEAK, params: { min: 8 } },
        { field: 'password', code: DomainErrorCode.PASSWORD_TOO_WEAK, params: { requires: 'digits,uppercase' } },
        { field: 'username', code: JsonApiUsersErrorCode.CONTENT_BANNED },
      ],
    });
    expect(render(error).body.errors).toEqual([
      { status: '422', code: 'validation_error', detail: ['用户名 不能为空。'], source: { pointer: '/data/attributes/username' } },
      {
        status: '422',
        code: 'validation_error',
        detail: ['密码 至少为 8 个字符。', '密码格式不正确，必须包含数字、大写字母。'],
        source: { pointer: '/data/attributes/password' },
      },
      { status: '422', code: 'content_banned', detail: ['当前内容包含禁止发布的词语。'], source: { pointer: '/data/attributes/username' } },
    ]);
    expect(render(error, english).body.errors[1].detail).toEqual([
      'The password must be at least 8 characters.',
      'The password must contain digits, uppercase letters.',
    ]);
  });

  it.each([
    ['data', DomainErrorCode.MALFORMED_REQUEST, '/data'],
    ['data.type', JsonApiUsersErrorCode.RESOURCE_TYPE_CONFLICT, '/data/type'],
    ['data.attributes.__proto__', DomainErrorCode.UNKNOWN_FIELD, '/data/attributes/__proto__'],
    ['__proto__', DomainErrorCode.UNKNOWN_FIELD, '/__proto__'],
    ['a/b~c', DomainErrorCode.VALIDATION_FAILED, '/data/attributes/a~1b~0c'],
  ])('points at %s with %s', (field, code, pointer) => {
    expect(render(new DomainError(code, { field })).body.errors[0].source).toEqual({ pointer });
  });

  it('leaves out source when no field is at fault', () => {
    const { status, body } = render(new DomainError(JsonApiUsersErrorCode.REGISTRATION_CLOSED));
    expect({ status, body }).toEqual({
      status: 401,
      body: { errors: [{ status: '401', code: 'register_close', detail: ['站点禁止注册。'] }] },
    });
  });

  it('says how many tries are left, and when a lock ends', () => {
    expect(render(new DomainError(DomainErrorCode.CREDENTIALS_INVALID, { params: { remaining: 3 } })).body.errors[0].detail).toEqual([
      '帐号或密码错误，还可以尝试 3 次。',
    ]);
    const locked = render(new DomainError(DomainErrorCode.LOGIN_LOCKED, { params: { seconds: 61, minutes: 15 } }), english);
    expect(locked.body.errors[0].detail).toEqual(['Too many failed logins; try again in 2 minutes.']);
  });

  it("carries no_bind_user's session token and identity, and nothing the web client would show instead of acting", () => {
    const error = new NoBindUserError(JsonApiUsersErrorCode.NO_BIND_USER, 'T0ken', { nickname: '小明', headimgurl: 'https://x/a.png' });
    expect(render(error)).toMatchObject({
      status: 400,
      body: {
        errors: [
          {
            status: '400',
            code: 'no_bind_user',
            detail: [],
            token: 'T0ken',
            user: { nickname: '小明', headimgurl: 'https://x/a.png' },
            meta: { token: 'T0ken' },
          },
        ],
      },
    });
    expect(render(new NoBindUserError(JsonApiUsersErrorCode.NO_BIND_USER, '', null)).body.errors[0]).toMatchObject({
      token: '',
      user: null,
    });
  });

  it("copies WeChat's errcode into meta, and points at a query parameter as source.parameter", () => {
    const refused = render(new DomainError(JsonApiUsersErrorCode.WECHAT_CODE_INVALID, { params: { errcode: 40029 } }));
    expect(refused.body.errors[0]).toMatchObject({ status: '400', code: 'wechat_code_invalid', meta: { errcode: 40029 } });
    const invite = render(new DomainError(JsonApiUsersErrorCode.INVITE_CODE_INVALID, { field: queryParameter('inviteCode') }));
    expect(invite.body.errors[0]).toEqual({
      status: '422',
      code: 'validation_error',
      detail: ['邀请码 无效或已被使用。'],
      source: { parameter: 'inviteCode' },
    });
  });

  it('never leaks internal details', () => {
    const { body } = render(new DomainError(DomainErrorCode.INTERNAL, { reason: 'secret stack' }));
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
