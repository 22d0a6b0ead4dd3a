import { Injectable } from '@nestjs/common';
import { Transaction } from '../../../database/transaction';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { DomainError, FieldError } from '../../../error-codes/domain-error';
import { Tenant } from '../../../users/entities/tenant.entity';
import { User } from '../../../users/entities/user.entity';
import { RegistrationClaim } from '../../../users/registration-claim';
import { RequestAttributes } from '../dto/jsonapi-request.pipe';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { SessionTokensService } from '../session-tokens.service';
import { SiteSettings } from '../site-settings';
import { decryptMiniProgramUser } from './mini-program-data';
import { UserWechat } from './user-wechat.entity';
import { WechatApiClient, WechatAppCredentials } from './wechat-api.client';
import { WechatAppsService } from './wechat-apps';
import { WechatBindingsService } from './wechat-bindings.service';
import { WECHAT_SCOPES, WechatChannel, wechatIdentity, WechatIdentity } from './wechat-identity';

/** What `wx.login` and `wx.getUserInfo` hand a mini program, sent on to the server. */
export interface MiniProgramProof {
  jsCode: string;
  iv: string;
  encryptedData: string;
}

/** Longest values taken: WeChat's js_code is 32 characters, an IV 24, the encrypted profile a few kilobytes. */
const MINI_PROGRAM_LIMITS = { js_code: 256, iv: 64, encryptedData: 16384 } as const;

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

/** PHP's truthiness, which the original applies to `register` and `rebind`: absent, 0, "0", "" and false are off. */
export function flag(value: unknown, field: string): boolean {
  if (isAbsent(value) || value === 0 || value === '0' || value === false) {
    return false;
  }
  if (typeof value === 'object') {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, { field, params: { rule: 'format' } });
  }
  return true;
}

/**
 * `js_code`, `iv` and `encryptedData`: all three or none (each null or empty counts as absent). With
 * `required`, none is an error too.
 */
export function miniProgramProof(attributes: RequestAttributes, required: boolean): { proof?: MiniProgramProof; errors: FieldError[] } {
  const fields = Object.keys(MINI_PROGRAM_LIMITS) as (keyof typeof MINI_PROGRAM_LIMITS)[];
  if (!required && fields.every((field) => isAbsent(attributes[field]))) {
    return { errors: [] };
  }
  const errors: FieldError[] = [];
  for (const field of fields) {
    const value = attributes[field];
    if (isAbsent(value)) {
      errors.push({ field, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'required' } });
    } else if (typeof value !== 'string') {
      errors.push({ field, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'string' } });
    } else if (value.length > MINI_PROGRAM_LIMITS[field]) {
      errors.push({ field, code: DomainErrorCode.VALIDATION_FAILED, params: { rule: 'max', max: MINI_PROGRAM_LIMITS[field] } });
    }
  }
  if (errors.length) {
    return { errors };
  }
  const [jsCode, iv, encryptedData] = fields.map((field) => attributes[field] as string);
  return { proof: { jsCode, iv, encryptedData }, errors: [] };
}

/**
 * Turns what a client brings from WeChat into a WeChat user: an authorization code, a mini program's
 * `js_code` with its encrypted profile, or a session token an earlier `no_bind_user` handed out; and makes
 * the claims with which register and login bind that user.
 */
@Injectable()
export class WechatIdentitiesService {
  constructor(
    private readonly wechat: WechatApiClient,
    private readonly apps: WechatAppsService,
    private readonly bindings: WechatBindingsService,
    private readonly sessionTokens: SessionTokensService,
  ) {}

  /** The user who authorized the official account's `code`. */
  async fromCode(app: WechatAppCredentials, code: string, channel: WechatChannel): Promise<WechatIdentity> {
    return wechatIdentity(channel, { ...(await this.wechat.oauthProfile(app, code)) });
  }

