import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The space in which an email or a username is unique; each dialect names its own kind. */
export enum TenantKind {
  Userpool = 'userpool',
  UserDomain = 'user-domain',
  BytePowerApp = 'bytepower-app',
  Site = 'site',
}

export const TENANT_CODE_MAX_LENGTH = 128;

@Entity('tenants')
@Index('UQ_tenants_kind_code', ['kind', 'code'], { unique: true })
export class Tenant {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 32 })
  kind: TenantKind;

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

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
