import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';
import { PASSWORD_STRENGTH_RULES, SiteSettings } from './site-settings';

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

/** Discuz! Q's user status numbers: 0 normal (the only status a visible user has here). */
const STATUS_NORMAL = 0;

/**
 * The original's user resource. `attributes.id` repeats the resource id because the official web client
 * reads it there (`state.user.info.attributes.id`), although JSON:API reserves the name.
 */
export function userDocument(user: User, viewer: User, includeGroups: boolean) {
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
    ...(own
      ? {
          registerReason: typeof user.profile.registerReason === 'string' ? user.profile.registerReason : '',
          mobile: '',
          originalMobile: '',
          hasPassword: true,
        }
      : {}),
  };
  return {
    data: {
      type: 'users',
      id: String(user.id),
      attributes,
      relationships: { groups: { data: [{ type: MEMBER_GROUP.type, id: MEMBER_GROUP.id }] } },
    },
    ...(includeGroups ? { included: [MEMBER_GROUP] } : {}),
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
          register_type: 0,
        },
        // The `*_close` flags are inverted too: false means the WeChat login is not offered.
        passport: { offiaccount_close: false, miniprogram_close: false, oplatform_close: false },
        qcloud: {
          qcloud_app_id: '',
          qcloud_close: false,
          qcloud_cos: false,
          qcloud_captcha: false,
          qcloud_captcha_app_id: '',
          qcloud_faceid: false,
          qcloud_sms: false,
          qcloud_vod: false,
          qcloud_cos_doc_preview: false,
        },
        agreement: { privacy: false, privacy_content: '', register: false, register_content: '' },
        ...(viewer ? { user: { groups: groupsOf(), register_time: new Date(viewer.createdAt).toISOString() } } : {}),
      },
    },
  };
}
