import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/epoch-millis.transformer';
import { OutboxEvent } from '../events/outbox-event.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export enum DeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  Failed = 'failed',
}

/**
 * One event for one endpoint. An instance sends it only while it holds the row's lease (`lease_owner` until
 * `lease_until`), so two instances never send it at once and a crashed instance's lease simply runs out.
 */
@Entity('webhook_deliveries')
@Index('UQ_webhook_deliveries_event_endpoint', ['eventId', 'endpointId'], { unique: true })
@Index('IDX_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('IDX_webhook_deliveries_endpoint', ['endpointId', 'status'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'event_id', type: 'int' })
  eventId: number;

  @ManyToOne(() => OutboxEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_webhook_deliveries_event' })
  event?: OutboxEvent;

  @Column({ name: 'endpoint_id', type: 'int' })
  endpointId: number;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpoint;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMillis })
  nextAttemptAt: number;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: epochMillis })
  leaseUntil: number | null;

  @Column({ name: 'last_attempt_at', type: 'bigint', nullable: true, transformer: epochMillis })
  lastAttemptAt: number | null;

  /** The HTTP status of the last attempt; null when it got none (timeout, refused address, connection error). */
  @Column({ name: 'last_status', type: 'int', nullable: true })
  lastStatus: number | null;

  /** Why the last attempt failed, in a few words of unireg's own: never the payload, a secret or the receiver's body. */
  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'bigint', nullable: true, transformer: epochMillis })
  deliveredAt: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;
}
