import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { Tenant } from '../../users/entities/tenant.entity';

/** A single-use invite code of a tenant; spent by the registration that uses it, in that registration's transaction. */
@Entity('invites')
@Index('UQ_invites_tenant_code', ['tenantId', 'code'], { unique: true })
export class Invite {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_invites_tenant' })
  tenant?: Tenant;

  /** Kept readable: operators hand invite codes out, so `invite list` must show them. */
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  expiresAt: number | null;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  usedAt: number | null;

  @Column({ name: 'used_by', type: 'int', nullable: true })
  usedBy: number | null;
}
