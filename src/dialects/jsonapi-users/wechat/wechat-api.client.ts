import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../../error-codes/domain-error';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { WECHAT_CONFIG, WechatConfig } from './wechat.config';

/** How long one call to WeChat may take; tests shorten it. */
export const WECHAT_TIMEOUT_MS = Symbol('WECHAT_TIMEOUT_MS');
export const DEFAULT_WECHAT_TIMEOUT_MS = 10_000;

/** An app of the site (official account or mini program) with its secret opened. */
export interface WechatAppCredentials {
  appId: string;
  secret: string;
}

/** The profile WeChat's `sns/userinfo` answers, as unireg keeps it. */
export interface WechatProfile {
  openid: string;
  unionid: string | null;
  nickname: string;
  /** 1 male, 2 female, 0 unknown, as WeChat numbers it. */
  sex: number;
  province: string;
  city: string;
  country: string;
  headimgurl: string;
}

/** `sns/jscode2session`'s answer; `sessionKey` only ever decrypts the mini program's data and is never kept. */
export interface MiniProgramSession {
  openid: string;
  unionid: string | null;
  sessionKey: string;
}

/** WeChat's answers to a code that is wrong, expired, used, missing, or refused for its user. */
const CODE_ERRCODES = new Set([40029, 40163, 41008, 40226]);
/** Its answers to an AppID or AppSecret it does not accept. */
const APP_ERRCODES = new Set([40001, 40013, 40125, 41002, 41004, 40164]);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const id = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * WeChat's web authorization and mini program login over HTTP, at the configured base URLs only
 * (https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html,
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html).
 * An `errcode` answer is WECHAT_CODE_INVALID, WECHAT_APP_INVALID or WECHAT_REFUSED with the errcode; no
 * answer within the timeout, a network failure or a body that is not WeChat's JSON is WECHAT_UNAVAILABLE.
 * Secrets, codes and access tokens travel only in the requests to WeChat: no error or log line holds them.
 */
@Injectable()
export class WechatApiClient {
  constructor(
    @Inject(WECHAT_CONFIG) private readonly config: WechatConfig,
    @Inject(WECHAT_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  /** Where a browser asks the user to authorize the official account; WeChat wants the parameters in this order. */
  authorizeUrl(appId: string, redirectUri: string, state: string): string {
    const query = new URLSearchParams({
      appid: appId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'snsapi_userinfo',
      state,
    });
    return `${this.config.openUrl}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
  }

  /** The user who authorized `code`: the code is exchanged for an access token, which reads the profile and is forgotten. */
  async oauthProfile(app: WechatAppCredentials, code: string): Promise<WechatProfile> {
    const token = await this.get('/sns/oauth2/access_token', {
      appid: app.appId,
      secret: app.secret,
      code,
      grant_type: 'authorization_code',
    });
    const accessToken = text(token.access_token);
    const openid = text(token.openid);
    if (!accessToken || !openid) {
      throw new DomainError(JsonApiUsersErrorCode.WECHAT_UNAVAILABLE, {
        reason: 'sns/oauth2/access_token answered no access_token or openid',
      });
    }
    const info = await this.get('/sns/userinfo', { access_token: accessToken, openid, lang: 'zh_CN' });
    return {
      openid: text(info.openid) || openid,
      unionid: id(info.unionid) ?? id(token.unionid),
      nickname: text(info.nickname),
      sex: typeof info.sex === 'number' && Number.isInteger(info.sex) ? info.sex : 0,
      province: text(info.province),
      city: text(info.city),
      country: text(info.country),
      headimgurl: text(info.headimgurl),
    };
  }

  async miniProgramSession(app: WechatAppCredentials, jsCode: string): Promise<MiniProgramSession> {
    const session = await this.get('/sns/jscode2session', {
      appid: app.appId,
      secret: app.secret,
      js_code: jsCode,
      grant_type: 'authorization_code',
    });
    const openid = text(session.openid);
    const sessionKey = text(session.session_key);
    if (!openid || !sessionKey) {
      throw new DomainError(JsonApiUsersErrorCode.WECHAT_UNAVAILABLE, { reason: 'sns/jscode2session answered no openid or session_key' });
    }
    return { openid, unionid: id(session.unionid), sessionKey };
  }

  private async get(path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const url = `${this.config.apiUrl}${path}?${new URLSearchParams(query).toString()}`;
    let body: unknown;
    try {
      // WeChat answers errors with HTTP 200 and an errcode; any other status is a proxy or an outage speaking.
      const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      body = await response.json();
    } catch (error) {
      // The URL holds the secret and the code: only the path and the kind of failure are told.
      const kind =
        error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : error.message.split('\n')[0].slice(0, 80)) : 'failed';
      throw new DomainError(JsonApiUsersErrorCode.WECHAT_UNAVAILABLE, { reason: `${path}: ${kind}` });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new DomainError(JsonApiUsersErrorCode.WECHAT_UNAVAILABLE, { reason: `${path}: not a JSON object` });
    }
    const answer = body as Record<string, unknown>;
    const errcode = answer.errcode;
    if (typeof errcode === 'number' && errcode !== 0) {
      const code = CODE_ERRCODES.has(errcode)
        ? JsonApiUsersErrorCode.WECHAT_CODE_INVALID
        : APP_ERRCODES.has(errcode)
          ? JsonApiUsersErrorCode.WECHAT_APP_INVALID
          : JsonApiUsersErrorCode.WECHAT_REFUSED;
      throw new DomainError(code, { params: { errcode }, reason: `${path}: errcode ${errcode}` });
    }
    return answer;
  }
}
