import { Command, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, ParentCommand } from '../../../common/json-command';
import { SiteService } from '../site.service';

const listed = (words: string[]) => (words.length ? words.join('\n') : 'No banned words.');

@SubCommand({ name: 'add', arguments: '<words...>', description: 'refuse usernames containing any of these words (any case or width)' })
export class BannedWordsAddCommand extends JsonCommand {
  constructor(private readonly site: SiteService) {
    super();
  }

  async run(words: string[], options: JsonOption): Promise<void> {
    const bannedWords = await this.site.addBannedWords(words);
    this.print(options, { ok: true, bannedWords }, listed(bannedWords));
  }
}

@SubCommand({ name: 'remove', arguments: '<words...>', description: 'take words off the list' })
export class BannedWordsRemoveCommand extends JsonCommand {
  constructor(private readonly site: SiteService) {
    super();
  }

  async run(words: string[], options: JsonOption): Promise<void> {
    const { removed, bannedWords } = await this.site.removeBannedWords(words);
    this.print(options, { ok: true, removed, bannedWords }, `Removed: ${removed.join(' ') || 'nothing'}\n${listed(bannedWords)}`);
  }
}

@SubCommand({ name: 'list', description: 'print the banned username words' })
export class BannedWordsListCommand extends JsonCommand {
  constructor(private readonly site: SiteService) {
    super();
  }

  async run(_params: string[], options: JsonOption): Promise<void> {
    const { settings } = await this.site.current();
    this.print(options, { ok: true, bannedWords: settings.bannedWords }, listed(settings.bannedWords));
  }
}

@Command({
  name: 'banned-words',
  description: 'words usernames of the JSON:API (Discuz! Q) site may not contain',
  subCommands: [BannedWordsAddCommand, BannedWordsRemoveCommand, BannedWordsListCommand],
})
export class BannedWordsCommand extends ParentCommand {}
