import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';
import { maskMobile } from '../../users/phone';
import { PASSWORD_STRENGTH_RULES, SiteSettings } from './site-settings';
import { UserWechat } from './wechat/user-wechat.entity';

/** Discuz! Q's access and refresh tokens both live 30 days. */
export const TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface IssuedTokens {
  userId: number;
  accessToken: string;
  refreshToken: string;
}

/** The seed's success document of register, login and refresh-token. */
export function tokenDocument(tokens: IssuedTokens) {
  return {
    data: {
      type: 'token',
      id: String(tokens.userId),
      attributes: {
        token_type: 'Bearer',
        expires_in: TOKEN_TTL_SECONDS,
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
      },
    },
  };
}

/**
 * Every member of the site is in Discuz! Q's default group (id 10, 普通会员); unireg has no other groups.
 * The original's `type` attribute is left out: JSON:API reserves that name.
 */
const MEMBER_GROUP = {
  type: 'groups',
  id: '10',
  attributes: {
    name: '普通会员',
    color: '',
    icon: '',
    default: true,
    isDisplay: false,
    isPaid: false,
    fee: 0,
    days: 0,
    scale: 0,
    is_subordinate: false,
    is_commission: false,
  },
};

const groupsOf = () => [{ id: Number(MEMBER_GROUP.id), ...MEMBER_GROUP.attributes }];

/** What only the user itself sees of its own resource, read beside the entity; its own fields come with it. */
export interface OwnProfile {
  hasPassword: boolean;
  /** With `include=wechat`: the user's WeChat binding, or null when it has none; undefined when not asked. */
  wechat?: UserWechat | null;
}

/** The original's `wechats` resource (UserWechatSerializer), with the avatar; an id it does not hold is "", as there. */
const wechatResource = (binding: UserWechat) => ({
  type: 'wechats',
  id: String(binding.id),
  attributes: {
    mp_openid: binding.mpOpenid ?? '',
    dev_openid: binding.devOpenid ?? '',
    min_openid: binding.minOpenid ?? '',
    nickname: binding.nickname,
    sex: binding.sex,
    headimgurl: binding.headimgurl,
  },
});

/** The mobile as the web client sends it back to `sms/send`: the 11 digits of a mainland mobile, else E.164. */
const originalMobile = (e164: string) => (/^\+861[3-9]\d{9}$/.test(e164) ? e164.slice(3) : e164);

/** Discuz! Q's user status numbers: 0 normal (the only status a visible user has here). */
const STATUS_NORMAL = 0;

/**
 * The original's user resource. `attributes.id` repeats the resource id because the official web client
 * reads it there (`state.user.info.attributes.id`), although JSON:API reserves the name.
 */
export function userDocument(user: User, viewer: User, includeGroups: boolean, ownProfile?: OwnProfile) {
  const own = viewer.id === user.id;
  const attributes = {
    id: user.id,
    username: user.username ?? '',
    avatarUrl: '',
    isReal: false,
    threadCount: 0,
    followCount: 0,
    fansCount: 0,
    likedCount: 0,
    questionCount: 0,
    signature: '',
    usernameBout: 0,
    status: STATUS_NORMAL,
    loginAt: null,
    joinedAt: new Date(user.createdAt).toISOString(),
    expiredAt: null,
    createdAt: new Date(user.createdAt).toISOString(),
    updatedAt: new Date(user.updatedAt).toISOString(),
    canEdit: own,
    canDelete: false,
    showGroups: true,
    banReason: '',
    denyStatus: false,
    canBeAsked: false,
    canEditUsername: false,
    ...(own && ownProfile
      ? {
          registerReason: typeof user.profile.registerReason === 'string' ? user.profile.registerReason : '',
          mobile: user.phoneNormalized ? maskMobile(user.phoneNormalized) : '',
          originalMobile: user.phoneNormalized ? originalMobile(user.phoneNormalized) : '',
          hasPassword: ownProfile.hasPassword,
        }
      : {}),
  };
  const wechat = own ? ownProfile?.wechat : undefined;
  const included = [...(includeGroups ? [MEMBER_GROUP] : []), ...(wechat ? [wechatResource(wechat)] : [])];
  return {
    data: {
      type: 'users',
      id: String(user.id),
      attributes,
      relationships: {
        groups: { data: [{ type: MEMBER_GROUP.type, id: MEMBER_GROUP.id }] },
        ...(wechat === undefined ? {} : { wechat: { data: wechat ? { type: 'wechats', id: String(wechat.id) } : null } }),
      },
    },
    ...(included.length ? { included } : {}),
  };
}

export interface ForumContext {
  site: Tenant;
  settings: SiteSettings;
  /** `scheme://host` as the client reached the service. */
  siteUrl: string;
  /** The user of a valid Bearer token, if any. */
  viewer: User | null;
}

/** The parts of the original's `GET /api/forum` that the web client reads around its register and login forms. */
export function forumDocument({ site, settings, siteUrl, viewer }: ForumContext) {
  return {
    data: {
      type: 'forums',
      id: '1',
      attributes: {
        set_site: {
          site_name: settings.name,
          site_title: settings.name,
          site_keywords: '',
          site_introduction: '',
          site_mode: 'public',
          site_close: false,
          site_close_msg: '',
          site_favicon: '',
          site_logo: '',
          site_header_logo: '',
          site_background_image: '',
          site_url: siteUrl,
          site_stat: '',
          site_author: null,
          site_install: new Date(site.createdAt).toISOString(),
          site_record: '',
          site_cover: '',
          site_record_code: '',
          site_onlooker_price: 0,
        },
        set_reg: {
          // The original's name is inverted: true means registration is open (review mode included).
          register_close: settings.registerMode !== 'closed',
          register_validate: settings.registerMode === 'review',
          register_captcha: false,
          password_length: settings.passwordLength,
          password_strength: settings.passwordStrength.map((rule) => String(PASSWORD_STRENGTH_RULES.indexOf(rule))),
          register_type: settings.registerType,
        },
        // The `*_close` flags are inverted too: true means the WeChat login is offered. unireg's PC QR login
        // (oplatform) runs the official account's authorization on the phone, so it comes with that app.
        passport: {
          offiaccount_close: settings.offiaccount !== null,
          miniprogram_close: settings.miniprogram !== null,
          oplatform_close: settings.offiaccount !== null,
        },
        qcloud: {
          qcloud_app_id: '',
          qcloud_close: false,
          qcloud_cos: false,
          qcloud_captcha: false,
          qcloud_captcha_app_id: '',
          qcloud_faceid: false,
          qcloud_sms: settings.sms,
          qcloud_vod: false,
          qcloud_cos_doc_preview: false,
        },
        agreement: { privacy: false, privacy_content: '', register: false, register_content: '' },
        ...(viewer ? { user: { groups: groupsOf(), register_time: new Date(viewer.createdAt).toISOString() } } : {}),
      },
    },
  };
}
