import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';

export const TENANT_CODE_MAX_LENGTH = 128;

/** The space in which an email or a username is unique. */
@Entity('tenants')
@Index('UQ_tenants_kind_code', ['kind', 'code'], { unique: true })
export class Tenant {
  @PrimaryGeneratedColumn()
  id: number;

  /** The dialect's tenant kind, from its registry entry (`userpool`, `user-domain`, ...). */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** The identifier clients send: a userpool id, a user domain, a BytePower app id, `site`. */
  @Column({ type: 'varchar', length: TENANT_CODE_MAX_LENGTH })
  code: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  /** Whether the tenant takes registrations; each dialect says what "disabled" means to its clients. */
  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Per-kind settings, read by each dialect (e.g. userpool-settings.ts); JSON so a new dialect's settings need no migration. */
  @Column({ type: 'simple-json' })
  settings: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;
}
