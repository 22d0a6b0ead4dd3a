import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/epoch-millis.transformer';
import { Tenant } from '../users/entities/tenant.entity';

/** A tenant's webhook endpoint: where its user events go, and the secrets they are signed with (sealed, SecretBoxService). */
@Entity('webhook_endpoints')
@Index('IDX_webhook_endpoints_tenant', ['tenantId', 'enabled'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_webhook_endpoints_tenant' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** The event types it takes, comma-separated; null takes every type. */
  @Column({ name: 'event_types', type: 'varchar', length: 255, nullable: true })
  eventTypes: string | null;

  @Column({ name: 'secret_sealed', type: 'varchar', length: 255 })
  secretSealed: string;

  /** The secret before the last rotation, which still signs beside the new one until `previousSecretUntil`. */
  @Column({ name: 'previous_secret_sealed', type: 'varchar', length: 255, nullable: true })
  previousSecretSealed: string | null;

  @Column({ name: 'previous_secret_until', type: 'bigint', nullable: true, transformer: epochMillis })
  previousSecretUntil: number | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 255, nullable: true })
  disabledReason: string | null;

  @Column({ name: 'disabled_at', type: 'bigint', nullable: true, transformer: epochMillis })
  disabledAt: number | null;

  /** The first failed attempt since the last success; null while the endpoint answers. */
  @Column({ name: 'failing_since', type: 'bigint', nullable: true, transformer: epochMillis })
  failingSince: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;
}
