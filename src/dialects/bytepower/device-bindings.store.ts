import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { uniqueViolationMessage } from '../../database/database-errors';
import { managerOf, Transaction } from '../../database/transaction';
import { DeviceBinding, DeviceIdKind } from './device-binding.entity';

/** One id of an app: its tenant, its kind and the id in NFC. */
export interface DeviceIdRef {
  tenantId: number;
  kind: DeviceIdKind;
  deviceId: string;
}

/** Every query on device bindings; each write is one statement whose outcome says whether a racing write came first. */
@Injectable()
export class DeviceBindingsStore {
  constructor(@InjectRepository(DeviceBinding) private readonly bindings: Repository<DeviceBinding>) {}

  /** The id of the user the id is bound to, or null. */
  async userIdOf(ref: DeviceIdRef): Promise<number | null> {
    const binding = await this.bindings.findOne({ select: { userId: true }, where: { ...ref } });
    return binding?.userId ?? null;
  }

  /** Binds an unbound id; false when it was bound meanwhile (the unique index). */
  async insert(transaction: Transaction, ref: DeviceIdRef, userId: number, now: number): Promise<boolean> {
    try {
      await managerOf(transaction).insert(DeviceBinding, { ...ref, userId, boundAt: now });
      return true;
    } catch (error) {
      // The table's one unique index besides the key: any duplicate is the id, bound by a racing request.
      if (uniqueViolationMessage(error) !== undefined) {
        return false;
      }
      throw error;
    }
  }

  /** Moves the id from user `from` to user `to`; false when it is no longer `from`'s. */
  async move(transaction: Transaction, ref: DeviceIdRef, from: number, to: number, now: number): Promise<boolean> {
    const result = await managerOf(transaction).update(DeviceBinding, { ...ref, userId: from }, { userId: to, boundAt: now });
    return result.affected === 1;
  }
}
