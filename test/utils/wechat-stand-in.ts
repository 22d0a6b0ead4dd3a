import { createCipheriv, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** A WeChat user as the stand-in knows it. */
export interface WechatUser {
  openid: string;
  /** The mini program's openid of the same person (another app, another openid). */
  miniOpenid?: string;
  unionid?: string;
  nickname: string;
  sex?: number;
  province?: string;
  city?: string;
  country?: string;
  headimgurl?: string;
}

/** What a mini program sends its server after `wx.login` and `wx.getUserInfo`. */
export interface MiniProgramProof {
  js_code: string;
  iv: string;
  encryptedData: string;
}

export interface WechatApp {
  appId: string;
  secret: string;
}

/** `ok` answers; `hang` never does (a timeout); `errcode` answers every API call with that WeChat error. */
type Mode = { kind: 'ok' } | { kind: 'hang' } | { kind: 'errcode'; errcode: number };

const token = (bytes = 24) => randomBytes(bytes).toString('base64url');

/**
 * WeChat's web authorization and mini program login on 127.0.0.1, speaking the real paths, parameters and
 * answer shapes (https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html,
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html). Codes work once
 * and only for the app they were issued to; the mini program's profile is really AES-128-CBC encrypted
 * under a per-login session key. Every request's full URL is kept, for tests that look for leaks.
 */
export class WechatStandIn {
  readonly requests: string[] = [];
  /** Every secret the stand-in handed out or was given: app secrets, access tokens, session keys, codes. */
  readonly secrets = new Set<string>();
  mode: Mode = { kind: 'ok' };
  /** The WeChat user who consents on the authorization page, as a phone's or a browser's owner would. */
  consenting?: WechatUser;
  private readonly codes = new Map<string, { user: WechatUser; appId: string; used: boolean }>();
  private readonly accessTokens = new Map<string, WechatUser>();
  private readonly jsCodes = new Map<string, { user: WechatUser; appId: string; sessionKey: string; profile: string; used: boolean }>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((request, response) => this.answer(request, response));

  constructor(
    readonly offiaccount: WechatApp,
    readonly miniprogram: WechatApp,
  ) {
    this.secrets.add(offiaccount.secret).add(miniprogram.secret);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Closes the port and every connection, a hanging one included. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** An authorization code of the official account for `user`, as WeChat appends it to the redirect_uri. */
  code(user: WechatUser, appId = this.offiaccount.appId): string {
    const code = token(24);
    this.codes.set(code, { user, appId, used: false });
    this.secrets.add(code);
    return code;
  }

  /**
   * What `wx.login` and `wx.getUserInfo` give a mini program for `user`: a js_code, and the profile encrypted
   * under the session key jscode2session will answer for that code, watermarked for `watermarkAppId`.
   * `edit` changes the profile before it is encrypted, as a client able to forge it would.
   */
  miniProgramLogin(
    user: WechatUser,
    watermarkAppId = this.miniprogram.appId,
    edit: (profile: Record<string, unknown>) => Record<string, unknown> = (profile) => profile,
  ): MiniProgramProof {
    const jsCode = token(24);
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const sessionKey = key.toString('base64');
    const profile = JSON.stringify(edit(this.miniProgramProfile(user, watermarkAppId)));
    this.jsCodes.set(jsCode, { user, appId: this.miniprogram.appId, sessionKey, profile, used: false });
    this.secrets.add(jsCode).add(sessionKey);
    const cipher = createCipheriv('aes-128-cbc', key, iv);
    const encrypted = Buffer.concat([cipher.update(profile, 'utf8'), cipher.final()]);
    return { js_code: jsCode, iv: iv.toString('base64'), encryptedData: encrypted.toString('base64') };
  }

  /** The plaintext behind a js_code's encryptedData: a client knows its own profile. */
  plaintextOf(jsCode: string): string {
    return this.jsCodes.get(jsCode)!.profile;
  }

  private miniProgramProfile(user: WechatUser, watermarkAppId: string): Record<string, unknown> {
    return {
      openId: user.miniOpenid ?? user.openid,
      nickName: user.nickname,
      gender: user.sex ?? 0,
      language: 'zh_CN',
      city: user.city ?? '',
      province: user.province ?? '',
      country: user.country ?? '',
      avatarUrl: user.headimgurl ?? '',
      ...(user.unionid ? { unionId: user.unionid } : {}),
      watermark: { timestamp: 1767225600, appid: watermarkAppId },
    };
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    this.requests.push(request.url ?? '');
    if (this.mode.kind === 'hang') {
      return;
    }
    const url = new URL(request.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    if (url.pathname === '/connect/oauth2/authorize') {
      return this.authorize(query, response);
    }
    // Not WeChat's: what a mini program would get from wx.login and wx.getUserInfo, for trying the routes by hand.
    if (url.pathname === '/stand-in/mini-program-login' && this.consenting) {
      return this.json(response, { ...this.miniProgramLogin(this.consenting), ...(query.register ? { register: 1 } : {}) });
    }
    if (this.mode.kind === 'errcode') {
      return this.json(response, { errcode: this.mode.errcode, errmsg: 'stand-in error' });
    }
    switch (url.pathname) {
      case '/sns/oauth2/access_token':
        return this.json(response, this.accessToken(query));
      case '/sns/userinfo':
        return this.json(response, this.userInfo(query));
      case '/sns/jscode2session':
        return this.json(response, this.jscode2session(query));
      default:
        response.writeHead(404).end();
    }
  }

  /** The consenting user approves at once: back to redirect_uri with a fresh code and the state as given. */
  private authorize(query: Record<string, string>, response: ServerResponse): void {
    if (!this.consenting || query.appid !== this.offiaccount.appId || query.response_type !== 'code' || query.scope !== 'snsapi_userinfo') {
      response.writeHead(400).end('bad authorization request');
      return;
    }
    const back = new URL(query.redirect_uri);
    back.searchParams.set('code', this.code(this.consenting));
    back.searchParams.set('state', query.state ?? '');
    response.writeHead(302, { location: back.toString() }).end();
  }

  private accessToken(query: Record<string, string>): object {
    if (query.appid !== this.offiaccount.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (query.secret !== this.offiaccount.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (query.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const code = this.codes.get(query.code ?? '');
    if (!code || code.appId !== query.appid) return { errcode: 40029, errmsg: 'invalid code' };
    if (code.used) return { errcode: 40163, errmsg: 'code been used' };
    code.used = true;
    const accessToken = token(48);
    this.accessTokens.set(accessToken, code.user);
    this.secrets.add(accessToken);
    const refreshToken = token(48);
    this.secrets.add(refreshToken);
    return {
      access_token: accessToken,
      expires_in: 7200,
      refresh_token: refreshToken,
      openid: code.user.openid,
      scope: 'snsapi_userinfo',
      ...(code.user.unionid ? { unionid: code.user.unionid } : {}),
    };
  }

  private userInfo(query: Record<string, string>): object {
    const user = this.accessTokens.get(query.access_token ?? '');
    if (!user || user.openid !== query.openid)
      return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    return {
      openid: user.openid,
      nickname: user.nickname,
      sex: user.sex ?? 0,
      province: user.province ?? '',
      city: user.city ?? '',
      country: user.country ?? '',
      headimgurl: user.headimgurl ?? '',
      privilege: [],
      ...(user.unionid ? { unionid: user.unionid } : {}),
    };
  }

  private jscode2session(query: Record<string, string>): object {
    if (query.appid !== this.miniprogram.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (query.secret !== this.miniprogram.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    const login = this.jsCodes.get(query.js_code ?? '');
    if (!login) return { errcode: 40029, errmsg: 'invalid code' };
    if (login.used) return { errcode: 40163, errmsg: 'code been used' };
    login.used = true;
    return {
      openid: login.user.miniOpenid ?? login.user.openid,
      session_key: login.sessionKey,
      ...(login.user.unionid ? { unionid: login.user.unionid } : {}),
    };
  }

  /** WeChat answers its errors with HTTP 200 too. */
  private json(response: ServerResponse, body: object): void {
    response.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(JSON.stringify(body));
  }
}

/**
 * `node -r ts-node/register/transpile-only test/utils/wechat-stand-in.ts [port]`: the stand-in on its own, for
 * trying the WeChat routes by hand (docs/dialects/jsonapi-users.md#try-the-wechat-routes), with fixed apps and
 * one WeChat user who consents to everything.
 */
if (require.main === module) {
  const standIn = new WechatStandIn(
    { appId: 'wx0123456789abcdef', secret: '0123456789abcdef0123456789abcdef' },
    { appId: 'wxfedcba9876543210', secret: 'fedcba9876543210fedcba9876543210' },
  );
  standIn.consenting = {
    openid: 'oDemo_mp_0123456789abcdefgh',
    miniOpenid: 'oDemo_min_0123456789abcdefg',
    unionid: 'uDemo_0123456789abcdefghijk',
    nickname: '微信用户 Wei',
    sex: 1,
    city: 'Shenzhen',
    province: 'Guangdong',
    country: 'CN',
    headimgurl: 'https://thirdwx.qlogo.cn/mmopen/demo/132',
  };
  void standIn.start(Number(process.argv[2] ?? 3901)).then((url) => process.stdout.write(`WeChat stand-in on ${url}\n`));
}