  /** The mini program's user: `js_code` gives the openid and the session key, which opens the profile and is dropped. */
  async fromMiniProgram(app: WechatAppCredentials, proof: MiniProgramProof): Promise<WechatIdentity> {
    const session = await this.wechat.miniProgramSession(app, proof.jsCode);
    const data = decryptMiniProgramUser(session.sessionKey, proof.iv, proof.encryptedData, app.appId);
    // AES-CBC carries no MAC: a client can edit the plaintext block by block, so the ids come only from
    // jscode2session and the profile counts only when it names that same WeChat user.
    if (data.openId !== session.openid) {
      throw new DomainError(JsonApiUsersErrorCode.WECHAT_DECRYPT_FAILED, {
        reason: 'the encrypted profile does not name the openid of js_code',
      });
    }
    if (data.unionId !== null && session.unionid && data.unionId !== session.unionid) {
      throw new DomainError(JsonApiUsersErrorCode.WECHAT_DECRYPT_FAILED, { reason: 'the encrypted profile names another unionid' });
    }
    return wechatIdentity('miniprogram', {
      openid: session.openid,
      unionid: session.unionid,
      nickname: data.nickName,
      sex: data.gender,
      province: data.province,
      city: data.city,
      country: data.country,
      headimgurl: data.avatarUrl,
    });
  }

  /**
   * The WeChat users a register or login document asks to bind (Discuz! Q's `token` and `js_code`, `iv`,
   * `encryptedData`, with `rebind`), as claims spent in the user's transaction; `errors` are the attributes
   * that cannot be read. For a new user (`newUser`) an identity bound elsewhere fails at `check()`, before
   * the user is made; for a login that is decided by the bind, which knows the user.
   */
  claims(
    site: Tenant,
    settings: SiteSettings,
    attributes: RequestAttributes,
    newUser: boolean,
  ): { claims: RegistrationClaim[]; errors: FieldError[] } {
    const errors: FieldError[] = [];
    let rebind = false;
    try {
      rebind = flag(attributes.rebind, 'rebind');
    } catch (error) {
      errors.push(...(error as DomainError).fieldErrors);
    }
    const claims: RegistrationClaim[] = [];
    if (!isAbsent(attributes.token)) {
      claims.push(this.tokenClaim(site, attributes.token, rebind, newUser));
    }
    const mini = miniProgramProof(attributes, false);
    errors.push(...mini.errors);
    if (mini.proof) {
      claims.push(this.miniProgramClaim(site, settings, mini.proof, rebind, newUser));
    }
    return { claims, errors };
  }

  /** The user's WeChat binding, or null, for `include=wechat`. */
  bindingOf(user: Pick<User, 'id'>): Promise<UserWechat | null> {
    return this.bindings.ofUser(user.id);
  }

  /** Binds a WeChat user already proved (a sign-in that registers), as a claim of the registration. */
  bindingClaim(site: Tenant, identity: WechatIdentity, rebind: boolean): RegistrationClaim {
    return this.claim(site, async () => identity, undefined, rebind, true);
  }

  private tokenClaim(site: Tenant, token: unknown, rebind: boolean, newUser: boolean): RegistrationClaim {
    const session = this.sessionTokens.claim(site, token, WECHAT_SCOPES, 'token');
    return this.claim(
      site,
      async () => {
        const row = await session.check();
        return wechatIdentity(row.scope === 'wechatweb' ? 'pc' : 'offiaccount', row.payload);
      },
      (transaction) => session.spend(transaction),
      rebind,
      newUser,
    );
  }

  private miniProgramClaim(
    site: Tenant,
    settings: SiteSettings,
    proof: MiniProgramProof,
    rebind: boolean,
    newUser: boolean,
  ): RegistrationClaim {
    return this.claim(site, () => this.fromMiniProgram(this.apps.credentials(settings.miniprogram), proof), undefined, rebind, newUser);
  }

  /**
   * A claim on the identity `resolve` finds; a registration checks its claims twice (before the hash, and
   * when the first check may have raced), and a `js_code` works once, so the identity is found only once.
   */
  private claim(
    site: Tenant,
    resolve: () => Promise<WechatIdentity>,
    spendFirst: ((transaction: Transaction) => Promise<void>) | undefined,
    rebind: boolean,
    newUser: boolean,
  ): RegistrationClaim {
    let identity: Promise<WechatIdentity> | undefined;
    const resolved = () => (identity ??= resolve());
    return {
      provesEmail: false,
      check: async () => {
        const found = await resolved();
        if (newUser) {
          await this.bindings.assertBindable(site, found, rebind);
        }
      },
      spend: async (transaction, userId) => {
        await spendFirst?.(transaction);
        await this.bindings.bind(transaction, site, userId, await resolved(), { rebind, newUser });
      },
    };
  }
}
