import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';

export enum CodePurpose {
  Registration = 'registration',
  /** Email codes that sign a user in, reset a password, or prove the address (userpool scenes, enduser emailType=2). */
  Login = 'login',
  ResetPassword = 'reset_password',
  Verify = 'verify',
  /** Discuz! Q's SMS code types (`/api/sms/send` `type`), one purpose each. */
  SmsLogin = 'sms:login',
  SmsBind = 'sms:bind',
  SmsRebind = 'sms:rebind',
  SmsResetPassword = 'sms:reset_pwd',
  SmsVerify = 'sms:verify',
}

/**
 * At most one live code per tenant, recipient and purpose: the unique key makes "one send per interval"
 * an atomic conditional update that holds across every instance sharing the database.
 */
@Entity('verification_codes')
@Index('UQ_codes_tenant_recipient_purpose', ['tenantId', 'recipient', 'purpose'], { unique: true })
export class VerificationCode {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  /** A normalised email, or a mobile in E.164. */
  @Column({ type: 'varchar', length: 320 })
  recipient: string;

  @Column({ type: 'varchar', length: 32 })
  purpose: CodePurpose;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'sent_at', type: 'bigint', transformer: epochMillis })
  sentAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt: number | null;
}
