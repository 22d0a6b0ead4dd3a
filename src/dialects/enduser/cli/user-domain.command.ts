import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand, parseCommonPasswordsOption } from '../../../common/json-command';
import { UserDomainAdminService } from '../user-domain-admin.service';

interface DomainOptions extends JsonOption {
  domain: string;
  disabled?: boolean;
  commonPasswords?: boolean;
  rotate?: boolean;
}

/** Shared by the subcommands: every one names its domain with --domain. */
@Injectable()
abstract class DomainCommand extends JsonCommand<DomainOptions> {
  constructor(protected readonly admin: UserDomainAdminService) {
    super();
  }

  @Option({ flags: '--domain <domain>', description: 'the user domain, e.g. C.DM.10271.5', required: true })
  parseDomain(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'create', description: 'create a user domain' })
export class UserDomainCreateCommand extends DomainCommand {
  @Option({ flags: '--disabled', description: 'create it disabled (registrations answer 5104)' })
  parseDisabled(): boolean {
    return true;
  }

  @Option({ flags: '--common-passwords <state>', description: 'allowed, or refused (default): passwords from the common list' })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  async run(_params: string[], options: DomainOptions): Promise<void> {
    const tenant = await this.admin.create(options.domain, !options.disabled, options.commonPasswords);
    this.print(options, { domain: tenant.code }, tenant.code);
  }
}

@SubCommand({ name: 'disable', description: 'stop registrations in a user domain' })
export class UserDomainDisableCommand extends DomainCommand {
  async run(_params: string[], options: DomainOptions): Promise<void> {
    const tenant = await this.admin.setEnabled(options.domain, false);
    this.print(options, { ok: true, domain: tenant.code, enabled: false }, `${tenant.code} is disabled.`);
  }
}

@SubCommand({ name: 'enable', description: 'allow registrations in a user domain again' })
export class UserDomainEnableCommand extends DomainCommand {
  async run(_params: string[], options: DomainOptions): Promise<void> {
    const tenant = await this.admin.setEnabled(options.domain, true);
    this.print(options, { ok: true, domain: tenant.code, enabled: true }, `${tenant.code} is enabled.`);
  }
}

@SubCommand({ name: 'set', description: "change an existing user domain's settings" })
export class UserDomainSetCommand extends DomainCommand {
  @Option({ flags: '--common-passwords <state>', description: 'allowed or refused: passwords from the common list' })
  parseCommonPasswords(value: string): boolean {
    return parseCommonPasswordsOption(value);
  }

  async run(_params: string[], options: DomainOptions): Promise<void> {
    if (options.commonPasswords === undefined) {
      throw new Error('nothing to set: give --common-passwords');
    }
    const tenant = await this.admin.setCommonPasswords(options.domain, options.commonPasswords);
    const state = options.commonPasswords ? 'allowed' : 'refused';
    this.print(options, { ok: true, domain: tenant.code, commonPasswords: state }, `${tenant.code}: common passwords ${state}.`);
  }
}

@SubCommand({ name: 'secret', description: "print the user domain's login signature secret (userDomainSecret), made on first use" })
export class UserDomainSecretCommand extends DomainCommand {
  @Option({ flags: '--rotate', description: 'replace it with a new secret: signatures made with the old one fail from now on' })
  parseRotate(): boolean {
    return true;
  }

  async run(_params: string[], options: DomainOptions): Promise<void> {
    const { domain, secret } = await this.admin.secret(options.domain, options.rotate === true);
    this.print(options, { domain, secret }, secret);
  }
}

@Command({
  name: 'user-domain',
  description: 'manage user domains (enduser dialect)',
  subCommands: [UserDomainCreateCommand, UserDomainDisableCommand, UserDomainEnableCommand, UserDomainSetCommand, UserDomainSecretCommand],
})
export class UserDomainCommand extends ParentCommand {}
