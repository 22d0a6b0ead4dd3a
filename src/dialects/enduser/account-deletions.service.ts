import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { TransactionRunnerService } from '../../database/transaction-runner.service';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { PendingDeletionsStore } from './pending-deletions.store';

/** userDelete type 2: the account goes this long after the request, unless its user signs in meanwhile. */
export const DELETION_DELAY_SECONDS = 7 * 24 * 3600;
/** How often every instance of the HTTP app looks for due deletions; tests inject a shorter one. */
export const DELETION_SWEEP_INTERVAL_MS = Symbol('DELETION_SWEEP_INTERVAL_MS');
export const DEFAULT_DELETION_SWEEP_INTERVAL_MS = 60_000;
/** The `source` of the `user.deleted` event of an account its user deleted, at once or when the delay ran out. */
const ACCOUNT_DELETION_SOURCE = 'account-deletion';
/** Due deletions taken per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 100;

/** Deletions of enduser accounts, now (userDelete type 1) or after DELETION_DELAY_SECONDS (type 2). */
@Injectable()
export class AccountDeletionsService {
  constructor(
    private readonly deletions: PendingDeletionsStore,
    private readonly users: UsersService,
    private readonly transactions: TransactionRunnerService,
    private readonly clock: Clock,
  ) {}

  async deleteNow(user: Pick<User, 'id'>): Promise<void> {
    await this.transactions.run((transaction) => this.users.delete(user.id, transaction, ACCOUNT_DELETION_SOURCE));
  }

  /** Schedules the deletion and returns when it is due; a repeated request starts the delay again. */
  async deleteLater(user: Pick<User, 'id'>): Promise<number> {
    const dueAt = this.clock.now() + DELETION_DELAY_SECONDS * 1000;
    await this.deletions.upsert(user.id, dueAt);
    return dueAt;
  }

  /** A sign-in keeps the account. */
  cancel(user: Pick<User, 'id'>): Promise<void> {
    return this.deletions.cancel(user.id);
  }

  /**
   * Deletes the users whose deletion is due, each in a transaction that first takes its row with a conditional
   * DELETE: instances sweeping at once delete each user exactly once, and a sign-in that cancelled first wins.
   * Returns how many this call deleted.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let deleted = 0;
    for (const userId of await this.deletions.due(now, SWEEP_BATCH)) {
      const taken = await this.transactions.run(
        async (transaction) =>
          (await this.deletions.take(transaction, userId, now)) && (await this.users.delete(userId, transaction, ACCOUNT_DELETION_SOURCE)),
      );
      deleted += taken ? 1 : 0;
    }
    return deleted;
  }
}

/**
 * Runs the sweep every DELETION_SWEEP_INTERVAL_MS in each instance of the HTTP app (the CLI has none). Due
 * rows stay in the database, so a restart or a crash loses nothing: the next sweep of any instance takes them.
 */
@Injectable()
export class AccountDeletionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccountDeletionSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly deletions: AccountDeletionsService,
    @Inject(DELETION_SWEEP_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    // A sweep slower than the interval is not started twice in one instance.
    this.running ??= this.deletions
      .sweep()
      .then(
        (deleted) => {
          if (deleted > 0) {
            this.logger.log(`deleted ${deleted} enduser account(s) whose deletion was due`);
          }
        },
        (error: unknown) => this.logger.warn(`account deletion sweep failed, retried next time: ${(error as Error).message}`),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
