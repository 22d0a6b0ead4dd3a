import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { Tenant } from '../../users/entities/tenant.entity';
import { RegistrationClaim } from '../../users/registration-claim';
import { UsersService } from '../../users/users.service';
import { DeviceIdKind } from './device-binding.entity';
import { DeviceBindingsStore, DeviceIdRef } from './device-bindings.store';
import { deviceIdKey } from './device-id';

/**
 * Thrown when a binding changed between its look-up and the write that relied on it (a racing first login
 * or sign-up on the same device): the work was rolled back, and the caller looks the id up again.
 */
export class DeviceBindingChanged extends Error {
  constructor() {
    super('the device binding changed meanwhile');
  }
}

/** Which user of an app a device id or anonymous local uid signs in as (docs/dialects/bytepower.md#device-and-anonymous-sign-in). */
@Injectable()
export class DeviceBindingsService {
  constructor(
    private readonly bindings: DeviceBindingsStore,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  /** The id of the user the id is bound to in the app, or null. */
  userIdOf(app: Tenant, kind: DeviceIdKind, id: string): Promise<number | null> {
    return this.bindings.userIdOf(this.ref(app, kind, id));
  }

  /**
   * Binds the id to the user a registration creates, in its transaction: a new binding when `from` is null,
   * else the one `from` holds moves over, and user `from` gets a `user.updated` event (`device.unbind`) in that
   * transaction. Spending throws DeviceBindingChanged when a racing request bound or moved the id since `from`
   * was looked up, so that no user is left behind half-bound.
   */
  claim(app: Tenant, kind: DeviceIdKind, id: string, from: number | null): RegistrationClaim {
    const ref = this.ref(app, kind, id);
    return {
      provesEmail: false,
      check: () => Promise.resolve(),
      spend: async (transaction, userId) => {
        const now = this.clock.now();
        const bound =
          from === null
            ? await this.bindings.insert(transaction, ref, userId, now)
            : await this.bindings.move(transaction, ref, from, userId, now);
        if (!bound) {
          throw new DeviceBindingChanged();
        }
        if (from !== null) {
          await this.users.recordUpdate(transaction, from, 'device.unbind');
        }
      },
    };
  }

  private ref(app: Tenant, kind: DeviceIdKind, id: string): DeviceIdRef {
    return { tenantId: app.id, kind, deviceId: deviceIdKey(id) };
  }
}
