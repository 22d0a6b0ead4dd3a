import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isRetryableConflict } from './database-errors';
import { asTransaction, Transaction } from './transaction';

/** Tries of one transaction that the database aborted to break a conflict, before the error stands. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs a unit of work in a transaction. A transaction the database aborted to break a deadlock or a
 * lock wait (InnoDB; on a Galera cluster every conflicting commit between nodes) is run again, a
 * bounded number of times, so the loser of a race then meets the winner's row and hears the dialect's
 * duplicate error instead of a 5xx: `work` must therefore build everything it writes anew on each run.
 * TypeORM's better-sqlite3 driver shares one connection, so two overlapping transactions would nest
 * into each other; on SQLite they are queued here instead.
 */
@Injectable()
export class TransactionRunnerService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.schedule(() => this.dataSource.transaction((manager) => work(asTransaction(manager))));
  }

  /**
   * Runs work that issues a single write statement, which the database makes atomic by itself: it saves
   * the BEGIN and COMMIT round trips, and is queued and retried like a transaction.
   */
  runStatement<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.schedule(() => work(asTransaction(this.dataSource.manager)));
  }

  private schedule<T>(unit: () => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') {
      return this.withRetries(unit);
    }
    const result = this.queue.then(unit);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async withRetries<T>(unit: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await unit();
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableConflict(error)) {
          throw error;
        }
        // A little jitter keeps the same racers from colliding again in lockstep.
        await sleep(attempt * 5 + Math.random() * 10);
      }
    }
  }
}
