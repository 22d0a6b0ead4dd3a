import { randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { toDataURL } from 'qrcode';
import { Clock } from '../../../clock/clock';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../../error-codes/domain-error';
import { Tenant } from '../../../users/entities/tenant.entity';
import { User, UserStatus } from '../../../users/entities/user.entity';
import { RegistrationClaim } from '../../../users/registration-claim';
import { UsersService } from '../../../users/users.service';
import { RequestAttributes } from '../dto/jsonapi-request.pipe';
import { InvitesService } from '../invites.service';
import { JsonApiUsersErrorCode as J, queryParameter } from '../jsonapi-users.error-map';
import { JsonApiUsersService } from '../jsonapi-users.service';
import { NoBindUserError } from '../no-bind-user.error';
import { checkInviteCode, checkUsername, stripWhitespace, USERNAME_MAX_LENGTH, usernameContentErrors } from '../registration-rules';
import { SessionToken } from '../session-token.entity';
import { SessionTokensService } from '../session-tokens.service';
import { SiteSettings } from '../site-settings';
import { SiteService } from '../site.service';
import { OauthStates } from './oauth-state';
import { UserWechat } from './user-wechat.entity';
import { WechatApiClient } from './wechat-api.client';
import { WechatAppsService } from './wechat-apps';
import { WechatBindingsService } from './wechat-bindings.service';
import { flag, miniProgramProof, WechatIdentitiesService } from './wechat-identities.service';
import { channelScope, identityPayload, wechatIdentity, WechatIdentity } from './wechat-identity';

/** Discuz! Q's session tokens live 5 minutes: a `no_bind_user` token, and a PC QR code waiting for its phone. */
const WECHAT_SESSION_TTL_SECONDS = 300;

/** What the phone that scanned a PC QR code is told; the PC's poll gets the rest. */
const PC_LOGIN_DOCUMENT = { data: { type: 'wechat_pc_login', id: '1', attributes: { pc_login: true } } } as const;

/** Discuz! Q's `register_reason` of users its WeChat sign-ins create, what an operator reviewing them reads. */
const REGISTER_REASONS = { offiaccount: '公众号网页注册', pc: '公众号网页注册', miniprogram: '微信小程序注册' } as const;

/** The prefix of a made-up username (`validation.attributes.username_prefix`), as the original's `getNewUsername`. */
const USERNAME_PREFIX = '网友';
const RANDOM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * What the username rules refuse (controls, format and invisible characters, lone surrogates, private use and
 * unassigned code points): dropped from a nickname, so that one stray mark does not cost a user its name.
 */
const NOT_IN_USERNAMES = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Names tried before giving up on a username race: the nickname, twice with digits, then made-up ones. */
const USERNAME_TRIES = 6;

/** The PC QR login waits in its session token until the phone completes it. */
type PcOutcome = { outcome: 'bound' } | { outcome: 'no_bind_user'; identity: Record<string, unknown> };

/** A query parameter that must be one string (Express makes a repeated one an array). */
function queryString(value: unknown, name: string, max: number, missing: () => DomainError): string;
function queryString(value: unknown, name: string, max: number): string | undefined;
function queryString(value: unknown, name: string, max: number, missing?: () => DomainError): string | undefined {
  if (value === undefined || value === '') {
    if (missing) {
      throw missing();
    }
    return undefined;
  }
  if (typeof value !== 'string' || value.length > max) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, { field: queryParameter(name), params: { rule: 'format' } });
  }
  return value;
}

/**
 * The query with `name[...]` keys read as PHP reads them, an array under `name`: Express's simple parser keeps
 * `code[a]=1` as a key of its own, which would leave `code` looking absent instead of not a string.
 */
