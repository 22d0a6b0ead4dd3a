/**
 * `npm run bench -- [--db sqlite|mysql] [--seconds 5] [--connections 16] [--users 0] [--json] [--profile DIR]
 *                  [--node-options='--max-semi-space-size=2 ...']`
 *
 * Registration overhead, measured against the least a server can do (docs/performance.md): unireg runs as a real
 * process (`node dist/main.js`), beside reference servers the bench starts itself (bench/reference-server.js),
 * each loaded in turn by autocannon over loopback. MySQL/MariaDB comes from DB_URL; the bench works in a
 * database of its own there and drops it after. Prints one table, or one JSON object with --json. With
 * --profile, the unireg process of the cost-4 and rejected runs writes CPU profiles into DIR, and the bench
 * adds where its busy time went during those loads. --node-options are passed to node for every unireg
 * process, to measure a memory or speed setting of V8 against the same yardsticks.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import * as bcrypt from 'bcrypt';
import { createConnection } from 'mysql2/promise';
import { Share, summarizeProfiles, Window } from './cpu-profile';

const ROOT = resolve(__dirname, '..');
const POOL = 'bench';

const { values: options } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    users: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'node-options': { type: 'string', default: '' },
  },
});
const SECONDS = Number(options.seconds);
const CONNECTIONS = Number(options.connections);
const PREFILL = Number(options.users);
const THREADS = Number(process.env.UV_THREADPOOL_SIZE ?? availableParallelism());
const NODE_OPTIONS = options['node-options'].split(' ').filter(Boolean);
const PROFILE_DIR = options.profile === undefined ? undefined : resolve(options.profile);
/** When the profiled loads ran, on the clock V8 stamps profile samples with. */
const profiledWindows: Window[] = [];
const micros = () => Number(process.hrtime.bigint() / 1000n);

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  unexpected: number;
}

interface Store {
  url: string;
  env: Record<string, string>;
  /** Fills the users table of the bench pool in bulk, not through HTTP. */
  prefill(count: number, tenantId: number): Promise<void>;
  poolTenantId(): Promise<number>;
  drop(): Promise<void>;
}

function log(line: string): void {
  if (!options.json) process.stderr.write(`${line}\n`);
}

