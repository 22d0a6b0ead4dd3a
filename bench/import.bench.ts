/**
 * `npm run bench:import -- [--db sqlite|mysql] [--users 100000] [--batch 1000] [--json]`
 *
 * `users import` on a large source (docs/performance.md, docs/migrating.md): builds a Discuz! Q-shaped database
 * of its own on the MariaDB/MySQL server DISCUZQ_SERVER_URL names (default mysql://root@127.0.0.1:3306), with
 * real `$2y$10$` hashes, a third of the users with mobiles and a tenth with WeChat bindings, and a JSONL file of
 * as many users; then times the import engine, in process on the CLI's own module, into a fresh SQLite file or,
 * with `--db mysql`, a database of its own on the server DB_URL names (default the same server). Times: a first
 * import, a re-run that finds everything unchanged, and a JSONL import into a userpool. Everything the bench
 * made is removed at the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { INestApplicationContext } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import { CommandFactory } from 'nest-commander';
import { CliModule } from '../src/cli/cli.module';
import { loadConfig } from '../src/config/app-config';
import { DIALECT_CONFIG } from '../src/dialects';
import { SiteService } from '../src/dialects/jsonapi-users/site.service';
import { IMPORT_SOURCES, ImportSource } from '../src/users/import/import-source';
import { ImportSummary, UsersImportService } from '../src/users/import/users-import.service';
import { TenantsService } from '../src/users/tenants.service';
import { DISCUZQ_SERVER_URL, DiscuzqSource, LARAVEL_PASSWORD_HASH } from '../test/utils/discuzq-source';

const { values: options } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    users: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
});
const USERS = Number(options.users);
const BATCH = Number(options.batch);

interface Timing {
  run: string;
  users: number;
  seconds: number;
  perSecond: number;
  /** CPU time of this process (user + system): on a busy machine, what the run would take alone (without the database server's). */
  cpuSeconds: number;
  summary: Omit<ImportSummary, 'conflicts'> & { conflicts: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'unireg-import-bench-'));
  const target = options.db === 'mysql' ? await mysqlTarget() : { url: `sqlite:${join(dir, 'unireg.sqlite')}`, drop: async () => {} };
  const source = await DiscuzqSource.create('pre_');
  let context: INestApplicationContext | undefined;
  try {
    await fillSource(source);
    const jsonl = join(dir, 'users.jsonl');
    writeFileSync(jsonl, jsonlLines().join('\n') + '\n');
    const config = loadConfig(
      { DB_URL: target.url, DATA_DIR: dir, JWT_SECRET: 'bench-secret-that-is-long-enough', LOG_LEVEL: 'silent' },
      DIALECT_CONFIG,
    );
    context = await CommandFactory.createWithoutRunning(CliModule.forRoot(config), { logger: false, abortOnError: false });
    await context.get(SiteService).seedDemo();
    const tenants = context.get(TenantsService);
    const pool = await tenants.create({ kind: 'userpool', code: 'bench', name: 'bench', settings: {} });
    const site = await tenants.resolve('site:site');
    const sources = context.get<readonly ImportSource[]>(IMPORT_SOURCES);
    const engine = context.get(UsersImportService);
    const timed = async (run: string, from: string, tenant: typeof site, sourceOptions: object): Promise<Timing> => {
      const importSource = sources.find((candidate) => candidate.name === from)!;
      const reader = await importSource.open(sourceOptions);
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      try {
        const summary = await engine.run({ tenant, sourceName: from, reader, batchSize: BATCH, dryRun: false });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const { user, system } = process.cpuUsage(cpu);
        return {
          run,
          users: USERS,
          seconds: Math.round(seconds * 100) / 100,
          perSecond: Math.round(USERS / seconds),
          cpuSeconds: Math.round((user + system) / 1e4) / 100,
          summary: { ...summary, conflicts: summary.conflicts.length },
        };
      } finally {
        await reader.close();
      }
    };
    const discuzq = { db: source.url, prefix: 'pre_' };
    const results = [
      await timed('discuzq, first run', 'discuzq', site, discuzq),
      await timed('discuzq, re-run (all unchanged)', 'discuzq', site, discuzq),
      await timed('jsonl into a userpool', 'jsonl', pool, { file: jsonl }),
    ];
    print(results);
  } finally {
    await context?.close();
    await source.drop();
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A database of the bench's own on DB_URL's server (or the source's), dropped at the end. */
async function mysqlTarget(): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(process.env.DB_URL ?? DISCUZQ_SERVER_URL);
  url.pathname = `/unireg_import_bench_${process.pid}`;
  const server = async (sql: string) => {
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  const name = url.pathname.slice(1);
  await server(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  return { url: url.toString(), drop: () => server(`DROP DATABASE IF EXISTS \`${name}\``) };
}

async function fillSource(source: DiscuzqSource): Promise<void> {
  await source.addUsers(
    Array.from({ length: USERS }, (_, i) => ({
      id: i + 1,
      username: i % 5 === 0 ? `会员${i + 1}` : `member${i + 1}`,
      password: i % 20 === 0 ? '' : LARAVEL_PASSWORD_HASH,
      mobile: i % 3 === 0 ? `139${String(i).padStart(8, '0')}` : '',
      status: i % 50 === 0 ? 2 : 0,
      register_reason: i % 7 === 0 ? '想参与讨论' : '',
      login_at: '2020-11-18 09:30:00',
      last_login_ip: '203.0.113.5',
    })),
  );
  await source.addWechats(
    Array.from({ length: Math.floor(USERS / 10) }, (_, i) => ({
      user_id: i * 10 + 2,
      mp_openid: `oMP${String(i).padStart(25, '0')}`,
      unionid: `oUN${String(i).padStart(25, '0')}`,
      nickname: `微信${i}`,
    })),
  );
}

function jsonlLines(): string[] {
  return Array.from({ length: USERS }, (_, i) =>
    JSON.stringify({
      external_id: `u-${i + 1}`,
      email: `user${i + 1}@example.com`,
      ...(i % 2 === 0 ? { username: `user_${i + 1}` } : {}),
      password_hash: LARAVEL_PASSWORD_HASH,
      email_verified: i % 3 === 0,
      created_at: '2021-03-04T05:06:07Z',
      profile: { nickname: `User ${i + 1}` },
    }),
  );
}

function print(results: Timing[]): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ db: options.db, batch: BATCH, results })}\n`);
    return;
  }
  const lines = [
    `users import, ${USERS} users, batches of ${BATCH}, into ${options.db}`,
    ['run', 'seconds', 'users/s', 'cpu seconds', 'imported', 'updated', 'skipped', 'conflicts'].join('\t'),
    ...results.map((r) =>
      [r.run, r.seconds, r.perSecond, r.cpuSeconds, r.summary.imported, r.summary.updated, r.summary.skipped, r.summary.conflicts].join(
        '\t',
      ),
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