function phpQuery(query: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const read: Record<string, unknown> = { ...query };
  for (const key of Object.keys(query)) {
    const name = /^([^[\]]+)\[/.exec(key)?.[1];
    if (name !== undefined) {
      read[name] = [read[name] ?? [], query[key]].flat();
    }
  }
  return read;
}

function fieldErrors(errors: FieldError[]): DomainError {
  const [first] = errors;
  return new DomainError(first.code, { field: first.field, params: first.params, fields: errors });
}

const shownUser = (identity: WechatIdentity) => ({ nickname: identity.nickname, headimgurl: identity.headimgurl });

/**
 * Discuz! Q's WeChat sign-in routes (docs/dialects/jsonapi-users.md#wechat): the official account's web
 * authorization, the PC QR login that runs it on a phone, and the mini program's login. A bound WeChat user
 * gets the token document; an unbound one registers (`register=1`) or gets `no_bind_user` with a session
 * token that a later register or login binds.
 */
@Injectable()
export class WechatSignInService {
  private readonly states: OauthStates;

  constructor(
    private readonly site: SiteService,
    private readonly apps: WechatAppsService,
    private readonly wechat: WechatApiClient,
    private readonly identities: WechatIdentitiesService,
    private readonly bindings: WechatBindingsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
    private readonly jsonApi: JsonApiUsersService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.states = new OauthStates(config.security.jwtSecret);
  }

  /**
   * Where `GET /api/oauth/wechat` sends the browser: WeChat's authorization, coming back to the client's
   * `redirect` (on PUBLIC_URL or a CORS origin), or, for the phone of a PC QR login (`session_token`), to
   * `/api/oauth/wechat/user` on PUBLIC_URL. The `state` is bound to the client's `sessionId`, or to the QR login.
   */
  async authorizeUrl(parameters: Readonly<Record<string, unknown>>): Promise<string> {
    const query = phpQuery(parameters);
    const { site, settings } = await this.site.current();
    const app = this.apps.credentials(settings.offiaccount);
    const pcToken = queryString(query.session_token, 'session_token', 128);
    let redirectUri: string;
    let flow: string;
    if (pcToken !== undefined) {
      await this.pcLogin(site, pcToken);
      redirectUri = `${this.config.server.publicUrl}/api/oauth/wechat/user?${new URLSearchParams({ session_token: pcToken }).toString()}`;
      flow = `pc:${pcToken}`;
    } else {
      redirectUri = this.clientRedirect(query.redirect);
      flow = `client:${queryString(query.sessionId, 'sessionId', 128) ?? ''}`;
    }
    return this.wechat.authorizeUrl(app.appId, redirectUri, this.states.issue(site.id, flow, this.clock.now()));
  }

  /** `GET /api/oauth/wechat/user`: where WeChat's authorization comes back with `code` and `state`. */
  async callback(parameters: Readonly<Record<string, unknown>>) {
    const query = phpQuery(parameters);
    const { site, settings } = await this.site.current();
    const app = this.apps.credentials(settings.offiaccount);
    const code = queryString(query.code, 'code', 512, () => new DomainError(J.WECHAT_CODE_INVALID, { field: queryParameter('code') }));
    const state = queryString(query.state, 'state', 128, () => new DomainError(J.WECHAT_STATE_INVALID));
    const pcToken = queryString(query.session_token, 'session_token', 128);
    const flow = pcToken !== undefined ? `pc:${pcToken}` : `client:${queryString(query.sessionId, 'sessionId', 128) ?? ''}`;
    if (!this.states.verify(state, site.id, flow, this.clock.now())) {
      throw new DomainError(J.WECHAT_STATE_INVALID);
    }
    const register = flag(query.register, queryParameter('register'));
    const rebind = flag(query.rebind, queryParameter('rebind'));
    if (pcToken !== undefined) {
      const waiting = await this.pcLogin(site, pcToken);
      return this.completePcLogin(site, waiting, await this.identities.fromCode(app, code, 'pc'));
    }
    const identity = await this.identities.fromCode(app, code, 'offiaccount');
    if (rebind) {
      throw new NoBindUserError(J.REBIND_MP_WECHAT, await this.carry(site, identity), shownUser(identity));
    }
    const signedIn = await this.signInBound(site, identity);
    if (signedIn) {
      return signedIn;
    }
    if (register) {
      return this.register(site, settings, identity, {
        invite: query.inviteCode,
        inviteField: queryParameter('inviteCode'),
        rebind: false,
      });
    }
    throw new NoBindUserError(J.NO_BIND_USER, await this.carry(site, identity), shownUser(identity));
  }

  /** `GET /api/oauth/wechat/pc/qrcode`: a QR login waiting 5 minutes for a phone, and the PNG of the URL the phone opens. */
  async pcQrCode() {
    const { site, settings } = await this.site.current();
    this.apps.credentials(settings.offiaccount);
    const token = await this.sessionTokens.issue(site, 'wechat_pc_login', {}, WECHAT_SESSION_TTL_SECONDS);
    const url = `${this.config.server.publicUrl}/api/oauth/wechat?${new URLSearchParams({ session_token: token }).toString()}`;
    return {
      data: {
        type: 'wechat_pc_code',
        id: '1',
        attributes: { session_token: token, base64_img: await toDataURL(url, { type: 'image/png' }) },
      },
    };
  }

  /**
   * `GET /api/oauth/wechat/pc/login/{session_token}`: `pc_qrcode_scanning_code` until the phone has been
   * through WeChat, then once the token document (or `no_bind_user` with a `wechatweb` session token);
   * afterwards, and once expired, `pc_qrcode_time_out`.
   */
  async pcPoll(token: string) {
    const { site } = await this.site.current();
    const waiting = await this.pcLogin(site, token);
    const payload = waiting.payload as Partial<PcOutcome>;
    if (payload.outcome !== 'bound' && payload.outcome !== 'no_bind_user') {
      throw new DomainError(J.PC_QRCODE_SCANNING);
    }
    if (!(await this.sessionTokens.consume(waiting))) {
      throw new DomainError(J.PC_QRCODE_TIME_OUT);
    }
    if (payload.outcome === 'no_bind_user') {
      const identity = wechatIdentity('pc', payload.identity ?? {});
      throw new NoBindUserError(J.NO_BIND_USER, await this.carry(site, identity), shownUser(identity));
    }
    const user = waiting.userId === null ? null : await this.users.find(site.id, waiting.userId);
    if (!user) {
      throw new DomainError(J.PC_QRCODE_TIME_OUT);
    }
    return this.jsonApi.signIn(site, user, 'login:wechat');
  }

  /** `POST /api/oauth/wechat/miniprogram`: `js_code`, `iv`, `encryptedData`, and `register`, `rebind`, `code` (an invite). */
  async miniProgram(attributes: RequestAttributes) {
    const { site, settings } = await this.site.current();
    const app = this.apps.credentials(settings.miniprogram);
    const { proof, errors } = miniProgramProof(attributes, true);
    const register = flag(attributes.register, 'register');
    const rebind = flag(attributes.rebind, 'rebind');
    if (!proof) {
      throw fieldErrors(errors);
    }
    const identity = await this.identities.fromMiniProgram(app, proof);
    // `rebind` takes the WeChat user away from its account, so only a registration may follow it here.
    const signedIn = rebind ? null : await this.signInBound(site, identity);
    if (signedIn) {
      return signedIn;
    }
    if (register) {
      return this.register(site, settings, identity, { invite: attributes.code, inviteField: 'code', rebind });
    }
    throw new NoBindUserError(J.NO_BIND_USER, '', { username: identity.nickname, headimgurl: identity.headimgurl });
  }

  /** The live QR login, or `pc_qrcode_time_out`. */
  private async pcLogin(site: Tenant, token: string): Promise<SessionToken> {
    const waiting = await this.sessionTokens.find(site, token, ['wechat_pc_login']);
    if (!waiting) {
      throw new DomainError(J.PC_QRCODE_TIME_OUT);
    }
    return waiting;
  }

  /** Leaves the phone's outcome in the QR login for the PC's poll: a user id, or the unbound WeChat user. */
  private async completePcLogin(site: Tenant, waiting: SessionToken, identity: WechatIdentity) {
    const binding = await this.bindings.find(site, identity);
    const outcome: PcOutcome = binding ? { outcome: 'bound' } : { outcome: 'no_bind_user', identity: identityPayload(identity) };
    if (!(await this.sessionTokens.complete(waiting, { userId: binding?.userId ?? null, payload: outcome }))) {
      throw new DomainError(J.PC_QRCODE_TIME_OUT);
    }
    if (binding) {
      await this.bindings.refresh(binding, identity);
    }
    return PC_LOGIN_DOCUMENT;
  }

  /** The token document of the user the identity is bound to (its profile refreshed), or null when it is bound to none. */
  private async signInBound(site: Tenant, identity: WechatIdentity) {
    const binding: UserWechat | null = await this.bindings.find(site, identity);
    const user = binding && (await this.users.find(site.id, binding.userId));
    if (!binding || !user) {
      return null;
    }
    await this.bindings.refresh(binding, identity);
    return this.jsonApi.signIn(site, user, 'login:wechat');
  }

  /** A session token carrying the WeChat user to the register or login that binds it. */
  private carry(site: Tenant, identity: WechatIdentity): Promise<string> {
    return this.sessionTokens.issue(site, channelScope(identity.channel), identityPayload(identity), WECHAT_SESSION_TTL_SECONDS);
  }

  /**
   * Discuz! Q's `AutoRegisterUser`: a user without a password, named after the WeChat nickname (white space
   * removed, 15 characters), with digits when that is taken, or `网友` and 6 random characters when the
   * nickname cannot be a username; the identity is bound in the user's own transaction. Closed: 401
   * register_close; review: created pending, 401 register_validate.
   */
  private async register(
    site: Tenant,
    settings: SiteSettings,
    identity: WechatIdentity,
    options: { invite: unknown; inviteField: string; rebind: boolean },
  ) {
    if (settings.registerMode === 'closed') {
      throw new DomainError(J.REGISTRATION_CLOSED);
    }
    const invite = checkInviteCode(options.invite, settings, options.inviteField);
    if (invite.errors.length) {
      throw fieldErrors(invite.errors);
    }
    const claims: RegistrationClaim[] = [
      ...(invite.value === undefined ? [] : [this.invites.claim(site, invite.value, options.inviteField)]),
      this.identities.bindingClaim(site, identity, options.rebind),
    ];
    const review = settings.registerMode === 'review';
    const user = await this.registerNamed(site, settings, identity, claims, review);
    if (review) {
      throw new DomainError(DomainErrorCode.REGISTRATION_PENDING_REVIEW);
    }
    return this.jsonApi.signIn(site, user, 'login:register');
  }

  private async registerNamed(
    site: Tenant,
    settings: SiteSettings,
    identity: WechatIdentity,
    claims: RegistrationClaim[],
    review: boolean,
  ): Promise<User> {
    const nickname = this.nicknameUsername(identity.nickname, settings.bannedWords);
    for (let attempt = 0; ; attempt++) {
      const username =
        nickname !== undefined && attempt === 0
          ? nickname
          : nickname !== undefined && attempt < 3
            ? `${[...nickname].slice(0, USERNAME_MAX_LENGTH - 4).join('')}${randomInt(10_000).toString().padStart(4, '0')}`
            : `${USERNAME_PREFIX}${[...randomBytes(6)].map((byte) => RANDOM_ALPHABET[byte % RANDOM_ALPHABET.length]).join('')}`;
      try {
        return await this.users.register({
          tenant: site,
          username,
          registerSource: `jsonapi-users:wechat-${identity.channel}`,
          status: review ? UserStatus.PendingReview : UserStatus.Active,
          profile: { registerReason: REGISTER_REASONS[identity.channel] },
          claims,
          fields: { username: 'username' },
        });
      } catch (error) {
        const nameRefused =
          error instanceof DomainError &&
          (error.code === DomainErrorCode.USERNAME_TAKEN || error.code === DomainErrorCode.USERNAME_INVALID);
        if (!nameRefused || attempt + 1 >= USERNAME_TRIES) {
          throw error;
        }
      }
    }
  }

  /** The nickname as a username, or undefined when the site's username rules refuse it. */
  private nicknameUsername(nickname: string, bannedWords: readonly string[]): string | undefined {
    const name = [...stripWhitespace(nickname).replace(NOT_IN_USERNAMES, '')].slice(0, USERNAME_MAX_LENGTH).join('');
    const checked = checkUsername(name);
    return checked.value !== undefined && usernameContentErrors(checked.value, bannedWords).length === 0 ? checked.value : undefined;
  }

  /** The client's own page to come back to: an http(s) URL on PUBLIC_URL's origin or a CORS origin, or a path on PUBLIC_URL. */
  private clientRedirect(value: unknown): string {
    const redirect = queryString(value, 'redirect', 2048, () => new DomainError(J.WECHAT_REDIRECT_INVALID));
    const publicUrl = new URL(this.config.server.publicUrl);
    let url: URL;
    try {
      url = redirect.startsWith('/') && !redirect.startsWith('//') ? new URL(redirect, publicUrl.origin) : new URL(redirect);
    } catch {
      throw new DomainError(J.WECHAT_REDIRECT_INVALID);
    }
    const origins = [publicUrl.origin, ...this.config.server.corsOrigins];
    if (!/^https?:$/.test(url.protocol) || url.username || url.password || !origins.includes(url.origin)) {
      throw new DomainError(J.WECHAT_REDIRECT_INVALID);
    }
    return url.href;
  }
}
