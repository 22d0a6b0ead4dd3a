import { Inject } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import { Option, SubCommand } from 'nest-commander';
import { JsonCommand, JsonOption, parseIntegerOption, parseNonEmptyOption } from '../common/json-command';
import { IMPORT_SOURCES, ImportConflict, ImportSource } from '../users/import/import-source';
import { UsersImportService } from '../users/import/users-import.service';
import { TenantsService } from '../users/tenants.service';

export const IMPORT_BATCH_DEFAULT = 1000;
export const IMPORT_BATCH_MAX = 5000;

interface ImportOptions extends JsonOption {
  tenant?: string;
  from?: string;
  db?: string;
  file?: string;
  prefix?: string;
  timezone?: string;
  dryRun?: boolean;
  batch?: number;
}

@SubCommand({
  name: 'import',
  description: 'import users with their password hashes from a Discuz! Q database or a JSONL file (docs/migrating.md)',
})
export class UsersImportCommand extends JsonCommand<ImportOptions> {
  constructor(
    private readonly imports: UsersImportService,
    private readonly tenants: TenantsService,
    @Inject(IMPORT_SOURCES) private readonly sources: readonly ImportSource[],
  ) {
    super();
  }

  @Option({ flags: '--tenant <tenant>', description: 'the tenant to import into (kind:code when ambiguous)', required: true })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--from <source>', description: 'discuzq or jsonl', required: true })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--db <url>', description: 'discuzq: mysql://user:password@host:port/database, read only' })
  parseDb(value: string): string {
    return parseNonEmptyOption('--db')(value);
  }

  @Option({ flags: '--prefix <prefix>', description: "discuzq: the forum's table prefix (default none)" })
  parsePrefix(value: string): string {
    return value;
  }

  @Option({ flags: '--timezone <offset>', description: "discuzq: the offset of the forum's local times (default +08:00)" })
  parseTimezone(value: string): string {
    return value;
  }

  @Option({ flags: '--file <path>', description: 'jsonl: one JSON object per line' })
  parseFile(value: string): string {
    return parseNonEmptyOption('--file')(value);
  }

  @Option({ flags: '--dry-run', description: 'report what would be imported, and write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--batch <n>', description: `records per transaction (default ${IMPORT_BATCH_DEFAULT})` })
  parseBatch(value: string): number {
    return parseIntegerOption('--batch', 1, IMPORT_BATCH_MAX)(value);
  }

  async run(_params: string[], options: ImportOptions): Promise<void> {
    const source = this.sources.find((candidate) => candidate.name === options.from);
    if (!source) {
      throw new Error(`--from must be one of ${this.sources.map((candidate) => candidate.name).join(', ')}`);
    }
    const tenant = await this.tenants.resolve(options.tenant ?? '');
    if (source.tenantKinds && !source.tenantKinds.includes(tenant.kind)) {
      throw new Error(`--from ${source.name} imports into ${source.tenantKinds.join(' or ')} tenants, not ${tenant.kind}:${tenant.code}`);
    }
    const reader = await source.open({ db: options.db, file: options.file, prefix: options.prefix, timezone: options.timezone });
    // A source that cannot tell its size cheaply (a pipe) gets no bar, rather than one stuck at 100%.
    const bar =
      !options.json && process.stderr.isTTY && reader.total !== undefined
        ? new SingleBar({ stream: process.stderr, etaBuffer: 50 })
        : undefined;
    bar?.start(reader.total ?? 0, 0);
    try {
      const summary = await this.imports.run({
        tenant,
        sourceName: source.name,
        reader,
        batchSize: options.batch ?? IMPORT_BATCH_DEFAULT,
        dryRun: options.dryRun === true,
        onProgress: (done) => bar?.update(done),
      });
      bar?.stop();
      const verb = summary.dryRun ? 'Would import' : 'Imported';
      const human = [
        `${verb} ${summary.imported}, ${summary.dryRun ? 'would update' : 'updated'} ${summary.updated}, skipped ${summary.skipped} unchanged; ${summary.conflicts.length} conflicts` +
          (summary.warnings ? `, ${summary.warnings.length} warnings.` : '.'),
        ...summary.conflicts.map(describe),
        ...(summary.warnings ?? []).map((warning) => `warning: ${describe(warning)}`),
      ].join('\n');
      this.print(options, summary, human);
    } finally {
      bar?.stop();
      await reader.close();
    }
  }
}

function describe(conflict: ImportConflict): string {
  return `${'line' in conflict ? `line ${conflict.line}` : `id ${conflict.id}`}: ${conflict.reason}`;
}
