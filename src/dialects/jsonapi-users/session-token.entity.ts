import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { Tenant } from '../../users/entities/tenant.entity';

/**
 * What a session token stands for, as Discuz! Q's `session_tokens.scope`: a mobile proved by SMS that no
 * user has yet (`mobile`), a WeChat user met through the official account (`wechat`) or the PC QR code
 * (`wechatweb`), and a PC QR login waiting for the phone (`wechat_pc_login`).
 */
export type SessionTokenScope = 'mobile' | 'wechat' | 'wechatweb' | 'wechat_pc_login';

/**
 * A short-lived, single-use token that carries an identity proved elsewhere (a mobile, a WeChat user)
 * to a later register or login, which binds it. Only the SHA-256 of the token is kept.
 */
@Entity('jsonapi_session_tokens')
@Index('UQ_jsonapi_session_tokens_hash', ['tokenHash'], { unique: true })
export class SessionToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_jsonapi_session_tokens_tenant' })
  tenant?: Tenant;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 32 })
  scope: SessionTokenScope;

  /** The identity the token carries (`{mobile}`, a WeChat profile); never a secret or WeChat access token. */
  @Column({ type: 'simple-json' })
  payload: Record<string, unknown>;

  /** The user the token resolved to, where a later step fills it in (a PC QR login the phone completed). */
  @Column({ name: 'user_id', type: 'int', nullable: true })
  userId: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt: number | null;
}
