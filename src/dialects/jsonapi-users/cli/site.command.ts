import { Command, Option, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand, parseCommonPasswordsOption, parseIntegerOption } from '../../../common/json-command';
import { CharacterClass } from '../../../users/password-rules';
import {
  canonicalStrength,
  PASSWORD_MAX_LENGTH,
  PASSWORD_STRENGTH_RULES,
  REGISTER_MODES,
  RegisterMode,
  SiteSettings,
} from '../site-settings';
import { SiteService } from '../site.service';

interface SetOptions extends JsonOption {
  registerMode?: RegisterMode;
  passwordLength?: number;
  passwordStrength?: CharacterClass[];
  inviteRequired?: boolean;
  name?: string;
  commonPasswords?: boolean;
}

const view = (settings: SiteSettings) => ({ ok: true, ...settings });

const human = (settings: SiteSettings) =>
  [
    `name: ${settings.name}`,
    `register mode: ${settings.registerMode}`,
    `password length: ${settings.passwordLength} (the rule is max(6, this))`,
    `password strength: ${settings.passwordStrength.join(',') || 'none'}`,
    `invite required: ${settings.inviteRequired}`,
    `banned words: ${settings.bannedWords.join(' ') || '-'}`,
    `common passwords: ${settings.allowCommonPasswords ? 'allowed' : 'refused'}`,
  ].join('\n');

@SubCommand({ name: 'set', description: 'change the site settings of the JSON:API dialect; prints them all' })
export class SiteSetCommand extends JsonCommand<SetOptions> {
  constructor(private readonly site: SiteService) {
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

  async run(_params: string[], options: SetOptions): Promise<void> {
    const settings = await this.site.update({
      registerMode: options.registerMode,
      passwordLength: options.passwordLength,
      passwordStrength: options.passwordStrength,
      inviteRequired: options.inviteRequired,
      name: options.name,
      allowCommonPasswords: options.commonPasswords,
    });
    this.print(options, view(settings), human(settings));
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
