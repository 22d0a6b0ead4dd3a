import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';

/**
 * One refresh token of a family: the first is issued at login, each rotation spends its parent and
 * issues its one child, derived from the parent. Only a SHA-256 of the token is stored. Reuse of a
 * spent token revokes the family.
 */
@Entity('refresh_tokens')
@Index('UQ_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('IX_refresh_tokens_family', ['familyId'])
export class RefreshToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  /** Random id shared by every token descended from one login. */
  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId: string;

  @Column({ name: 'parent_id', type: 'int', nullable: true })
  parentId: number | null;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'issued_at', type: 'bigint', transformer: epochMillis })
  issuedAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  usedAt: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt: number | null;

  /** The user's token epoch at login; a later epoch ends it. */
  @Column({ name: 'token_epoch', type: 'int', default: 0 })
  tokenEpoch: number;
}
