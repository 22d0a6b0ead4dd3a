import { Command, Option, SubCommand } from 'nest-commander';
import {
  JsonCommand,
  JsonOption,
  ParentCommand,
  parseCommonPasswordsOption,
  parseIdentifierOption,
  parseIntegerOption,
  parseNonEmptyOption,
} from '../../../common/json-command';
import { UserpoolAdminService } from '../userpool-admin.service';
import { PasswordStrengthLevel } from '../userpool-settings';

interface CreateOptions extends JsonOption {
  name: string;
  id?: string;
  passwordStrength?: PasswordStrengthLevel;
  registration?: 'enabled' | 'disabled';
  commonPasswords?: boolean;
}

@SubCommand({ name: 'create', description: 'create a userpool and print its id' })
export class UserpoolCreateCommand extends JsonCommand<CreateOptions> {
  constructor(private readonly admin: UserpoolAdminService) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'display name', required: true })
  parseName(value: string): string {
    return parseNonEmptyOption('--name')(value);
  }

  @Option({ flags: '--id <id>', description: 'the x-userpool-id clients send (default: 24 random hex characters)' })
  parseId(value: string): string {
    return parseIdentifierOption('--id')(value);
  }

  @Option({ flags: '--password-strength <level>', description: '0 any, 1 six characters (default), 2 two kinds, 3 three kinds' })
  parsePasswordStrength(value: string): number {
    return parseIntegerOption('--password-strength', 0, 3)(value);
  }

  @Option({ flags: '--registration <state>', description: 'enabled (default) or disabled' })
  parseRegistration(value: string): string {
    if (value !== 'enabled' && value !== 'disabled') {
      throw new Error('--registration must be enabled or disabled');
    }
    return value;
  }

  @Option({ flags: '--common-passwords <state>', description: 'allowed, or refused (default): passwords from the common list' })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  async run(_params: string[], options: CreateOptions): Promise<void> {
    const pool = await this.admin.create({
      name: options.name,
      id: options.id,
      passwordStrength: options.passwordStrength,
      registrationEnabled: options.registration !== 'disabled',
      allowCommonPasswords: options.commonPasswords,
    });
    this.print(options, { id: pool.code }, pool.code);
  }
}

interface SetOptions extends JsonOption {
  id: string;
  commonPasswords?: boolean;
  loginFailures?: number | 'default';
  loginWindowSeconds?: number | 'default';
}

/** A whole number within bounds, or `default` for the global policy's. */
const parseLimitOption = (name: string, max: number) => (value: string) =>
  value === 'default' ? value : parseIntegerOption(name, 1, max)(value);

@SubCommand({ name: 'set', description: "change an existing userpool's settings" })
export class UserpoolSetCommand extends JsonCommand<SetOptions> {
  constructor(private readonly admin: UserpoolAdminService) {
    super();
  }

  @Option({ flags: '--id <id>', description: 'the pool to change', required: true })
  parseId(value: string): string {
    return parseIdentifierOption('--id')(value);
  }

  @Option({ flags: '--common-passwords <state>', description: 'allowed or refused: passwords from the common list' })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  @Option({
    flags: '--login-failures <n>',
    description: 'failed logins of one account from one client before a lock, 1-1000, or default (LOGIN_FAILURES_PER_15_MIN)',
  })
  parseLoginFailures(value: string): number | 'default' {
    return parseLimitOption('--login-failures', 1000)(value);
  }

  @Option({
    flags: '--login-window-seconds <s>',
    description: 'how long those failures count and the lock lasts, 1-86400, or default (900)',
  })
  parseLoginWindowSeconds(value: string): number | 'default' {
    return parseLimitOption('--login-window-seconds', 86_400)(value);
  }

  async run(_params: string[], options: SetOptions): Promise<void> {
    const { commonPasswords, loginFailures, loginWindowSeconds } = options;
    if (commonPasswords === undefined && loginFailures === undefined && loginWindowSeconds === undefined) {
      throw new Error('nothing to set: give --common-passwords, --login-failures or --login-window-seconds');
    }
    await this.admin.update(options.id, { allowCommonPasswords: commonPasswords, loginFailures, loginWindowSeconds });
    // Only the settings given are shown, as bytepower app set does.
    const shown = {
      ...(commonPasswords === undefined ? {} : { commonPasswords: commonPasswords ? 'allowed' : 'refused' }),
      ...(loginFailures === undefined ? {} : { loginFailures }),
      ...(loginWindowSeconds === undefined ? {} : { loginWindowSeconds }),
    };
    const text = Object.entries(shown)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    this.print(options, { ok: true, id: options.id, ...shown }, `Userpool ${options.id}: ${text}.`);
  }
}

@Command({
  name: 'userpool',
  description: 'manage userpools (userpool dialect)',
  subCommands: [UserpoolCreateCommand, UserpoolSetCommand],
})
export class UserpoolCommand extends ParentCommand {}
