import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, MoreThan, Repository } from 'typeorm';
import { managerOf, Transaction } from '../database/transaction';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';

export type NewWebhookDelivery = Pick<WebhookDelivery, 'eventId' | 'endpointId' | 'nextAttemptAt' | 'createdAt'>;

/** What an attempt leaves on its delivery, the lease given back. */
export type AttemptRecord = Pick<
  WebhookDelivery,
  'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastStatus' | 'lastError' | 'deliveredAt'
>;

export interface DeliveryFilter {
  tenantId?: number;
  endpointId?: number;
  status?: DeliveryStatus;
  limit: number;
}

/** Rows per INSERT when an event batch fans out (each row is 6 parameters). */
const ROWS_PER_INSERT = 500;

/** Every query on webhook deliveries; their events and endpoints are read alongside, never written. */
@Injectable()
export class WebhookDeliveriesStore {
  constructor(@InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>) {}

  async insert(transaction: Transaction, rows: readonly NewWebhookDelivery[]): Promise<void> {
    const manager = managerOf(transaction);
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      await manager.insert(
        WebhookDelivery,
        chunk.map((row) => ({ ...row, status: DeliveryStatus.Pending, attempts: 0 })),
      );
    }
  }

  /** Pending deliveries due at `now`, unleased or with a lease run out, of enabled endpoints; earliest first. */
  async due(now: number, limit: number): Promise<number[]> {
    const rows = await this.deliveries
      .createQueryBuilder('delivery')
      .select('delivery.id', 'id')
      .innerJoin('delivery.endpoint', 'endpoint')
      .where('delivery.status = :pending', { pending: DeliveryStatus.Pending })
      .andWhere('delivery.next_attempt_at <= :now', { now })
      .andWhere('(delivery.lease_until IS NULL OR delivery.lease_until < :now)', { now })
      .andWhere('endpoint.enabled = 1')
      .orderBy('delivery.next_attempt_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: number | string }>();
    return rows.map((row) => Number(row.id));
  }

  /**
   * Takes the delivery's lease until `leaseUntil`: one conditional UPDATE, true when this call took it. Between
   * instances on one server the row lock orders them and the later one matches nothing. On a Galera cluster two
   * nodes may both match, but only the first commit certifies: the other statement fails as a deadlock
   * (ER_LOCK_DEADLOCK), which TransactionRunnerService runs again (now matching nothing) or passes on, and the
   * caller reads either as "not ours". So exactly one instance holds a lease at a time.
   */
  async claim(transaction: Transaction, id: number, owner: string, now: number, leaseUntil: number): Promise<boolean> {
    const result = await managerOf(transaction)
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ leaseOwner: owner, leaseUntil })
      .where('id = :id', { id })
      .andWhere('status = :pending', { pending: DeliveryStatus.Pending })
      .andWhere('next_attempt_at <= :now', { now })
      .andWhere('(lease_until IS NULL OR lease_until < :now)', { now })
      .execute();
    return result.affected === 1;
  }

  /** The delivery with its event and endpoint, as sending needs them. */
  findForSending(id: number): Promise<WebhookDelivery | null> {
    return this.deliveries.findOne({ where: { id }, relations: { event: true, endpoint: true } });
  }

  /**
   * Records an attempt and gives the lease back, if `owner` still holds it: a lease that ran out (and was taken
   * by another instance, or cleared by a replay) leaves the row to its new holder. True when recorded.
   */
  async record(transaction: Transaction, id: number, owner: string, attempt: AttemptRecord): Promise<boolean> {
    const result = await managerOf(transaction).update(
      WebhookDelivery,
      { id, leaseOwner: owner },
      { ...attempt, leaseOwner: null, leaseUntil: null },
    );
    return result.affected === 1;
  }

  /** Gives back every lease `owner` still holds (an instance stopping with sends cut short); the attempts stay as they were. */
  async releaseLeases(transaction: Transaction, owner: string): Promise<void> {
    await managerOf(transaction).update(WebhookDelivery, { leaseOwner: owner }, { leaseOwner: null, leaseUntil: null });
  }

  /** Makes every pending delivery of the endpoint due at `now` (an endpoint enabled again sends its held deliveries at once). */
  async makeDueNow(transaction: Transaction, endpointId: number, now: number): Promise<void> {
    await managerOf(transaction).update(
      WebhookDelivery,
      { endpointId, status: DeliveryStatus.Pending, nextAttemptAt: MoreThan(now) },
      { nextAttemptAt: now },
    );
  }

  find(id: number): Promise<WebhookDelivery | null> {
    return this.deliveries.findOne({ where: { id }, relations: { endpoint: true } });
  }

  /** Newest first, with their events and endpoints. */
  list(filter: DeliveryFilter): Promise<WebhookDelivery[]> {
    const where: FindOptionsWhere<WebhookDelivery> = {};
    if (filter.endpointId !== undefined) where.endpointId = filter.endpointId;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.tenantId !== undefined) where.endpoint = { tenantId: filter.tenantId };
    return this.deliveries.find({
      where,
      relations: { event: true, endpoint: true },
      order: { id: 'DESC' },
      take: filter.limit,
    });
  }

  /** Makes the delivery due now with its attempts starting over; its event, and so its webhook-id, stay. */
  async requeue(transaction: Transaction, id: number, now: number): Promise<void> {
    await managerOf(transaction).update(
      WebhookDelivery,
      { id },
      { status: DeliveryStatus.Pending, attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, deliveredAt: null },
    );
  }

  /** When the oldest event still waiting for an enabled endpoint was written; null when there is none. */
  async oldestPendingEventAt(): Promise<number | null> {
    const row = await this.deliveries
      .createQueryBuilder('delivery')
      .select('MIN(outbox.created_at)', 'oldest')
      .innerJoin('delivery.event', 'outbox')
      .innerJoin('delivery.endpoint', 'endpoint')
      .where('delivery.status = :pending', { pending: DeliveryStatus.Pending })
      .andWhere('endpoint.enabled = 1')
      .getRawOne<{ oldest: number | string | null }>();
    return row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
  }
}
