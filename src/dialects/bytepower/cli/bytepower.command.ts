import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import {
  JsonCommand,
  JsonOption,
  ParentCommand,
  parseCommonPasswordsOption,
  parseIdentifierOption,
  parseNonEmptyOption,
} from '../../../common/json-command';
import { BytepowerAdminService, IssuedAppKey } from '../bytepower-admin.service';

interface AppOptions extends JsonOption {
  app: string;
}

interface CreateAppOptions extends JsonOption {
  name: string;
  id?: string;
  signupVerification?: boolean;
  commonPasswords?: boolean;
}

interface SetAppOptions extends AppOptions {
  signupVerification?: boolean;
  commonPasswords?: boolean;
}

const COMMON_PASSWORDS_DESCRIPTION = 'allowed, or refused (default): passwords from the common list';

interface KeyOptions extends JsonOption {
  key: string;
}

const keyLines = (key: IssuedAppKey) =>
  `app id:     ${key.appId}\nkey name:   ${key.keyName}\nkey secret: ${key.keySecret}\n(the secret is shown only now)`;

/** Every BytePower command works through the admin service. */
@Injectable()
abstract class BytepowerAdminCommand<Options extends JsonOption> extends JsonCommand<Options> {
  constructor(protected readonly admin: BytepowerAdminService) {
    super();
  }
}

/** The commands that act on one app, named with --app. */
@Injectable()
abstract class AppCommand<Options extends AppOptions> extends BytepowerAdminCommand<Options> {
  @Option({ flags: '--app <id>', description: 'the app id', required: true })
  parseApp(value: string): string {
    return parseIdentifierOption('--app')(value);
  }
}

@SubCommand({ name: 'create', description: 'create an app with its first server key; prints the secret once' })
export class BytepowerAppCreateCommand extends BytepowerAdminCommand<CreateAppOptions> {
  @Option({ flags: '--name <name>', description: 'display name', required: true })
  parseName(value: string): string {
    return parseNonEmptyOption('--name')(value);
  }

  @Option({ flags: '--id <id>', description: 'the app id (default: 16 random hex characters)' })
  parseId(value: string): string {
    return parseIdentifierOption('--id')(value);
  }

  @Option({ flags: '--signup-verification', description: 'email sign-ups must carry a mailed verify_code' })
  parseSignupVerification(): boolean {
    return true;
  }

  @Option({ flags: '--common-passwords <state>', description: COMMON_PASSWORDS_DESCRIPTION })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  async run(_params: string[], options: CreateAppOptions): Promise<void> {
    const key = await this.admin.createApp({
      name: options.name,
      id: options.id,
      signupVerification: options.signupVerification,
      allowCommonPasswords: options.commonPasswords,
    });
    this.print(options, key, keyLines(key));
  }
}

@SubCommand({ name: 'set', description: 'change app settings; prints the ones it changed' })
export class BytepowerAppSetCommand extends AppCommand<SetAppOptions> {
  @Option({ flags: '--signup-verification <on|off>', description: 'require a mailed code for email sign-ups' })
  parseSignupVerification(value: string): boolean {
    if (value !== 'on' && value !== 'off') {
      throw new Error('--signup-verification must be on or off');
    }
    return value === 'on';
  }

  @Option({ flags: '--common-passwords <state>', description: COMMON_PASSWORDS_DESCRIPTION })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  async run(_params: string[], options: SetAppOptions): Promise<void> {
    const { signupVerification, commonPasswords } = options;
    if (signupVerification === undefined && commonPasswords === undefined) {
      throw new Error('name a setting: --signup-verification <on|off> or --common-passwords <allowed|refused>');
    }
    const app = await this.admin.updateSettings(options.app, { signupVerification, allowCommonPasswords: commonPasswords });
    const lines = [
      signupVerification === undefined ? null : `Sign-up verification is ${signupVerification ? 'on' : 'off'} for ${app.code}.`,
      commonPasswords === undefined ? null : `Common passwords are ${commonPasswords ? 'allowed' : 'refused'} for ${app.code}.`,
    ];
    this.print(
      options,
      { ok: true, appId: app.code, signupVerification, allowCommonPasswords: commonPasswords },
      lines.filter((line) => line !== null).join('\n'),
    );
  }
}

@SubCommand({ name: 'app', description: 'manage BytePower apps', subCommands: [BytepowerAppCreateCommand, BytepowerAppSetCommand] })
export class BytepowerAppCommand extends ParentCommand {}

@SubCommand({ name: 'create', description: 'add a server key to an app (for rotation); prints the secret once' })
export class BytepowerKeyCreateCommand extends AppCommand<AppOptions> {
  async run(_params: string[], options: AppOptions): Promise<void> {
    const key = await this.admin.createKey(options.app);
    this.print(options, key, keyLines(key));
  }
}

@SubCommand({ name: 'revoke', description: 'stop a server key at once' })
export class BytepowerKeyRevokeCommand extends BytepowerAdminCommand<KeyOptions> {
  @Option({ flags: '--key <name>', description: 'the key name', required: true })
  parseKey(value: string): string {
    return value;
  }

  async run(_params: string[], options: KeyOptions): Promise<void> {
    await this.admin.revokeKey(options.key);
    this.print(options, { ok: true, keyName: options.key }, `${options.key} is revoked.`);
  }
}

@SubCommand({ name: 'list', description: 'list the server keys of an app (names only, never secrets)' })
export class BytepowerKeyListCommand extends AppCommand<AppOptions> {
  async run(_params: string[], options: AppOptions): Promise<void> {
    const keys = (await this.admin.listKeys(options.app)).map((key) => ({
      keyName: key.keyName,
      createdAt: new Date(key.createdAt).toISOString(),
      revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
    }));
    const lines = keys.map((key) => `${key.keyName}\t${key.createdAt}\t${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}`);
    this.print(options, { keys }, lines.join('\n') || 'No keys.');
  }
}

@SubCommand({
  name: 'key',
  description: 'manage server keys',
  subCommands: [BytepowerKeyCreateCommand, BytepowerKeyRevokeCommand, BytepowerKeyListCommand],
})
export class BytepowerKeyCommand extends ParentCommand {}

@Command({
  name: 'bytepower',
  description: 'manage BytePower apps and server keys (bytepower dialect)',
  subCommands: [BytepowerAppCommand, BytepowerKeyCommand],
})
export class BytepowerCommand extends ParentCommand {}

export const BYTEPOWER_COMMANDS = [
  BytepowerCommand,
  BytepowerAppCommand,
  BytepowerAppCreateCommand,
  BytepowerAppSetCommand,
  BytepowerKeyCommand,
  BytepowerKeyCreateCommand,
  BytepowerKeyRevokeCommand,
  BytepowerKeyListCommand,
];
