import { InjectDataSource } from '@nestjs/typeorm';
import { Command } from 'nest-commander';
import { DataSource } from 'typeorm';
import { JsonCommand, JsonOption } from '../common/json-command';

@Command({ name: 'migrate', description: 'apply pending MySQL migrations' })
export class MigrateCommand extends JsonCommand {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async run(_params: string[], options: JsonOption): Promise<void> {
    if (this.dataSource.options.type !== 'mysql') {
      this.print(options, { ok: true, applied: [] }, 'The embedded SQLite schema is kept in sync automatically; nothing to migrate.');
      return;
    }
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((migration) => migration.name);
    this.print(options, { ok: true, applied: names }, names.length ? `Applied: ${names.join(', ')}` : 'Schema is up to date.');
  }
}
