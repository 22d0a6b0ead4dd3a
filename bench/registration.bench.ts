/**
 * `npm run bench -- [--db sqlite|mysql] [--seconds 5] [--connections 16] [--users 0] [--json] [--profile DIR]
 *                  [--node-options='--max-semi-space-size=2 ...']`
 *
 * unireg's hot paths measured against the least a server can do (docs/performance.md): registration, sign-in,
 * token-authenticated reads and refreshes in every dialect, and rejected requests. unireg runs as a real process
 * (`node dist/main.js`), beside reference servers the bench starts itself (bench/reference-server.js), each
 * loaded in turn by autocannon over loopback. MySQL/MariaDB comes from DB_URL; the bench works in a database of
 * its own there and drops it after. Prints one table, or one JSON object with --json. With --profile, every
 * unireg process of the run writes CPU profiles into DIR, and the bench adds where its busy time went during
 * each kind of load. unireg runs with the node flags of `npm start` (package.json), or with --node-options
 * instead, to measure another memory or speed setting of V8 against the same yardsticks.
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
import { emailSkeleton, usernameSkeleton } from '../src/users/identity';
import { Share, summarizeProfiles, Window } from './cpu-profile';
import { Call, HotPaths, hotPaths, Identity, PASSWORD, Refresh, send, Session, userpoolSignIn } from './hot-paths';

const ROOT = resolve(__dirname, '..');
const POOL = 'bench';
/** Users the timed sign-ins cycle through, so that no one row takes every sign-in's update. */
const SIGN_IN_USERS = 1000;

const { values: options } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    users: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'node-options': { type: 'string' },
  },
});
const SECONDS = Number(options.seconds);
const CONNECTIONS = Number(options.connections);
const PREFILL = Number(options.users);
const THREADS = Number(process.env.UV_THREADPOOL_SIZE ?? availableParallelism());
/** The flags `npm start` gives node before dist/main.js, so that the bench measures unireg as it is started. */
function startFlags(): string {
  const start = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const flags = /^node((?: --\S+)*) dist\/main\.js$/.exec(start)?.[1];
  if (flags === undefined) throw new Error(`package.json's start script is not "node [--flags] dist/main.js": ${start}`);
  return flags;
}
const NODE_OPTIONS = (options['node-options'] ?? startFlags()).split(' ').filter(Boolean);
const PROFILE_DIR = options.profile === undefined ? undefined : resolve(options.profile);
/** When each kind of profiled load ran, on the clock V8 stamps profile samples with. */
const profiledWindows = new Map<string, Window[]>();
const micros = () => Number(process.hrtime.bigint() / 1000n);

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  unexpected: number;
  /** CPU cores the loaded process used meanwhile (user + system time / wall time), when it was asked for. */
  cpuCoresUsed?: number;
}

interface Store {
  url: string;
  env: Record<string, string>;
  tenantId(kind: string, code: string): Promise<number>;
  /** Inserts users in bulk, not through HTTP, all with the one password hash given. */
  insertUsers(tenantId: number, count: number, identity: (index: number) => Identity, hash: string): Promise<void>;
  drop(): Promise<void>;
}

/** What one load sends: a fixed request, or one made anew each time; `onAnswer` sees every answer's body, false counts it as unexpected. */
interface LoadSpec {
  call: Call;
  next?: () => Partial<Call>;
  onAnswer?: (status: number, body: string) => boolean;
  expected: number;
  /** The kind of load, for --profile; unprofiled when absent. */
  profiled?: string;
  /** The loaded process, to count the CPU it used. */
  pid?: number;
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
      if (attempt > 300 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`${command.join(' ')} did not start`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return child;
}

/** SIGTERM, and SIGKILL after 10 s: a unireg still starting (say, filling identity skeletons) does not stop on SIGTERM. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
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

/** Loads `port` with one kind of request for SECONDS; every answer should have the status `expected`. */
async function load(port: number, spec: LoadSpec): Promise<Load> {
  let unexpected = 0;
  const from = micros();
  const cpuBefore = spec.pid === undefined ? 0 : cpuSeconds(spec.pid);
  const { next, onAnswer } = spec;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            ...spec.call,
            ...(next && {
              setupRequest: (request: autocannon.Request) => {
                const { headers, ...rest } = next();
                return { ...request, ...rest, headers: { ...request.headers, ...headers } };
              },
            }),
            ...(onAnswer && {
              onResponse: (status: number, body: string) => {
                if (status === spec.expected && !onAnswer(status, body)) unexpected++;
              },
            }),
          },
        ],
      },
      (error, finished) => (error ? fail(error instanceof Error ? error : new Error(String(error))) : done(finished)),
    );
    instance.on('response', (_client, status) => {
      if (status !== spec.expected) unexpected++;
    });
  });
  const to = micros();
  if (spec.profiled) profiledWindows.set(spec.profiled, [...(profiledWindows.get(spec.profiled) ?? []), { from, to }]);
  const cpuCoresUsed =
    spec.pid === undefined ? undefined : Math.round(((cpuSeconds(spec.pid) - cpuBefore) / ((to - from) / 1e6)) * 100) / 100;
  return { perSecond: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, unexpected, cpuCoresUsed };
}

