/**
 * Registration throughput beside the bcrypt limit of this machine (SPEC §4): the hash is the real cost,
 * so registrations per second should come close to hashes per second. Loopback only, bounded in time.
 */
import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import * as bcrypt from 'bcrypt';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { configureApp } from '../src/configure-app';
import { TenantKind } from '../src/users/entities/tenant.entity';
import { TenantsService } from '../src/users/tenants.service';

const SECONDS = Number(process.argv[2] ?? 5);
const CONCURRENCY = 8;
const COST = 10;

async function bcryptLimit(): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let hashes = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await bcrypt.hash(`password-${hashes}`, COST);
      hashes++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return hashes / ((Date.now() - started) / 1000);
}

async function registrations(): Promise<{ perSecond: number; p50: number; p95: number; failures: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'unireg-bench-'));
  const config = loadConfig({
    DB_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
    DATA_DIR: dir,
    BCRYPT_COST: String(COST),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  await app.get(TenantsService).create({ kind: TenantKind.Userpool, code: 'bench', name: 'bench', settings: {} });
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1/register/email`;

  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const sent = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-userpool-id': 'bench' },
        body: JSON.stringify({ email: `user${next++}@bench.example`, password: 'secret1' }),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      if (response.status !== 200) failures++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await app.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p95: at(0.95), failures };
}

async function main(): Promise<void> {
  console.log(`unireg bench: bcrypt cost ${COST}, ${CONCURRENCY} in flight, ${SECONDS} s per run, SQLite file`);
  const limit = await bcryptLimit();
  const result = await registrations();
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`bcrypt limit          ${limit.toFixed(1)} hashes/s`);
  console.log(`registration          ${result.perSecond.toFixed(1)} req/s (${((result.perSecond / limit) * 100).toFixed(0)}% of the bcrypt limit)`);
  console.log(`latency               p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
  console.log(`non-200 answers       ${result.failures}`);
  console.log(`resident memory       ${rss.toFixed(0)} MiB`);
}

void main();
