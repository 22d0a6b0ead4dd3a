import { Command, Option, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand, parseCommonPasswordsOption, parseIntegerOption } from '../../../common/json-command';
import { CharacterClass } from '../../../users/password-rules';
import {
  canonicalStrength,
  PASSWORD_MAX_LENGTH,
  PASSWORD_STRENGTH_RULES,
  REGISTER_MODES,
  REGISTER_TYPES,
  RegisterMode,
  RegisterType,
  SiteSettings,
} from '../site-settings';
import { SiteService } from '../site.service';
import { WechatAppKind, WechatAppSetting, WechatAppsService } from '../wechat/wechat-apps';

interface SetOptions extends JsonOption {
  registerMode?: RegisterMode;
  passwordLength?: number;
  passwordStrength?: CharacterClass[];
  inviteRequired?: boolean;
  name?: string;
  commonPasswords?: boolean;
  sms?: boolean;
  registerType?: RegisterType;
  offiaccountAppId?: string;
  offiaccountAppSecret?: string;
  miniprogramAppId?: string;
  miniprogramAppSecret?: string;
}

const REGISTER_TYPE_NAMES: Record<RegisterType, string> = { 0: 'username', 1: 'phone', 2: 'WeChat' };

/** An app's AppID only: its secret is never shown, not even sealed. */
const shownApp = (app: WechatAppSetting | null) => (app ? { appId: app.appId } : null);

const view = (settings: SiteSettings) => ({
  ok: true,
  ...settings,
  offiaccount: shownApp(settings.offiaccount),
  miniprogram: shownApp(settings.miniprogram),
});

const human = (settings: SiteSettings) =>
  [
    `name: ${settings.name}`,
    `register mode: ${settings.registerMode}`,
    `password length: ${settings.passwordLength} (the rule is max(6, this))`,
    `password strength: ${settings.passwordStrength.join(',') || 'none'}`,
    `invite required: ${settings.inviteRequired}`,
    `banned words: ${settings.bannedWords.join(' ') || '-'}`,
    `common passwords: ${settings.allowCommonPasswords ? 'allowed' : 'refused'}`,
    `sms: ${settings.sms ? 'on' : 'off'}`,
    `register type: ${settings.registerType} (${REGISTER_TYPE_NAMES[settings.registerType]} first)`,
    `wechat official account: ${settings.offiaccount ? `${settings.offiaccount.appId} (secret set)` : 'off'}`,
    `wechat mini program: ${settings.miniprogram ? `${settings.miniprogram.appId} (secret set)` : 'off'}`,
  ].join('\n');

@SubCommand({ name: 'set', description: 'change the site settings of the JSON:API dialect; prints them all' })
export class SiteSetCommand extends JsonCommand<SetOptions> {
  constructor(
    private readonly site: SiteService,
    private readonly wechatApps: WechatAppsService,
  ) {
    super();
  }

  @Option({ flags: '--register-mode <mode>', description: 'open, review (users wait for `users approve`) or closed' })
  parseRegisterMode(value: string): RegisterMode {
    if (!REGISTER_MODES.includes(value as RegisterMode)) {
      throw new Error(`--register-mode must be one of ${REGISTER_MODES.join(', ')}`);
    }
    return value as RegisterMode;
  }

  @Option({ flags: '--password-length <n>', description: `minimum password length; below 6 means 6 (0-${PASSWORD_MAX_LENGTH})` })
  parsePasswordLength(value: string): number {
    return parseIntegerOption('--password-length', 0, PASSWORD_MAX_LENGTH)(value);
  }

  @Option({ flags: '--password-strength <rules>', description: `comma-separated: ${PASSWORD_STRENGTH_RULES.join(',')}, or none` })
  parsePasswordStrength(value: string): CharacterClass[] {
    if (value === 'none') {
      return [];
    }
    const rules = value.split(',').map((rule) => rule.trim());
    const unknown = rules.find((rule) => !PASSWORD_STRENGTH_RULES.includes(rule as CharacterClass));
    if (unknown !== undefined) {
      throw new Error(`--password-strength: unknown rule "${unknown}"; use ${PASSWORD_STRENGTH_RULES.join(',')} or none`);
    }
    return canonicalStrength(rules as CharacterClass[]);
  }

