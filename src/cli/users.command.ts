import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { UserStatus } from '../users/entities/user.entity';
import { TenantsService } from '../users/tenants.service';
import { UsersService } from '../users/users.service';
import { JsonCommand, JsonOption, ParentCommand } from '../common/json-command';

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

/** Approve and reject differ only in the status they set; both act on users waiting for review alone. */
@Injectable()
abstract class ReviewUserCommand extends JsonCommand {
  protected abstract readonly status: UserStatus;

  constructor(private readonly users: UsersService) {
    super();
  }

  async run([id]: string[], options: JsonOption): Promise<void> {
    const result = /^\d+$/.test(id) ? await this.users.setStatus(Number(id), this.status, UserStatus.PendingReview) : null;
    if (!result) {
      throw new Error(`no user with id ${id}`);
    }
    const { user, changed } = result;
    if (!changed) {
      throw new Error(`user ${user.id} is ${user.status}, not waiting for review: nothing changed`);
    }
    this.print(options, { ok: true, id: String(user.id), status: user.status }, `User ${user.id} is ${user.status}.`);
  }
}

@SubCommand({ name: 'approve', arguments: '<id>', description: 'activate a user waiting for review' })
export class UsersApproveCommand extends ReviewUserCommand {
  protected readonly status = UserStatus.Active;
}

@SubCommand({ name: 'reject', arguments: '<id>', description: 'refuse a user waiting for review; they can no longer log in' })
export class UsersRejectCommand extends ReviewUserCommand {
  protected readonly status = UserStatus.Rejected;
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

@Command({
  name: 'users',
  description: 'list, approve and reject users; end their sessions',
  subCommands: [UsersListCommand, UsersApproveCommand, UsersRejectCommand, UsersEndSessionsCommand],
})
export class UsersCommand extends ParentCommand {}