/** a / b to two decimals, as every ratio is printed. */
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** A child process that prints `ready` (reference servers) or answers /healthz (unireg) when it serves. */
async function start(command: string[], env: Record<string, string>, port: number, health: string | null): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (health === null) {
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && done());
      child.once('exit', (code) => fail(new Error(`${command.join(' ')} exited with ${code}`)));
    });
  } else {
    child.stdout.resume();
    for (let attempt = 0; ; attempt++) {
      const ok = await fetch(`http://127.0.0.1:${port}${health}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (attempt > 300 || child.exitCode !== null) throw new Error(`${command.join(' ')} did not start`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMegabytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Loads `port` with one kind of request for SECONDS; `expected` is the status every answer should have. */
async function load(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: () => string,
  expected: number,
  profiled = false,
): Promise<Load> {
  let unexpected = 0;
  const from = micros();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path,
            headers: { 'content-type': 'application/json', ...headers },
            setupRequest: (request) => ({ ...request, body: body() }),
          },
        ],
      },
      (error, finished) => (error ? fail(error instanceof Error ? error : new Error(String(error))) : done(finished)),
    );
    instance.on('response', (_client, status) => {
      if (status !== expected) unexpected++;
    });
  });
  if (profiled) profiledWindows.push({ from, to: micros() });
  return { perSecond: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, unexpected };
}

let sequence = 0;
const newEmail = () => JSON.stringify({ email: `u${process.pid}-${sequence++}@bench.example`, password: 'Tulip-Garden-42' });

async function sqliteStore(dir: string): Promise<Store> {
  const file = join(dir, 'bench.sqlite');
  const Database = (await import('better-sqlite3')).default;
  const open = () => new Database(file);
  return {
    url: `sqlite:${file}`,
    env: { DB_URL: `sqlite:${file}` },
    async poolTenantId() {
      const db = open();
      try {
        return (db.prepare('SELECT id FROM tenants WHERE kind = ? AND code = ?').get('userpool', POOL) as { id: number }).id;
      } finally {
        db.close();
      }
    },
    async prefill(count, tenantId) {
      const db = open();
      const hash = await bcrypt.hash('Tulip-Garden-42', 4);
      const insert = db.prepare(
        "INSERT INTO users (tenant_id, email, email_normalized, password_hash, status, email_verified, register_source, profile, logins_count) VALUES (?, ?, ?, ?, 'active', 0, 'basic:email', '{}', 0)",
      );
      const batch = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) insert.run(tenantId, `prefill${i}@bench.example`, `prefill${i}@bench.example`, hash);
      });
      for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000));
      db.close();
    },
    async drop() {},
  };
}

async function mysqlStore(): Promise<Store> {
  if (!process.env.DB_URL?.startsWith('mysql://')) {
    throw new Error('--db mysql needs DB_URL=mysql://user:pass@host:port/db (the bench uses a database of its own beside it)');
  }
  const url = new URL(process.env.DB_URL);
  const database = `${url.pathname.slice(1) || 'unireg'}_bench_${process.pid}`;
  const server = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const admin = await createConnection(server);
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.end();
  url.pathname = `/${database}`;
  const withDb = async <T>(work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>) => {
    const connection = await createConnection({ ...server, database });
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  };
  return {
    url: url.toString(),
    env: { DB_URL: url.toString() },
    poolTenantId: () =>
      withDb(
        async (c) =>
          ((await c.query('SELECT id FROM tenants WHERE kind = ? AND code = ?', ['userpool', POOL]))[0] as { id: number }[])[0].id,
      ),
    async prefill(count, tenantId) {
      const hash = await bcrypt.hash('Tulip-Garden-42', 4);
      await withDb(async (c) => {
        for (let from = 0; from < count; from += 5_000) {
          const rows = Array.from({ length: Math.min(5_000, count - from) }, (_, k) => {
            const email = `prefill${from + k}@bench.example`;
            return [tenantId, email, email, hash, 'active', 0, 'basic:email', '{}', 0];
          });
          await c.query(
            'INSERT INTO users (tenant_id, email, email_normalized, password_hash, status, email_verified, register_source, profile, logins_count) VALUES ?',
            [rows],
          );
        }
      });
    },
    async drop() {
      const connection = await createConnection(server);
      await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await connection.end();
    },
  };
}

async function main(): Promise<void> {
  spawnSync(process.execPath, ['scripts/build-if-stale.js'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'unireg-bench-'));
  const store = options.db === 'mysql' ? await mysqlStore() : await sqliteStore(dir);
  const baseEnv = {
    ...store.env,
    DATA_DIR: dir,
    JWT_SECRET: randomBytes(24).toString('base64url'),
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    UV_THREADPOOL_SIZE: String(THREADS),
  };
  const children = new Set<ChildProcess>();
  try {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...baseEnv } });
    cli('migrate');
    cli('userpool', 'create', '--name', 'bench', '--id', POOL, '--password-strength', '0');

    const unireg = async (cost: number, profiled = false) => {
      const port = await freePort();
      const nodeOptions = profiled && PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
      const child = await start(
        [...NODE_OPTIONS, ...nodeOptions, 'dist/main.js'],
        { ...baseEnv, PORT: String(port), BCRYPT_COST: String(cost) },
        port,
        '/healthz',
      );
      children.add(child);
      return { port, child };
    };
    const reference = async (args: string[]) => {
      const port = await freePort();
      const child = await start(['bench/reference-server.js', args[0], String(port), ...args.slice(1)], {}, port, null);
      children.add(child);
      return { port, child };
    };
    const register = (port: number, profiled = false) =>
      load(port, '/api/v1/register/email', { 'x-userpool-id': POOL }, newEmail, 200, profiled);
    const malformedBody = () => '{"email":"not-an-email","password":"Tulip-Garden-42"}';
    const referenceRegister = (port: number) => load(port, '/', {}, newEmail, 200);

    log(`ceiling: bcrypt alone at cost 10 on ${THREADS} threads ...`);
    const ceilingRun = spawnSync(process.execPath, ['bench/reference-server.js', 'ceiling', '10', String(SECONDS), String(THREADS * 2)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', UV_THREADPOOL_SIZE: String(THREADS) },
    });
    const ceiling = Number(ceilingRun.stdout.toString().trim());

    log('registrations at cost 10 ...');
    const slow = await unireg(10);
    const cpuBefore = cpuSeconds(slow.child.pid!);
    const cost10 = await register(slow.port);
    const cpuUsed = (cpuSeconds(slow.child.pid!) - cpuBefore) / SECONDS;
    await stop(slow.child);

    log('registrations at cost 4, unireg and the reference server ...');
    const fast = await unireg(4, true);
    const rssAtStart = rssMegabytes(fast.child.pid!);
    const cost4 = await register(fast.port, true);
    const rss = rssMegabytes(fast.child.pid!);

    log('rejected requests: malformed email, unknown pool, duplicate ...');
    await fetch(`http://127.0.0.1:${fast.port}/api/v1/register/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-userpool-id': POOL },
      body: JSON.stringify({ email: 'dup@bench.example', password: 'Tulip-Garden-42' }),
    });
    const malformed = await load(fast.port, '/api/v1/register/email', { 'x-userpool-id': POOL }, malformedBody, 400, true);
    const unknownPool = await load(fast.port, '/api/v1/register/email', { 'x-userpool-id': 'no-such-pool' }, newEmail, 404, true);
    const duplicate = await load(
      fast.port,
      '/api/v1/register/email',
      { 'x-userpool-id': POOL },
      () => '{"email":"dup@bench.example","password":"Tulip-Garden-42"}',
      409,
      true,
    );
    const rssAfterRejected = rssMegabytes(fast.child.pid!);
    await stop(fast.child);

    const referenceServer = await reference(['register', '4', store.url]);
    const referenceCost4 = await referenceRegister(referenceServer.port);
    await stop(referenceServer.child);
    const refuse = async (kind: 'bare' | 'express' | 'nest' | 'nest-fastify') => {
      const server = await reference([kind]);
      const result = await load(server.port, '/', {}, malformedBody, 400);
      await stop(server.child);
      return result;
    };
    log('rejected requests: bare node:http, Express alone, the least Nest app on Express and on Fastify ...');
    const bare = await refuse('bare');
    const express = await refuse('express');
    const nest = await refuse('nest');
    const nestFastify = await refuse('nest-fastify');

    let prefilled: { users: number; cost4: Load } | undefined;
    if (PREFILL > 0) {
      log(`filling the users table with ${PREFILL} users ...`);
      await store.prefill(PREFILL, await store.poolTenantId());
      const full = await unireg(4);
      prefilled = { users: PREFILL, cost4: await register(full.port) };
      await stop(full.child);
    }

    const rejected = Math.min(malformed.perSecond, unknownPool.perSecond, duplicate.perSecond);
    const report = {
      db: options.db,
      cores: availableParallelism(),
      threadPoolSize: THREADS,
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      nodeOptions: NODE_OPTIONS.join(' '),
      bcryptCeilingCost10: ceiling,
      cost10: { ...cost10, ratioToCeiling: ratio(cost10.perSecond, ceiling), cpuCoresUsed: Math.round(cpuUsed * 100) / 100 },
      cost4: { ...cost4, reference: referenceCost4, ratioToReference: ratio(cost4.perSecond, referenceCost4.perSecond) },
      rejected: {
        malformedEmail: malformed,
        unknownPool,
        duplicate,
        bare,
        ratioToBare: ratio(rejected, bare.perSecond),
        express,
        nest,
        nestFastify,
      },
      rssMegabytesAtStart: Math.round(rssAtStart),
      rssMegabytes: Math.round(Math.max(rss, rssAfterRejected)),
      prefilled: prefilled && { ...prefilled, ratioToEmpty: ratio(prefilled.cost4.perSecond, cost4.perSecond) },
      profile: PROFILE_DIR ? { directory: PROFILE_DIR, ...summarizeProfiles(PROFILE_DIR, profiledWindows) } : undefined,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      printTable(report, rejected);
    }
  } finally {
    await Promise.all([...children].map(stop));
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Report = {
  db: string;
  cores: number;
  threadPoolSize: number;
  connections: number;
  secondsPerRun: number;
  nodeOptions: string;
  bcryptCeilingCost10: number;
  cost10: Load & { ratioToCeiling: number; cpuCoresUsed: number };
  cost4: Load & { reference: Load; ratioToReference: number };
  rejected: {
    malformedEmail: Load;
    unknownPool: Load;
    duplicate: Load;
    bare: Load;
    ratioToBare: number;
    express: Load;
    nest: Load;
    nestFastify: Load;
  };
  rssMegabytesAtStart: number;
  rssMegabytes: number;
  prefilled?: { users: number; cost4: Load; ratioToEmpty: number };
  profile?: { directory: string; busySeconds: number; shares: Share[] };
};

function printTable(r: Report, rejected: number): void {
  const n = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  const lat = (l: Load) => `${l.p50} / ${l.p99} ms`;
  const rows: string[][] = [
    ['figure', 'unireg', 'reference', 'ratio', 'target'],
    ['bcrypt ceiling, cost 10 (hashes/s)', '', n(r.bcryptCeilingCost10), '', ''],
    ['registrations/s, cost 10', n(r.cost10.perSecond), n(r.bcryptCeilingCost10), r.cost10.ratioToCeiling.toFixed(2), '>= 0.90'],
    ['  latency p50 / p99', lat(r.cost10), '', '', ''],
    ['  CPU cores used by unireg', r.cost10.cpuCoresUsed.toFixed(2), String(r.cores), '', ''],
    ['registrations/s, cost 4', n(r.cost4.perSecond), n(r.cost4.reference.perSecond), r.cost4.ratioToReference.toFixed(2), '>= 0.80'],
    ['  latency p50 / p99', lat(r.cost4), lat(r.cost4.reference), '', ''],
    ['rejected/s, malformed email', n(r.rejected.malformedEmail.perSecond), n(r.rejected.bare.perSecond), '', ''],
    ['rejected/s, unknown pool', n(r.rejected.unknownPool.perSecond), n(r.rejected.bare.perSecond), '', ''],
    ['rejected/s, duplicate', n(r.rejected.duplicate.perSecond), n(r.rejected.bare.perSecond), '', ''],
    [
      '  slowest kind vs bare node:http',
      n(rejected),
      n(r.rejected.bare.perSecond),
      r.rejected.ratioToBare.toFixed(2),
      '>= 3000/s, >= 0.25',
    ],
    ['  latency p50 / p99 (malformed)', lat(r.rejected.malformedEmail), lat(r.rejected.bare), '', ''],
    [
      '  for scale: Express 5 + JSON alone',
      '',
      n(r.rejected.express.perSecond),
      ratio(r.rejected.express.perSecond, r.rejected.bare.perSecond).toFixed(2),
      '',
    ],
    [
      '  for scale: the least Nest 11 app',
      '',
      n(r.rejected.nest.perSecond),
      ratio(r.rejected.nest.perSecond, r.rejected.bare.perSecond).toFixed(2),
      '',
    ],
    [
      "  ... on Nest's Fastify adapter",
      '',
      n(r.rejected.nestFastify.perSecond),
      ratio(r.rejected.nestFastify.perSecond, r.rejected.bare.perSecond).toFixed(2),
      '',
    ],
    ['RSS at start (MB)', String(r.rssMegabytesAtStart), '', '', ''],
    ['RSS after the load (MB)', String(r.rssMegabytes), '', '', '<= 150'],
  ];
  if (r.prefilled) {
    rows.push([
      `registrations/s, cost 4, ${r.prefilled.users} users`,
      n(r.prefilled.cost4.perSecond),
      n(r.cost4.perSecond),
      r.prefilled.ratioToEmpty.toFixed(2),
      '>= 0.90',
    ]);
  }
  const unexpected = [
    r.cost10,
    r.cost4,
    r.cost4.reference,
    r.rejected.malformedEmail,
    r.rejected.unknownPool,
    r.rejected.duplicate,
    r.rejected.bare,
    r.rejected.express,
    r.rejected.nest,
    r.rejected.nestFastify,
    r.prefilled?.cost4,
  ]
    .filter((l): l is Load => l !== undefined)
    .reduce((sum, l) => sum + l.unexpected, 0);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  process.stdout.write(
    `unireg bench: ${r.db}, ${r.cores} cores, UV_THREADPOOL_SIZE=${r.threadPoolSize}, ${r.connections} connections, ${r.secondsPerRun} s per run` +
      `${r.nodeOptions ? `, unireg run with node ${r.nodeOptions}` : ''}\n` +
      rows
        .map((row) =>
          row
            .map((cell, column) => cell.padEnd(widths[column]))
            .join('  ')
            .trimEnd(),
        )
        .join('\n') +
      `\nanswers with an unexpected status: ${unexpected}\n`,
  );
  if (r.profile) {
    process.stdout.write(
      `\nwhere unireg's main thread spent its ${r.profile.busySeconds.toFixed(1)} busy CPU seconds during the cost-4 and rejected loads ` +
        `(profiles in ${r.profile.directory}):\n` +
        r.profile.shares.map(({ where, share }) => `${(share * 100).toFixed(1).padStart(5)}%  ${where}`).join('\n') +
        '\n',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
