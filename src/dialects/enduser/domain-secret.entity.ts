import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { Tenant } from '../../users/entities/tenant.entity';

/**
 * A user domain's `userDomainSecret`, which apps mix into the emailPwdLogin signature. Sealed rather than
 * hashed (SecretBoxService): checking a signature needs the secret itself. One per domain (the primary key),
 * so two first uses at once keep one secret.
 */
@Entity('enduser_domain_secrets')
export class DomainSecret {
  @PrimaryColumn({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_enduser_domain_secrets_tenant' })
  tenant?: Tenant;

  @Column({ name: 'secret_sealed', type: 'varchar', length: 255 })
  secretSealed: string;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;
}
