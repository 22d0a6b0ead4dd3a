import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';

/**
 * An opaque session token that identifies a user on later calls; only its SHA-256 is stored. Shared,
 * not bytepower's own: ending a user's sessions is the core's to do in every dialect.
 */
@Entity('sessions')
@Index('UQ_sessions_hash', ['tokenHash'], { unique: true })
export class Session {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  /** The user's token epoch at login; a later epoch ends it. */
  @Column({ name: 'token_epoch', type: 'int', default: 0 })
  tokenEpoch: number;
}
