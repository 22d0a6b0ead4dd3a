import cluster from 'node:cluster';
import { AppConfig } from './config/app-config';

/**
 * The primary of WORKERS processes (Node's cluster): it serves nothing itself, forks one worker per
 * WORKERS, which share the port, replaces a worker that dies, and on SIGTERM or SIGINT passes the stop
 * on to every worker (each then stops gracefully) and exits when the last one has.
 */
export function runPrimary(config: AppConfig, log: (line: string) => void): void {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < config.server.workers; i++) {
    fork();
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        process.exit(0);
      }
      return;
    }
    log(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) {
        worker?.process.kill(signal);
      }
    });
  }
  log(`primary ${process.pid}: ${config.server.workers} workers on port ${config.server.port}`);
}

export const isPrimaryOfWorkers = (config: AppConfig) => config.server.workers > 1 && cluster.isPrimary;
