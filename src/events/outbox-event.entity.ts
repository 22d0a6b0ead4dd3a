import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/epoch-millis.transformer';

/**
 * One event, written in the transaction of the change it tells of, so a committed change always has its
 * event and a rolled-back one never does. Delivery reads from here; rows are not tied to the user by a
 * foreign key, so `user.deleted` outlives its user.
 */
@Entity('outbox_events')
@Index('UQ_outbox_events_message_id', ['messageId'], { unique: true })
@Index('IDX_outbox_events_dispatch', ['dispatchedAt', 'id'])
export class OutboxEvent {
  @PrimaryGeneratedColumn()
  id: number;

  /** The Standard Webhooks `webhook-id` of this event, the same on every try and replay (`msg_` + 26 base32 characters). */
  @Column({ name: 'message_id', type: 'varchar', length: 40 })
  messageId: string;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** The JSON body endpoints receive (UserEventPayload), fixed when the change was made. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  /** When the event was handed to its endpoints' deliveries; null until then. */
  @Column({ name: 'dispatched_at', type: 'bigint', nullable: true, transformer: epochMillis })
  dispatchedAt: number | null;
}
