import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { Tenant } from '../../users/entities/tenant.entity';

/**
 * A tenant's server key: callers sign requests with its secret, and name it by `key_name`, which is
 * unique across tenants so that the key alone finds its tenant. The secret is stored encrypted, since
 * verifying an HMAC signature needs the secret itself, not a one-way hash of it.
 */
@Entity('server_keys')
@Index('UQ_server_keys_name', ['keyName'], { unique: true })
export class ServerKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_server_keys_tenant' })
  tenant?: Tenant;

  @Column({ name: 'key_name', type: 'varchar', length: 64 })
  keyName: string;

  /** AES-256-GCM sealed secret (see SecretBoxService). */
  @Column({ name: 'secret_sealed', type: 'varchar', length: 255 })
  secretSealed: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt: number | null;
}
