import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../../database/epoch-millis.transformer';
import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';
import { DEVICE_ID_MAX_LENGTH } from './device-id';

/** What an id names: a device (`device.id`, the sign-up's `login_device_id`) or an anonymous install (`anonymity.local_uid`). */
export type DeviceIdKind = 'device' | 'anonymity';

export const DEVICE_BINDING_INDEX = 'UQ_bytepower_device_bindings_id';

/**
 * The user of an app a device id or anonymous local uid signs in as. One per id and kind in an app, by the
 * unique index, so that concurrent first logins of one device make one user.
 */
@Entity('bytepower_device_bindings')
@Index(DEVICE_BINDING_INDEX, ['tenantId', 'kind', 'deviceId'], { unique: true })
@Index('IX_bytepower_device_bindings_user', ['userId'])
export class DeviceBinding {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_bytepower_device_bindings_tenant' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 16 })
  kind: DeviceIdKind;

  /** In NFC, compared byte for byte (binary collation on MySQL). */
  @Column({ name: 'device_id', type: 'varchar', length: DEVICE_ID_MAX_LENGTH })
  deviceId: string;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_bytepower_device_bindings_user' })
  user?: User;

  /** When the id was bound to this user: its first login, or the latest sign-up that carried it. */
  @Column({ name: 'bound_at', type: 'bigint', transformer: epochMillis })
  boundAt: number;
}