let sequence = 0;
const newEmail = () => JSON.stringify({ email: `u${process.pid}-${sequence++}@bench.example`, password: PASSWORD });
const userRow = (tenantId: number, { email, username }: Identity, hash: string, now: number) => [
  tenantId,
  email ?? null,
  email ?? null,
  username ?? null,
  username ?? null,
  // As registration stores them: a row without them would be filled in at the service's start on SQLite.
  email ? emailSkeleton(email) : null,
  username ? usernameSkeleton(username) : null,
  hash,
  'active',
  0,
  email ? 'basic:email' : 'basic:username',
  '{}',
  0,
  now,
  now,
];
const INSERT_USERS =
  'INSERT INTO users (tenant_id, email, email_normalized, username, username_normalized, email_skeleton, username_skeleton, password_hash, status, email_verified, register_source, profile, logins_count, created_at, updated_at) VALUES ';
const TENANT_ID = 'SELECT id FROM tenants WHERE kind = ? AND code = ?';

async function sqliteStore(dir: string): Promise<Store> {
  const file = join(dir, 'bench.sqlite');
  const Database = (await import('better-sqlite3')).default;
  const open = () => new Database(file);
  return {
    url: `sqlite:${file}`,
    env: { DB_URL: `sqlite:${file}` },
    async tenantId(kind, code) {
      const db = open();
      try {
        return (db.prepare(TENANT_ID).get(kind, code) as { id: number }).id;
      } finally {
        db.close();
      }
    },
    async insertUsers(tenantId, count, identity, hash) {
      const db = open();
      const insert = db.prepare(`${INSERT_USERS}(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const now = Date.now();
      const batch = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) insert.run(...userRow(tenantId, identity(i), hash, now));
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
    tenantId: (kind, code) => withDb(async (c) => ((await c.query(TENANT_ID, [kind, code]))[0] as { id: number }[])[0].id),
    async insertUsers(tenantId, count, identity, hash) {
      const now = Date.now();
      await withDb(async (c) => {
        for (let from = 0; from < count; from += 5_000) {
          const rows = Array.from({ length: Math.min(5_000, count - from) }, (_, k) => userRow(tenantId, identity(from + k), hash, now));
          await c.query(`${INSERT_USERS}?`, [rows]);
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

/**
 * Refresh tokens for a load in which every request is a real, successful refresh: each request takes a token no
 * request has used, and each answer puts back the token it issued. With one signed-in family per connection
 * there is always one to take, since a connection sends its next request only after its last answer.
 */
function refreshChain(d: HotPaths, refresh: Refresh, tokens: string[], expected: number, pid: number, profiled: string): LoadSpec {
  const unused = [...tokens];
  // Were the queue ever empty, the request would carry no token and count as an unexpected answer.
  const take = () => refresh.call(unused.shift() ?? '');
  return {
    // Only the base of each connection's requests: every request sent is made by `next`.
    call: refresh.call(''),
    next: take,
    onAnswer: (_status, body) => {
      try {
        if (d.succeeded && !d.succeeded(body)) return false;
        unused.push(refresh.next(body));
        return true;
      } catch {
        return false;
      }
    },
    expected,
    pid,
    profiled,
  };
}

/** Sends `call` once: it must succeed, and its status is the one the load expects. */
async function probe(port: number, call: Call, succeeded?: (body: string) => boolean): Promise<number> {
  const { status, body } = await send(port, call);
  if (succeeded && !succeeded(body)) throw new Error(`${call.method} ${call.path} answered ${body.slice(0, 300)}`);
  return status;
}

/** One dialect's loads, each with the least Nest app's rate measured right after it. */
interface DialectLoads {
  dialect: string;
  readRoute: string;
  read: Load;
  readReference?: Load;
  refreshRoute?: string;
  refresh?: Load;
  refreshReference?: Load;
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
    const cli = (...args: string[]) => {
      const run = spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...baseEnv } });
      if (run.status !== 0) throw new Error(`cli ${args.join(' ')}: ${run.stderr.toString().trim()}`);
      return run.stdout.toString();
    };
    cli('migrate');
    cli('userpool', 'create', '--name', 'bench', '--id', POOL, '--password-strength', '0');
    const demo = JSON.parse(cli('seed', 'demo', '--json')) as Record<string, string>;
    const domain = JSON.parse(cli('user-domain', 'secret', '--domain', demo.userDomain, '--json')) as { secret: string };
    const dialects = hotPaths({
      userpool: POOL,
      site: 'site',
      bytepowerApp: demo.bytepowerApp,
      bytepowerKeyName: demo.bytepowerKeyName,
      bytepowerKeySecret: demo.bytepowerKeySecret,
      userDomain: demo.userDomain,
      userDomainSecret: domain.secret,
    });

    log('seeding: sign-in users at cost 10, one reader per connection in every dialect at cost 4 ...');
    const poolId = await store.tenantId('userpool', POOL);
    const [hash10, hash4] = await Promise.all([bcrypt.hash(PASSWORD, 10), bcrypt.hash(PASSWORD, 4)]);
    await store.insertUsers(poolId, SIGN_IN_USERS, (i) => ({ email: `signin${i}@bench.example` }), hash10);
    for (const d of dialects) {
      await store.insertUsers(await store.tenantId(d.tenant.kind, d.tenant.code), CONNECTIONS, d.identity, hash4);
    }

    const unireg = async (cost: number) => {
      const port = await freePort();
      const nodeOptions = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
      const child = await start(
        [...NODE_OPTIONS, ...nodeOptions, 'dist/main.js'],
        { ...baseEnv, PORT: String(port), BCRYPT_COST: String(cost) },
        port,
        '/healthz',
      );
      children.add(child);
      return { port, pid: child.pid!, child };
    };
    const reference = async (args: string[]) => {
      const port = await freePort();
      const child = await start(['bench/reference-server.js', args[0], String(port), ...args.slice(1)], {}, port, null);
      children.add(child);
      return { port, child };
    };
    const registration = (body: () => string, expected: number, pool = POOL): LoadSpec => ({
      call: { method: 'POST', path: '/api/v1/register/email', headers: { 'content-type': 'application/json', 'x-userpool-id': pool } },
      next: () => ({ body: body() }),
      expected,
    });
    const malformedBody = () => '{"email":"not-an-email","password":"Tulip-Garden-42"}';
    let signInIndex = 0;
    /** Userpool sign-ins at cost 10, each as the next of `count` users named by `email`. */
    const signIns = (count: number, email: (index: number) => string): LoadSpec => ({
      call: userpoolSignIn(POOL, email(0)),
      next: () => ({ body: userpoolSignIn(POOL, email(signInIndex++ % count)).body }),
      expected: 200,
    });
    /** Signs in one reader per connection in every dialect, through the dialects' own routes. */
    const signInReaders = async (port: number) =>
      Promise.all(
        dialects.map(async (d) => ({ d, sessions: await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => d.signIn(port, i))) })),
      );
    /** Token reads in every dialect, each reader's request in turn, each followed by `yardstick` when given. */
    const reads = async (port: number, pid: number, signedIn: { d: HotPaths; sessions: Session[] }[], yardstick?: () => Promise<Load>) => {
      const results: DialectLoads[] = [];
      for (const { d, sessions } of signedIn) {
        let turn = 0;
        const expected = await probe(port, sessions[0].read, d.succeeded);
        log(`  ${d.dialect}: ${d.readRoute}`);
        const read = await load(port, {
          call: sessions[0].read,
          next: () => sessions[turn++ % sessions.length].read,
          onAnswer: d.succeeded && ((_status, body) => d.succeeded!(body)),
          expected,
          pid,
          profiled: 'token reads',
        });
        results.push({ dialect: d.dialect, readRoute: d.readRoute, read, readReference: await yardstick?.() });
      }
      return results;
    };

    const bcryptCeiling = () => {
      const run = spawnSync(process.execPath, ['bench/reference-server.js', 'ceiling', '10', String(SECONDS), String(THREADS * 2)], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', UV_THREADPOOL_SIZE: String(THREADS) },
      });
      return Number(run.stdout.toString().trim());
    };

    log(`registrations and sign-ins at cost 10, each followed by the ceiling: bcrypt alone on ${THREADS} threads ...`);
    const slow = await unireg(10);
    const cost10 = await load(slow.port, { ...registration(newEmail, 200), pid: slow.pid, profiled: 'registrations and rejected' });
    const ceiling = bcryptCeiling();
    await probe(slow.port, userpoolSignIn(POOL, 'signin0@bench.example'));
    const signIn = await load(slow.port, {
      ...signIns(SIGN_IN_USERS, (i) => `signin${i}@bench.example`),
      pid: slow.pid,
      profiled: 'sign-ins',
    });
    const signInCeiling = bcryptCeiling();
    await stop(slow.child);

    log('registrations at cost 4, rejected requests, token reads and refreshes, each followed by its yardstick ...');
    // The yardsticks serve beside unireg, idle but for their own loads, and each is loaded right after the unireg
    // load it is compared with: on a shared machine the rate of anything drifts within a minute, so a ratio is
    // only as good as the two loads' meeting the same machine.
    const registerReference = await reference(['register', '4', store.url]);
    const nestReference = await reference(['nest']);
    const onNest = (call: Call, expected: number) =>
      load(nestReference.port, { call: { ...call, headers: { 'content-type': 'application/json', ...call.headers } }, expected });
    const nestRead = () => onNest({ method: 'GET', path: '/', headers: { authorization: 'Bearer x' } }, 200);
    const nestPost = () => onNest({ method: 'POST', path: '/ok', headers: {}, body: '{"refresh_token":"x"}' }, 200);
    const refusal: Call = { method: 'POST', path: '/', headers: {}, body: malformedBody() };
    const fast = await unireg(4);
    const rssAtStart = rssMegabytes(fast.pid);
    const cost4 = await load(fast.port, { ...registration(newEmail, 200), profiled: 'registrations and rejected' });
    const rssAfterCost4 = rssMegabytes(fast.pid);
    const referenceCost4 = await load(registerReference.port, {
      ...registration(newEmail, 200),
      call: { method: 'POST', path: '/', headers: { 'content-type': 'application/json' } },
    });
    await fetch(`http://127.0.0.1:${fast.port}/api/v1/register/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-userpool-id': POOL },
      body: JSON.stringify({ email: 'dup@bench.example', password: PASSWORD }),
    });
    const rejectedLoad = (body: () => string, expected: number, pool?: string) =>
      load(fast.port, { ...registration(body, expected, pool), profiled: 'registrations and rejected' });
    const malformed = await rejectedLoad(malformedBody, 400);
    const unknownPool = await rejectedLoad(newEmail, 404, 'no-such-pool');
    const duplicate = await rejectedLoad(() => '{"email":"dup@bench.example","password":"Tulip-Garden-42"}', 409);
    const nest = await onNest(refusal, 400);
    const signedIn = await signInReaders(fast.port);
    const dialectLoads = await reads(fast.port, fast.pid, signedIn, nestRead);
    for (const { d, sessions } of signedIn) {
      if (!d.refresh) continue;
      log(`  ${d.dialect}: ${d.refresh.route}`);
      const tokens = sessions.map((s) => s.refreshToken!);
      const first = await send(fast.port, d.refresh.call(tokens[0]));
      tokens[0] = d.refresh.next(first.body);
      const entry = dialectLoads.find((l) => l.dialect === d.dialect)!;
      entry.refreshRoute = d.refresh.route;
      entry.refresh = await load(fast.port, refreshChain(d, d.refresh, tokens, first.status, fast.pid, 'refreshes'));
      entry.refreshReference = await nestPost();
    }
    const rssAfterLoad = rssMegabytes(fast.pid);
    await Promise.all([stop(fast.child), stop(registerReference.child), stop(nestReference.child)]);

    log('for scale: bare node:http, Express alone, the least Nest app on Fastify ...');
    const yardstick = async (kind: 'bare' | 'express' | 'nest-fastify') => {
      const server = await reference([kind]);
      const result = await load(server.port, { call: { ...refusal, headers: { 'content-type': 'application/json' } }, expected: 400 });
      await stop(server.child);
      return result;
    };
    const bare = await yardstick('bare');
    const express = await yardstick('express');
    const nestFastify = await yardstick('nest-fastify');

    let prefilled: { users: number; cost4: Load; signIn: Load; ceiling: number; reads: DialectLoads[] } | undefined;
    if (PREFILL > 0) {
      log(`filling the users table with ${PREFILL} users ...`);
      await store.insertUsers(poolId, PREFILL, (i) => ({ email: `prefill${i}@bench.example` }), hash10);
      const full10 = await unireg(10);
      // Users spread over the whole table, not only its first rows.
      const stride = Math.max(1, Math.floor(PREFILL / SIGN_IN_USERS));
      const fullSignIn = await load(
        full10.port,
        signIns(Math.min(PREFILL, SIGN_IN_USERS), (i) => `prefill${i * stride}@bench.example`),
      );
      await stop(full10.child);
      // Minutes after the empty-table loads, each is compared through its yardstick taken again right after it.
      const fullCeiling = bcryptCeiling();
      const nestAgain = await reference(['nest']);
      const full4 = await unireg(4);
      const fullCost4 = await load(full4.port, registration(newEmail, 200));
      const fullReads = await reads(full4.port, full4.pid, signedIn, () =>
        load(nestAgain.port, { call: { method: 'GET', path: '/', headers: { authorization: 'Bearer x' } }, expected: 200 }),
      );
      await Promise.all([stop(full4.child), stop(nestAgain.child)]);
      prefilled = { users: PREFILL, cost4: fullCost4, signIn: fullSignIn, ceiling: fullCeiling, reads: fullReads };
    }

    const rejected = Math.min(malformed.perSecond, unknownPool.perSecond, duplicate.perSecond);
    const report: Report = {
      db: options.db,
      cores: availableParallelism(),
      threadPoolSize: THREADS,
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      nodeOptions: NODE_OPTIONS.join(' '),
      bcryptCeilingCost10: ceiling,
      cost10: { ...cost10, ratioToCeiling: ratio(cost10.perSecond, ceiling) },
      signIn: {
        ...signIn,
        route: 'userpool login/account',
        ceiling: signInCeiling,
        ratioToCeiling: ratio(signIn.perSecond, signInCeiling),
        perCore: Math.round((signIn.perSecond / (signIn.cpuCoresUsed ?? 1)) * 10) / 10,
      },
      cost4: { ...cost4, reference: referenceCost4, ratioToReference: ratio(cost4.perSecond, referenceCost4.perSecond) },
      dialects: dialectLoads.map((l) => ({
        ...l,
        readRatioToNest: ratio(l.read.perSecond, l.readReference!.perSecond),
        refreshRatioToNest: l.refresh && ratio(l.refresh.perSecond, l.refreshReference!.perSecond),
        refreshesPerCore: l.refresh && Math.round((l.refresh.perSecond / (l.refresh.cpuCoresUsed ?? 1)) * 10) / 10,
      })),
      rejected: {
        malformedEmail: malformed,
        unknownPool,
        duplicate,
        bare,
        ratioToBare: ratio(rejected, bare.perSecond),
        ratioToNest: ratio(rejected, nest.perSecond),
        express,
        nest,
        nestFastify,
      },
      keycloakPerVcpu: { signIns: 15, refreshes: 120 },
      rssMegabytesAtStart: Math.round(rssAtStart),
      rssMegabytes: Math.round(Math.max(rssAfterCost4, rssAfterLoad)),
      prefilled: prefilled && {
        ...prefilled,
        cost4RatioToEmpty: ratio(prefilled.cost4.perSecond, cost4.perSecond),
        signInRatioToEmpty: ratio(prefilled.signIn.perSecond / prefilled.ceiling, signIn.perSecond / signInCeiling),
        reads: prefilled.reads.map((l, i) => ({
          ...l,
          ratioToEmpty: ratio(
            l.read.perSecond / l.readReference!.perSecond,
            dialectLoads[i].read.perSecond / dialectLoads[i].readReference!.perSecond,
          ),
        })),
      },
      profile: PROFILE_DIR
        ? {
            directory: PROFILE_DIR,
            loads: Object.fromEntries([...profiledWindows].map(([kind, windows]) => [kind, summarizeProfiles(PROFILE_DIR, windows)])),
          }
        : undefined,
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
  db: string | undefined;
  cores: number;
  threadPoolSize: number;
  connections: number;
  secondsPerRun: number;
  nodeOptions: string;
  bcryptCeilingCost10: number;
  cost10: Load & { ratioToCeiling: number };
  signIn: Load & { route: string; ceiling: number; ratioToCeiling: number; perCore: number };
  cost4: Load & { reference: Load; ratioToReference: number };
  dialects: (DialectLoads & { readRatioToNest: number; refreshRatioToNest?: number; refreshesPerCore?: number })[];
  rejected: {
    malformedEmail: Load;
    unknownPool: Load;
    duplicate: Load;
    bare: Load;
    ratioToBare: number;
    ratioToNest: number;
    express: Load;
    nest: Load;
    nestFastify: Load;
  };
  keycloakPerVcpu: { signIns: number; refreshes: number };
  rssMegabytesAtStart: number;
  rssMegabytes: number;
  prefilled?: {
    users: number;
    cost4: Load;
    signIn: Load;
    cost4RatioToEmpty: number;
    ceiling: number;
    signInRatioToEmpty: number;
    reads: (DialectLoads & { ratioToEmpty: number })[];
  };
  profile?: { directory: string; loads: Record<string, { busySeconds: number; shares: Share[] }> };
};

function printTable(r: Report, rejected: number): void {
  const n = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  const lat = (l: Load) => `${l.p50} / ${l.p99} ms`;
  const vs = (l: Load) => ratio(rejected, l.perSecond).toFixed(2);
  const rows: string[][] = [
    ['figure', 'unireg', 'reference', 'ratio', 'target'],
    [
      'registrations/s, cost 10, vs the bcrypt ceiling right after',
      n(r.cost10.perSecond),
      n(r.bcryptCeilingCost10),
      r.cost10.ratioToCeiling.toFixed(2),
      '>= 0.90',
    ],
    ['  latency p50 / p99', lat(r.cost10), '', '', ''],
    ['  CPU cores used by unireg', (r.cost10.cpuCoresUsed ?? 0).toFixed(2), String(r.cores), '', ''],
    [
      `sign-ins/s, cost 10 (${r.signIn.route}), vs the same`,
      n(r.signIn.perSecond),
      n(r.signIn.ceiling),
      r.signIn.ratioToCeiling.toFixed(2),
      '>= 0.90',
    ],
    ['  latency p50 / p99', lat(r.signIn), '', '', ''],
    ['  per core unireg used; Keycloak per vCPU', n(r.signIn.perCore), String(r.keycloakPerVcpu.signIns), '', ''],
    ['registrations/s, cost 4', n(r.cost4.perSecond), n(r.cost4.reference.perSecond), r.cost4.ratioToReference.toFixed(2), '>= 0.80'],
    ['  latency p50 / p99', lat(r.cost4), lat(r.cost4.reference), '', ''],
    ['token reads/s, each vs the least Nest 11 app (GET) right after', '', '', '', ''],
    ...r.dialects.map((l) => [
      `  ${l.dialect}: ${l.readRoute}`,
      n(l.read.perSecond),
      n(l.readReference!.perSecond),
      l.readRatioToNest.toFixed(2),
      '>= 0.60',
    ]),
    ['refreshes/s, each vs the least Nest 11 app (POST) right after', '', '', '', ''],
    ...r.dialects
      .filter((l) => l.refresh)
      .flatMap((l) => [
        [
          `  ${l.dialect}: ${l.refreshRoute}`,
          n(l.refresh!.perSecond),
          n(l.refreshReference!.perSecond),
          l.refreshRatioToNest!.toFixed(2),
          '>= 0.60',
        ],
        ['    per core unireg used; Keycloak per vCPU', n(l.refreshesPerCore!), String(r.keycloakPerVcpu.refreshes), '', ''],
      ]),
    ['rejected/s, malformed email', n(r.rejected.malformedEmail.perSecond), n(r.rejected.nest.perSecond), '', ''],
    ['rejected/s, unknown pool', n(r.rejected.unknownPool.perSecond), n(r.rejected.nest.perSecond), '', ''],
    ['rejected/s, duplicate', n(r.rejected.duplicate.perSecond), n(r.rejected.nest.perSecond), '', ''],
    ['  slowest kind vs the least Nest 11 app', n(rejected), n(r.rejected.nest.perSecond), r.rejected.ratioToNest.toFixed(2), '>= 0.65'],
    ['  latency p50 / p99 (malformed)', lat(r.rejected.malformedEmail), lat(r.rejected.nest), '', ''],
    ['  for scale: bare node:http', '', n(r.rejected.bare.perSecond), vs(r.rejected.bare), ''],
    ['  for scale: Express 5 + JSON alone', '', n(r.rejected.express.perSecond), vs(r.rejected.express), ''],
    [
      "  for scale: the least Nest 11 app on Nest's Fastify adapter",
      '',
      n(r.rejected.nestFastify.perSecond),
      vs(r.rejected.nestFastify),
      '',
    ],
    ['RSS at start (MB)', String(r.rssMegabytesAtStart), '', '', ''],
    ['RSS after the load (MB)', String(r.rssMegabytes), '', '', '<= 150'],
  ];
  if (r.prefilled) {
    const p = r.prefilled;
    rows.push(
      [`with ${p.users} more users, vs the empty table`, '', '', '', ''],
      ['  registrations/s, cost 4', n(p.cost4.perSecond), n(r.cost4.perSecond), p.cost4RatioToEmpty.toFixed(2), '>= 0.90'],
      [
        '  sign-ins/s, cost 10 (ratio of each to its ceiling)',
        n(p.signIn.perSecond),
        n(r.signIn.perSecond),
        p.signInRatioToEmpty.toFixed(2),
        '>= 0.90',
      ],
      ...p.reads.map((l, i) => [
        `  ${l.dialect}: token reads/s (each to its Nest app)`,
        n(l.read.perSecond),
        n(r.dialects[i].read.perSecond),
        l.ratioToEmpty.toFixed(2),
        '>= 0.90',
      ]),
    );
  }
  const loads = [
    r.cost10,
    r.signIn,
    r.cost4,
    r.cost4.reference,
    ...r.dialects.flatMap((l) => [l.read, l.readReference, l.refresh, l.refreshReference]),
    r.rejected.malformedEmail,
    r.rejected.unknownPool,
    r.rejected.duplicate,
    r.rejected.bare,
    r.rejected.express,
    r.rejected.nest,
    r.rejected.nestFastify,
    r.prefilled?.cost4,
    r.prefilled?.signIn,
    ...(r.prefilled?.reads.flatMap((l) => [l.read, l.readReference]) ?? []),
  ];
  const unexpected = loads.filter((l): l is Load => l !== undefined).reduce((sum, l) => sum + l.unexpected, 0);
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
      `\nanswers with an unexpected status or body: ${unexpected}\n`,
  );
  if (r.profile) {
    for (const [kind, { busySeconds, shares }] of Object.entries(r.profile.loads)) {
      process.stdout.write(
        `\nwhere unireg's main thread spent its ${busySeconds.toFixed(1)} busy CPU seconds during the ${kind} ` +
          `(profiles in ${r.profile.directory}):\n` +
          shares.map(({ where, share }) => `${(share * 100).toFixed(1).padStart(5)}%  ${where}`).join('\n') +
          '\n',
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
