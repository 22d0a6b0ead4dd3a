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
}

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

  async run(_params: string[], options: SetOptions): Promise<void> {
    if (options.commonPasswords === undefined) {
      throw new Error('nothing to set: give --common-passwords');
    }
    const pool = await this.admin.update(options.id, { allowCommonPasswords: options.commonPasswords });
    const state = options.commonPasswords ? 'allowed' : 'refused';
    this.print(options, { ok: true, id: pool.code, commonPasswords: state }, `Userpool ${pool.code}: common passwords ${state}.`);
  }
}

@Command({
  name: 'userpool',
  description: 'manage userpools (userpool dialect)',
  subCommands: [UserpoolCreateCommand, UserpoolSetCommand],
})
export class UserpoolCommand extends ParentCommand {}
