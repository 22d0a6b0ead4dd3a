import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { managerOf, Transaction } from '../database/transaction';
import { OutboxEvent } from './outbox-event.entity';

export type NewOutboxEvent = Pick<OutboxEvent, 'messageId' | 'tenantId' | 'type' | 'payload' | 'createdAt'>;

/** Rows per INSERT: an import writes thousands of events at once, and each row is 5 parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Every query on the outbox. Only the change's own transaction writes an event, so it commits or rolls back
 * with it; webhook delivery (src/webhooks) then claims each event once to hand it to its endpoints.
 */
@Injectable()
export class OutboxStore {
  constructor(@InjectRepository(OutboxEvent) private readonly events: Repository<OutboxEvent>) {}

  /** Adds the events in as few statements as their number allows, inside `transaction`. */
  async insert(transaction: Transaction, rows: readonly NewOutboxEvent[]): Promise<void> {
    const manager = managerOf(transaction);
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      await manager.query(
        'INSERT INTO outbox_events (message_id, tenant_id, type, payload, created_at) VALUES ' +
          chunk.map(() => '(?, ?, ?, ?, ?)').join(', '),
        chunk.flatMap((row) => [row.messageId, row.tenantId, row.type, row.payload, row.createdAt]),
      );
    }
  }

  /** Events not yet handed to deliveries, oldest first. */
  undispatched(limit: number): Promise<Pick<OutboxEvent, 'id' | 'tenantId' | 'type'>[]> {
    return this.events.find({
      select: { id: true, tenantId: true, type: true },
      where: { dispatchedAt: IsNull() },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  /**
   * Marks the event handed over, inside the transaction that writes its deliveries: a conditional UPDATE, so of
   * instances dispatching at once exactly one gets true (the others wait for its row lock, or on Galera lose the
   * certification and are run again, and then find the event taken).
   */
  async claimForDispatch(transaction: Transaction, id: number, now: number): Promise<boolean> {
    const result = await managerOf(transaction).update(OutboxEvent, { id, dispatchedAt: IsNull() }, { dispatchedAt: now });
    return result.affected === 1;
  }

  /** Marks events handed over that have no delivery to make (a dispatcher's batch: a few hundred at most). */
  async markDispatched(transaction: Transaction, ids: readonly number[], now: number): Promise<void> {
    if (ids.length > 0) {
      await managerOf(transaction).update(OutboxEvent, { id: In([...ids]), dispatchedAt: IsNull() }, { dispatchedAt: now });
    }
  }

  /** When the oldest event not yet handed to deliveries was written; null when there is none. */
  async oldestUndispatchedAt(): Promise<number | null> {
    const oldest = await this.events.findOne({
      select: { id: true, createdAt: true },
      where: { dispatchedAt: IsNull() },
      order: { id: 'ASC' },
    });
    return oldest?.createdAt ?? null;
  }
}
