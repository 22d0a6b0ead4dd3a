import { Command, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand } from '../../../common/json-command';
import { RETIRED_KEY_VERIFIES_SECONDS, SigningKeysService } from '../signing-keys.service';

@SubCommand({ name: 'rotate', description: 'make a new current token signing key; the old one verifies until its tokens have expired' })
export class EnduserKeysRotateCommand extends JsonCommand {
  constructor(private readonly keys: SigningKeysService) {
    super();
  }

  async run(_params: string[], options: JsonOption): Promise<void> {
    const { kid, retired } = await this.keys.rotate();
    const days = Math.round(RETIRED_KEY_VERIFIES_SECONDS / 86400);
    const human = retired ? `new signing key ${kid}; ${retired} verifies for ${days} more days` : `new signing key ${kid}`;
    this.print(options, { ok: true, kid, retired }, human);
  }
}

@SubCommand({ name: 'keys', description: 'token signing keys (RS256)', subCommands: [EnduserKeysRotateCommand] })
export class EnduserKeysCommand extends ParentCommand {}

@Command({ name: 'enduser', description: 'enduser dialect settings', subCommands: [EnduserKeysCommand] })
export class EnduserCommand extends ParentCommand {}
