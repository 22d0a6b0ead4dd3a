/**
 * The yardsticks `npm run bench` measures unireg against, each the least a server can do for the same
 * request, run as its own process like unireg:
 *   node reference-server.js register <port> <cost> <dbUrl>   node:http + bcrypt + the same driver, one INSERT
 *   node reference-server.js bare <port>                      node:http answering every request with a 400
 *   node reference-server.js express <port>                   Express 5 with its JSON parser, the same 400
 *   node reference-server.js nest <port>                      the least Nest 11 app on Express: POST / throws a 400,
 *                                                             GET / and POST /ok answer a small JSON object with a 200
 *   node reference-server.js nest-fastify <port>              the same app on Nest's Fastify adapter
 *   node reference-server.js ceiling <cost> <seconds> <inFlight>   bcrypt alone: prints hashes per second
 * It prints `ready` (or the figure) on stdout. Loopback only.
 */
const { createServer } = require('node:http');
const bcrypt = require('bcrypt');

const [mode, ...args] = process.argv.slice(2);

/** The answer every yardstick gives a malformed registration, as unireg's userpool dialect words it. */
const MALFORMED = { code: 2003, success: false, msg: 'Email address is malformed', data: {} };
/** The answer the least Nest app gives a successful request: about the size of a signed-in user's profile. */
const SUCCESS = { code: 0, success: true, msg: 'success', data: { id: '1', email: 'reader0@bench.example', emailVerified: false } };

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function openStore(dbUrl) {
  if (dbUrl.startsWith('sqlite:')) {
    const Database = require('better-sqlite3');
    const db = new Database(dbUrl.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS bench_reference (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL)',
    );
    const insert = db.prepare('INSERT INTO bench_reference (email, password_hash) VALUES (?, ?)');
    return async (email, hash) => insert.run(email, hash);
  }
  const mysql = require('mysql2/promise');
  const pool = mysql.createPool({ uri: dbUrl, connectionLimit: 10 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_reference (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(320) NOT NULL UNIQUE, password_hash VARCHAR(100) NOT NULL)',
  );
  return async (email, hash) => pool.execute('INSERT INTO bench_reference (email, password_hash) VALUES (?, ?)', [email, hash]);
}

async function register(port, cost, dbUrl) {
  const insert = await openStore(dbUrl);
  const server = createServer(async (request, response) => {
    try {
      const { email, password } = JSON.parse(await readBody(request));
      await insert(email, await bcrypt.hash(password, cost));
      answer(response, 200, { code: 0, data: { email } });
    } catch {
      answer(response, 400, { code: 2000 });
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
}

function bare(port) {
  const server = createServer(async (request, response) => {
    await readBody(request);
    answer(response, 400, MALFORMED);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
}

/** What unireg's web stack costs before any of unireg's own code runs. */
function express(port) {
  const express = require('express');
  const app = express();
  app.use(express.json());
  app.post('/', (_request, response) => response.status(400).json(MALFORMED));
  const server = app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
  server.keepAliveTimeout = 65_000;
}

/**
 * The same for Nest on Express (unireg's platform) or on Fastify (@nestjs/platform-fastify, a dev
 * dependency for this yardstick only), written without decorator syntax so that it runs as plain JavaScript.
 */
async function nest(port, platform) {
  require('reflect-metadata');
  const { BadRequestException, Body, Controller, Get, HttpCode, Module, Post } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  class Refuse {
    register() {
      throw new BadRequestException(MALFORMED);
    }
    read() {
      return SUCCESS;
    }
    accept() {
      return SUCCESS;
    }
  }
  const decorate = (method, decorators) =>
    Reflect.decorate(decorators, Refuse.prototype, method, Object.getOwnPropertyDescriptor(Refuse.prototype, method));
  decorate('register', [Post()]);
  Body()(Refuse.prototype, 'register', 0);
  // The yardsticks of a successful token read (GET) and refresh (a JSON body in, 200 out).
  decorate('read', [Get()]);
  decorate('accept', [Post('ok'), HttpCode(200)]);
  Body()(Refuse.prototype, 'accept', 0);
  Reflect.decorate([Controller()], Refuse);
  class App {}
  Reflect.decorate([Module({ controllers: [Refuse] })], App);
  const adapter = platform === 'fastify' ? new (require('@nestjs/platform-fastify').FastifyAdapter)() : undefined;
  const app = adapter ? await NestFactory.create(App, adapter, { logger: false }) : await NestFactory.create(App, { logger: false });
  app.getHttpServer().keepAliveTimeout = 65_000;
  await app.listen(port, '127.0.0.1');
  process.stdout.write('ready\n');
}

async function ceiling(cost, seconds, inFlight) {
  const deadline = Date.now() + seconds * 1000;
  let hashes = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await bcrypt.hash(`password-${hashes}`, cost);
      hashes++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  process.stdout.write(`${hashes / ((Date.now() - started) / 1000)}\n`);
}

const run = {
  register: () => register(Number(args[0]), Number(args[1]), args[2]),
  bare: () => bare(Number(args[0])),
  express: () => express(Number(args[0])),
  nest: () => nest(Number(args[0]), 'express'),
  'nest-fastify': () => nest(Number(args[0]), 'fastify'),
  ceiling: () => ceiling(Number(args[0]), Number(args[1]), Number(args[2])),
}[mode];
if (!run) {
  process.stderr.write(
    'usage: reference-server.js register <port> <cost> <dbUrl> | bare|express|nest|nest-fastify <port> | ceiling <cost> <seconds> <inFlight>\n',
  );
  process.exit(2);
}
run();
