import { Tenant } from '../../users/entities/tenant.entity';
import { CharacterClass } from '../../users/password-rules';
import { NewTenant } from '../../users/tenants.service';
import { JSONAPI_USERS_TENANT_KIND } from './jsonapi-users.tenant-kind';
import { WechatAppSetting, wechatAppSetting } from './wechat/wechat-apps';

/** The one tenant of this dialect: a Discuz! Q installation is a single site. */
export const SITE_CODE = 'site';

export const REGISTER_MODES = ['open', 'review', 'closed'] as const;
export type RegisterMode = (typeof REGISTER_MODES)[number];

/** Discuz! Q's `register_type`: what the client puts first, 0 username, 1 phone (needs SMS), 2 WeChat. */
export const REGISTER_TYPES = [0, 1, 2] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];

/** Discuz! Q numbers its strength rules "0".."3" in this order (`set_reg.password_strength`). */
export const PASSWORD_STRENGTH_RULES: readonly CharacterClass[] = ['digits', 'lowercase', 'symbols', 'uppercase'];

/** Discuz! Q never accepts fewer than 6 or more than 50 characters, whatever the site says. */
export const PASSWORD_MIN_LENGTH = 6;
export const PASSWORD_MAX_LENGTH = 50;

export const SITE_NAME_MAX_LENGTH = 128;
export const BANNED_WORD_MAX_LENGTH = 64;

export interface SiteSettings {
  name: string;
  registerMode: RegisterMode;
  /** The operator's setting; the rule is max(6, this). */
  passwordLength: number;
  /** Character classes a password must contain, in Discuz! Q's order. */
  passwordStrength: CharacterClass[];
  inviteRequired: boolean;
  bannedWords: string[];
  /** Whether passwords from the common list are let through (the core's `allowCommonPasswords`). */
  allowCommonPasswords: boolean;
  /** SMS codes (`/api/sms/*`) are offered: Discuz! Q's `qcloud_sms`. */
  sms: boolean;
  registerType: RegisterType;
  /** The WeChat official account (web and PC QR sign-in) and mini program, their secrets sealed; null when not set. */
  offiaccount: WechatAppSetting | null;
  miniprogram: WechatAppSetting | null;
}

export const DEFAULT_SITE_SETTINGS: Readonly<SiteSettings> = {
  name: 'unireg',
  registerMode: 'open',
  passwordLength: PASSWORD_MIN_LENGTH,
  passwordStrength: [],
  inviteRequired: false,
  bannedWords: [],
  allowCommonPasswords: false,
  sms: false,
  registerType: 0,
  offiaccount: null,
  miniprogram: null,
};

export const DEFAULT_SITE: NewTenant = {
  kind: JSONAPI_USERS_TENANT_KIND,
  code: SITE_CODE,
  name: 'Discuz! Q site',
  settings: DEFAULT_SITE_SETTINGS,
};

const isRegisterMode = (value: unknown): value is RegisterMode => REGISTER_MODES.includes(value as RegisterMode);
const isLength = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= PASSWORD_MAX_LENGTH;
const isStrength = (value: unknown): value is CharacterClass[] =>
  Array.isArray(value) && value.every((rule) => PASSWORD_STRENGTH_RULES.includes(rule as CharacterClass));
const isRegisterType = (value: unknown): value is RegisterType => REGISTER_TYPES.includes(value as RegisterType);
const isWordList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((word) => typeof word === 'string' && word !== '');

/** The site's settings; a value someone broke by hand in the database falls back to its default, field by field. */
export function siteSettings(site: Tenant): SiteSettings {
  const raw = (site.settings ?? {}) as Partial<Record<keyof SiteSettings, unknown>>;
  return {
    name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : DEFAULT_SITE_SETTINGS.name,
    registerMode: isRegisterMode(raw.registerMode) ? raw.registerMode : DEFAULT_SITE_SETTINGS.registerMode,
    passwordLength: isLength(raw.passwordLength) ? raw.passwordLength : DEFAULT_SITE_SETTINGS.passwordLength,
    passwordStrength: isStrength(raw.passwordStrength) ? canonicalStrength(raw.passwordStrength) : [],
    inviteRequired: typeof raw.inviteRequired === 'boolean' ? raw.inviteRequired : DEFAULT_SITE_SETTINGS.inviteRequired,
    bannedWords: isWordList(raw.bannedWords) ? raw.bannedWords : [],
    allowCommonPasswords: raw.allowCommonPasswords === true,
    sms: raw.sms === true,
    registerType: isRegisterType(raw.registerType) ? raw.registerType : DEFAULT_SITE_SETTINGS.registerType,
    offiaccount: wechatAppSetting(raw.offiaccount),
    miniprogram: wechatAppSetting(raw.miniprogram),
  };
}

/** The rules without repeats, in Discuz! Q's order, so that messages and `set_reg` list them alike. */
export function canonicalStrength(rules: readonly CharacterClass[]): CharacterClass[] {
  return PASSWORD_STRENGTH_RULES.filter((rule) => rules.includes(rule));
}

export function minimumPasswordLength(settings: SiteSettings): number {
  return Math.max(PASSWORD_MIN_LENGTH, settings.passwordLength);
}