  @Option({ flags: '--invite-required <bool>', description: 'true: registering needs an invite code' })
  parseInviteRequired(value: string): boolean {
    if (value !== 'true' && value !== 'false') {
      throw new Error('--invite-required must be true or false');
    }
    return value === 'true';
  }

  @Option({ flags: '--name <name>', description: 'the site name (set_site.site_name)' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--common-passwords <state>', description: 'allowed, or refused (default): passwords from the common list' })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  @Option({ flags: '--sms <state>', description: 'on: SMS codes for sign-in, binding and password reset (/api/sms/*); off (default)' })
  parseSms(value: string): boolean {
    if (value !== 'on' && value !== 'off') {
      throw new Error('--sms must be on or off');
    }
    return value === 'on';
  }

  @Option({
    flags: '--register-type <type>',
    description: 'what the web client offers first: 0 username, 1 phone (needs --sms on), 2 WeChat',
  })
  parseRegisterType(value: string): RegisterType {
    const type = Number(value);
    if (!/^\d$/.test(value) || !REGISTER_TYPES.includes(type as RegisterType)) {
      throw new Error(`--register-type must be one of ${REGISTER_TYPES.join(', ')} (0 username, 1 phone, 2 WeChat)`);
    }
    return type as RegisterType;
  }

  @Option({
    flags: '--offiaccount-app-id <id>',
    description: 'the WeChat official account (web and PC QR sign-in) AppID, with --offiaccount-app-secret; none turns it off',
  })
  parseOffiaccountAppId(value: string): string {
    return value;
  }

  @Option({ flags: '--offiaccount-app-secret <secret>', description: "the official account's AppSecret, stored sealed and never shown" })
  parseOffiaccountAppSecret(value: string): string {
    return value;
  }

  @Option({
    flags: '--miniprogram-app-id <id>',
    description: 'the WeChat mini program AppID, with --miniprogram-app-secret; none turns it off',
  })
  parseMiniprogramAppId(value: string): string {
    return value;
  }

  @Option({ flags: '--miniprogram-app-secret <secret>', description: "the mini program's AppSecret, stored sealed and never shown" })
  parseMiniprogramAppSecret(value: string): string {
    return value;
  }

  async run(_params: string[], options: SetOptions): Promise<void> {
    const offiaccount = this.wechatApp('offiaccount', options.offiaccountAppId, options.offiaccountAppSecret);
    const miniprogram = this.wechatApp('miniprogram', options.miniprogramAppId, options.miniprogramAppSecret);
    const settings = await this.site.update({
      registerMode: options.registerMode,
      passwordLength: options.passwordLength,
      passwordStrength: options.passwordStrength,
      inviteRequired: options.inviteRequired,
      name: options.name,
      allowCommonPasswords: options.commonPasswords,
      sms: options.sms,
      registerType: options.registerType,
      offiaccount,
      miniprogram,
    });
    this.print(options, view(settings), human(settings));
  }

  /** An app is set with its AppID and AppSecret together, and turned off by `--<kind>-app-id none` alone. */
  private wechatApp(kind: WechatAppKind, appId: string | undefined, secret: string | undefined): WechatAppSetting | null | undefined {
    if (appId === undefined && secret === undefined) {
      return undefined;
    }
    if (appId === 'none' && secret === undefined) {
      return null;
    }
    if (appId === undefined || appId === 'none' || secret === undefined) {
      throw new Error(`--${kind}-app-id and --${kind}-app-secret go together; --${kind}-app-id none alone turns the app off`);
    }
    return this.wechatApps.seal(kind, appId, secret);
  }
}

@SubCommand({ name: 'show', description: 'print the site settings of the JSON:API dialect' })
export class SiteShowCommand extends JsonCommand {
  constructor(private readonly site: SiteService) {
    super();
  }

  async run(_params: string[], options: JsonOption): Promise<void> {
    const { settings } = await this.site.current();
    this.print(options, view(settings), human(settings));
  }
}

@Command({ name: 'site', description: 'the site of the JSON:API (Discuz! Q) dialect', subCommands: [SiteSetCommand, SiteShowCommand] })
export class SiteCommand extends ParentCommand {}
