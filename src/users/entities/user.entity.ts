import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { Tenant } from './tenant.entity';

export enum UserStatus {
  Active = 'active',
  PendingReview = 'pending_review',
  Rejected = 'rejected',
  /** Turned off by an operator (`users disable`); `users enable` makes the user active again. */
  Disabled = 'disabled',
}

/** Index names the duplicate check relies on; the migration creates them under the same names. */
export const USER_EMAIL_INDEX = 'UQ_users_tenant_email';
export const USER_USERNAME_INDEX = 'UQ_users_tenant_username';
/** Look-alike identities: unique skeleton digests per tenant (src/users/identity.ts). */
export const USER_EMAIL_SKELETON_INDEX = 'UQ_users_tenant_email_skeleton';
export const USER_USERNAME_SKELETON_INDEX = 'UQ_users_tenant_username_skeleton';
/** A phone in E.164 is one user's per tenant, like an email. */
export const USER_PHONE_INDEX = 'UQ_users_tenant_phone';
/** An imported user's id in the system it came from is one user's per tenant (`users import`). */
export const USER_EXTERNAL_ID_INDEX = 'UQ_users_tenant_external_id';
export const EXTERNAL_ID_MAX_LENGTH = 191;
/** Room for an imported argon2 PHC string with a long salt or digest, not only bcrypt's 60 characters. */
export const PASSWORD_HASH_MAX_LENGTH = 255;
/** A SHA-256 digest in hex. */
export const SKELETON_COLUMN_LENGTH = 64;

/** Characters `username` and `username_normalized` hold; normalising may lengthen a name (NFKC: ﷺ is 18 letters). */
export const USERNAME_COLUMN_LENGTH = 191;

/** One table for every dialect; each dialect renders a user its own way. */
@Entity('users')
@Index(USER_EMAIL_INDEX, ['tenantId', 'emailNormalized'], { unique: true })
@Index(USER_USERNAME_INDEX, ['tenantId', 'usernameNormalized'], { unique: true })
@Index(USER_EMAIL_SKELETON_INDEX, ['tenantId', 'emailSkeleton'], { unique: true })
@Index(USER_USERNAME_SKELETON_INDEX, ['tenantId', 'usernameSkeleton'], { unique: true })
@Index(USER_PHONE_INDEX, ['tenantId', 'phoneNormalized'], { unique: true })
@Index(USER_EXTERNAL_ID_INDEX, ['tenantId', 'externalId'], { unique: true })
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_users_tenant' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ name: 'email_normalized', type: 'varchar', length: 320, nullable: true })
  emailNormalized: string | null;

  @Column({ type: 'varchar', length: USERNAME_COLUMN_LENGTH, nullable: true })
  username: string | null;

  @Column({ name: 'username_normalized', type: 'varchar', length: USERNAME_COLUMN_LENGTH, nullable: true })
  usernameNormalized: string | null;

  /**
   * Digests of the UTS #39 skeletons, so that look-alikes of a taken identity are taken too. Null when
   * there is no such identity, and for a user registered before skeletons whose look-alike holds it.
   */
  @Column({ name: 'email_skeleton', type: 'varchar', length: SKELETON_COLUMN_LENGTH, nullable: true })
  emailSkeleton: string | null;

  @Column({ name: 'username_skeleton', type: 'varchar', length: SKELETON_COLUMN_LENGTH, nullable: true })
  usernameSkeleton: string | null;

  /** Null for a user who signs in only by phone, WeChat or device: no password matches it. */
  @Column({ name: 'password_hash', type: 'varchar', length: PASSWORD_HASH_MAX_LENGTH, nullable: true, select: false })
  passwordHash?: string | null;

  @Column({ type: 'varchar', length: 32, default: UserStatus.Active })
  status: UserStatus;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  /** The phone as the user or dialect gave it, shown back as is. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  /**
   * The phone in E.164 (src/users/phone.ts), set where a dialect proves or signs in by it (Discuz! Q's
   * mobile); unique per tenant. Null where a phone is only a profile field (userpool's `phone`).
   */
  @Column({ name: 'phone_normalized', type: 'varchar', length: 32, nullable: true })
  phoneNormalized: string | null;

  /** How the user signed up, e.g. `basic:email`; dialects that report it read it back. */
  @Column({ name: 'register_source', type: 'varchar', length: 64 })
  registerSource: string;

  /** Dialect-specific attributes (profile fields, device ids, locale choices); never secrets. */
  @Column({ type: 'simple-json' })
  profile: Record<string, unknown>;

  @Column({ name: 'logins_count', type: 'int', default: 0 })
  loginsCount: number;

  /** When the user last signed in; null until the first sign-in. */
  @Column({ name: 'last_login_at', type: 'bigint', nullable: true, transformer: epochMillis })
  lastLoginAt: number | null;

  /** The client address of the last sign-in (`clientAddressOf`), when the dialect knows it; 45 characters hold any IPv6 text form. */
  @Column({ name: 'last_ip', type: 'varchar', length: 45, nullable: true })
  lastIp: string | null;

  /**
   * Sessions, refresh-token families and access tokens carry the epoch they were issued under, and are
   * refused once it has moved on: raising it ends every one of them at once, in every dialect.
   */
  @Column({ name: 'token_epoch', type: 'int', default: 0 })
  tokenEpoch: number;

  /** The user's id in the system `users import` brought it from; null for users made here. */
  @Column({ name: 'external_id', type: 'varchar', length: EXTERNAL_ID_MAX_LENGTH, nullable: true })
  externalId: string | null;

  /** SHA-256 of the source record as last imported, which tells a re-run what changed at the source since. */
  @Column({ name: 'import_digest', type: 'varchar', length: 64, nullable: true })
  importDigest: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt: number;

  /** Moved by changes an operator or the user makes, not by logins. */
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt: number;
}
