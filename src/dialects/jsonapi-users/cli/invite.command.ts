import { Command, Option, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand, parseIntegerOption } from '../../../common/json-command';
import { Clock } from '../../../clock/clock';
import { Invite } from '../invite.entity';
import { SiteService } from '../site.service';

interface CreateOptions extends JsonOption {
  count?: number;
  expiresDays?: number;
}

@SubCommand({ name: 'create', description: 'create single-use invite codes of the site and print them' })
export class InviteCreateCommand extends JsonCommand<CreateOptions> {
  constructor(private readonly site: SiteService) {
    super();
  }

  @Option({ flags: '--count <n>', description: 'how many codes (1-1000, default 1)' })
  parseCount(value: string): number {
    return parseIntegerOption('--count', 1, 1000)(value);
  }

  @Option({ flags: '--expires-days <d>', description: 'days until the codes expire (1-3650; default: never)' })
  parseExpiresDays(value: string): number {
    return parseIntegerOption('--expires-days', 1, 3650)(value);
  }

  async run(_params: string[], options: CreateOptions): Promise<void> {
    const invites = await this.site.createInvites(options.count ?? 1, options.expiresDays);
    const codes = invites.map((invite) => invite.code);
    this.print(options, { codes }, codes.join('\n'));
  }
}

@SubCommand({ name: 'list', description: 'list the invite codes of the site and their state' })
export class InviteListCommand extends JsonCommand {
  constructor(
    private readonly site: SiteService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async run(_params: string[], options: JsonOption): Promise<void> {
    const invites = (await this.site.listInvites()).map((invite) => this.view(invite));
    const lines = invites.map((i) => [i.code, i.state, i.createdAt, i.expiresAt ?? '-', i.usedBy ?? '-'].join('\t'));
    this.print(options, { invites }, lines.length ? lines.join('\n') : 'No invites.');
  }

  private view(invite: Invite) {
    const iso = (millis: number | null) => (millis === null ? null : new Date(millis).toISOString());
    const expired = invite.expiresAt !== null && invite.expiresAt <= this.clock.now();
    return {
      code: invite.code,
      state: invite.usedAt !== null ? 'used' : expired ? 'expired' : 'unused',
      createdAt: iso(invite.createdAt),
      expiresAt: iso(invite.expiresAt),
      usedAt: iso(invite.usedAt),
      usedBy: invite.usedBy === null ? null : String(invite.usedBy),
    };
  }
}

@Command({
  name: 'invite',
  description: 'invite codes of the JSON:API (Discuz! Q) site',
  subCommands: [InviteCreateCommand, InviteListCommand],
})
export class InviteCommand extends ParentCommand {}
