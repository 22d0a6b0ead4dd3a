import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, Repository } from 'typeorm';
import { managerOf, Transaction } from '../../database/transaction';
import { PendingDeletion } from './pending-deletion.entity';

/** Every query on deletions users asked for later. */
@Injectable()
export class PendingDeletionsStore {
  constructor(@InjectRepository(PendingDeletion) private readonly deletions: Repository<PendingDeletion>) {}

  /** Schedules the user's deletion, or moves an earlier request's due time. */
  async upsert(userId: number, dueAt: number): Promise<void> {
    await this.deletions.upsert({ userId, dueAt }, ['userId']);
  }

  /** Cancels the user's pending deletion, if any. */
  async cancel(userId: number): Promise<void> {
    await this.deletions.delete({ userId });
  }

  find(userId: number): Promise<PendingDeletion | null> {
    return this.deletions.findOneBy({ userId });
  }

  /** Users whose deletion is due at `now`, at most `limit`, earliest first. */
  async due(now: number, limit: number): Promise<number[]> {
    const rows = await this.deletions.find({ where: { dueAt: LessThanOrEqual(now) }, order: { dueAt: 'ASC' }, take: limit });
    return rows.map((row) => row.userId);
  }

  /**
   * Takes a due deletion inside `transaction`: one conditional DELETE, so of every instance sweeping at once
   * exactly one gets true for a user, and none after a sign-in cancelled it.
   */
  async take(transaction: Transaction, userId: number, now: number): Promise<boolean> {
    const result = await managerOf(transaction).delete(PendingDeletion, { userId, dueAt: LessThanOrEqual(now) });
    return result.affected === 1;
  }
}
