import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../../database/epoch-millis.transformer';
import { Tenant } from '../../../users/entities/tenant.entity';
import { User } from '../../../users/entities/user.entity';

/** Longest openid or unionid kept; WeChat's are 28 or 29 characters. */
export const WECHAT_ID_MAX_LENGTH = 64;
export const WECHAT_NICKNAME_MAX_LENGTH = 100;
export const WECHAT_PLACE_MAX_LENGTH = 100;
export const WECHAT_AVATAR_MAX_LENGTH = 512;

/**
 * A user's WeChat identity on the site, with the columns and meanings of Discuz! Q's `user_wechats`: the
 * openid of the official account (`mp_openid`), of the PC QR login (`dev_openid`), of the mini program
 * (`min_openid`), the `unionid` that links them when the apps share an open platform account, and the
 * profile WeChat last gave. Unlike the original, a row always has its user (one row per user), an absent
 * id is NULL rather than '', and every id is unique on the site, so a race to bind one has one winner.
 */
@Entity('jsonapi_user_wechats')
@Index('UQ_jsonapi_user_wechats_user', ['userId'], { unique: true })
@Index('UQ_jsonapi_user_wechats_mp', ['tenantId', 'mpOpenid'], { unique: true })
@Index('UQ_jsonapi_user_wechats_dev', ['tenantId', 'devOpenid'], { unique: true })
@Index('UQ_jsonapi_user_wechats_min', ['tenantId', 'minOpenid'], { unique: true })
@Index('UQ_jsonapi_user_wechats_unionid', ['tenantId', 'unionid'], { unique: true })
export class UserWechat {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_jsonapi_user_wechats_tenant' })
  tenant?: Tenant;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_jsonapi_user_wechats_user' })
  user?: User;

  /** Compared byte for byte (binary collation on MySQL): openids differ by case. */
  @Column({ name: 'mp_openid', type: 'varchar', length: WECHAT_ID_MAX_LENGTH, nullable: true })
  mpOpenid: string | null;

  @Column({ name: 'dev_openid', type: 'varchar', length: WECHAT_ID_MAX_LENGTH, nullable: true })
  devOpenid: string | null;

  @Column({ name: 'min_openid', type: 'varchar', length: WECHAT_ID_MAX_LENGTH, nullable: true })
  minOpenid: string | null;

  @Column({ type: 'varchar', length: WECHAT_ID_MAX_LENGTH, nullable: true })
  unionid: string | null;

  @Column({ type: 'varchar', length: WECHAT_NICKNAME_MAX_LENGTH })
  nickname: string;

  /** 1 male, 2 female, 0 unknown, as WeChat numbers it. */
  @Column({ type: 'int' })
  sex: number;

  @Column({ type: 'varchar', length: WECHAT_PLACE_MAX_LENGTH })
  province: string;

  @Column({ type: 'varchar', length: WECHAT_PLACE_MAX_LENGTH })
  city: string;

  @Column({ type: 'varchar', length: WECHAT_PLACE_MAX_LENGTH })
  country: string;

  @Column({ type: 'varchar', length: WECHAT_AVATAR_MAX_LENGTH })
  headimgurl: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;
}
