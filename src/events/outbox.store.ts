import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { managerOf, Transaction } from '../database/transaction';
import { OutboxEvent } from './outbox-event.entity';

export type NewOutboxEvent = Pick<OutboxEvent, 'messageId' | 'tenantId' | 'type' | 'payload' | 'createdAt'>;

/** Rows per INSERT: an import writes thousands of events at once, and each row is 5 parameters. */
const ROWS_PER_INSERT = 500;

/** Writes to the outbox. Only the change's own transaction writes, so an event commits or rolls back with it. */
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
}
