import { ModuleRef } from '@nestjs/core';
import { Command, SubCommand } from 'nest-commander';
import { DIALECTS } from '../dialects';
import { JsonCommand, JsonOption, ParentCommand } from '../common/json-command';

@SubCommand({ name: 'demo', description: 'create the demo tenants of every dialect (idempotent)' })
export class SeedDemoCommand extends JsonCommand {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  async run(_params: string[], options: JsonOption): Promise<void> {
    const result: Record<string, unknown> = { ok: true };
    for (const dialect of DIALECTS) {
      if (dialect.demoSeeder) {
        Object.assign(result, await this.moduleRef.get(dialect.demoSeeder, { strict: false }).seedDemo());
      }
    }
    const human = Object.entries(result)
      .filter(([key]) => key !== 'ok')
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join('\n');
    this.print(options, result, `Demo data is in place.\n${human}`);
  }
}

@Command({ name: 'seed', description: 'put demo data in place', subCommands: [SeedDemoCommand] })
export class SeedCommand extends ParentCommand {}
