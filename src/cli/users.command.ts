import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { UserStatus } from '../users/entities/user.entity';
import { TenantsService } from '../users/tenants.service';
import { UsersService } from '../users/users.service';
import { JsonCommand, JsonOption, ParentCommand } from '../common/json-command';
import { UsersImportCommand } from './users-import.command';

/** Columns of `users list` without --json, tab-separated for `cut` and `awk -F'\t'`. */
const USERS_TABLE_HEADER = ['ID', 'TENANT', 'EMAIL', 'USERNAME', 'STATUS', 'CREATED'].join('\t');

interface ListOptions extends JsonOption {
  tenant?: string;
}

@SubCommand({ name: 'list', description: 'list users, optionally of one tenant' })
export class UsersListCommand extends JsonCommand<ListOptions> {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
  ) {
    super();
  }

  @Option({
    flags: '--tenant <tenant>',
    description: 'a userpool id, a user domain, a BytePower app id, or site (kind:code when ambiguous)',
  })
  parseTenant(value: string): string {
    return value;
  }

  async run(_params: string[], options: ListOptions): Promise<void> {
    const tenant = options.tenant === undefined ? undefined : await this.tenants.resolve(options.tenant);
    const users = (await this.users.list(tenant?.id)).map((user) => ({
      id: String(user.id),
      tenant: user.tenant?.code ?? null,
      tenantKind: user.tenant?.kind ?? null,
      email: user.email,
      username: user.username,
      status: user.status,
      createdAt: new Date(user.createdAt).toISOString(),
    }));
    const lines = users.map((u) =>
      [u.id, `${u.tenantKind}:${u.tenant}`, u.email ?? '-', u.username ?? '-', u.status, u.createdAt].join('\t'),
    );
    this.print(options, { users }, [USERS_TABLE_HEADER, ...lines].join('\n'));
  }
}

/**
 * The status changes differ only in the status they set and the one they act on: approve and reject take
 * users waiting for review alone, disable takes active users and enable disabled ones.
 */
@Injectable()
abstract class ChangeStatusCommand extends JsonCommand {
  protected abstract readonly status: UserStatus;
  protected abstract readonly from: UserStatus;
  /** How the error names the status acted on. */
  protected abstract readonly fromLabel: string;

  constructor(private readonly users: UsersService) {
    super();
  }

  async run([id]: string[], options: JsonOption): Promise<void> {
    const result = /^\d+$/.test(id)
      ? await this.users.setStatus(Number(id), { status: this.status, from: this.from, source: 'cli' })
      : null;
    if (!result) {
      throw new Error(`no user with id ${id}`);
    }
    const { user, changed } = result;
    if (!changed) {
      throw new Error(`user ${user.id} is ${user.status}, not ${this.fromLabel}: nothing changed`);
    }
    this.print(options, { ok: true, id: String(user.id), status: user.status }, `User ${user.id} is ${user.status}.`);
  }
}

@SubCommand({ name: 'approve', arguments: '<id>', description: 'activate a user waiting for review' })
export class UsersApproveCommand extends ChangeStatusCommand {
  protected readonly status = UserStatus.Active;
  protected readonly from = UserStatus.PendingReview;
  protected readonly fromLabel = 'waiting for review';
}

@SubCommand({ name: 'reject', arguments: '<id>', description: 'refuse a user waiting for review; they can no longer log in' })
export class UsersRejectCommand extends ChangeStatusCommand {
  protected readonly status = UserStatus.Rejected;
  protected readonly from = UserStatus.PendingReview;
  protected readonly fromLabel = 'waiting for review';
}

@SubCommand({
  name: 'disable',
  arguments: '<id>',
  description: 'disable an active user: no sign-in in any dialect, every session and token ends at once',
})
export class UsersDisableCommand extends ChangeStatusCommand {
  protected readonly status = UserStatus.Disabled;
  protected readonly from = UserStatus.Active;
  protected readonly fromLabel = 'active';
}

@SubCommand({ name: 'enable', arguments: '<id>', description: 'make a disabled user active again; they must log in anew' })
export class UsersEnableCommand extends ChangeStatusCommand {
  protected readonly status = UserStatus.Active;
  protected readonly from = UserStatus.Disabled;
  protected readonly fromLabel = 'disabled';
}

@SubCommand({
  name: 'end-sessions',
  arguments: '<id>',
  description: 'end every session and token of a user, in every dialect; the user can log in again',
})
export class UsersEndSessionsCommand extends JsonCommand {
  constructor(private readonly users: UsersService) {
    super();
  }

  async run([id]: string[], options: JsonOption): Promise<void> {
    const userId = /^\d+$/.test(id) ? Number(id) : NaN;
    if (!(await this.users.endSessions(userId))) {
      throw new Error(`no user with id ${id}`);
    }
    this.print(options, { ok: true, id: String(userId) }, `Every session and token of user ${userId} has ended.`);
  }
}

/** The subcommands of `users`; each must also be a provider, so the CLI module lists them from here. */
export const USERS_SUBCOMMANDS = [
  UsersListCommand,
  UsersApproveCommand,
  UsersRejectCommand,
  UsersDisableCommand,
  UsersEnableCommand,
  UsersEndSessionsCommand,
  UsersImportCommand,
];

@Command({
  name: 'users',
  description: 'list, approve and reject users; disable and enable them; end their sessions; import them',
  subCommands: USERS_SUBCOMMANDS,
})
export class UsersCommand extends ParentCommand {}
