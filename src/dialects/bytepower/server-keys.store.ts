import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ServerKey } from './server-key.entity';

/** Every query on server keys. */
@Injectable()
export class ServerKeysStore {
  constructor(@InjectRepository(ServerKey) private readonly keys: Repository<ServerKey>) {}

  async insert(row: Omit<ServerKey, 'id' | 'tenant'>): Promise<void> {
    await this.keys.insert(row);
  }

  /** The unrevoked key of that name, with its tenant. */
  findActive(keyName: string): Promise<ServerKey | null> {
    return this.keys.findOne({ where: { keyName, revokedAt: IsNull() }, relations: { tenant: true } });
  }

  /** Revokes the unrevoked key of that name at `now`; false when there is none. */
  async revoke(keyName: string, now: number): Promise<boolean> {
    const result = await this.keys.update({ keyName, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected === 1;
  }

  /** A tenant's keys, oldest first. */
  list(tenantId: number): Promise<ServerKey[]> {
    return this.keys.find({ where: { tenantId }, order: { id: 'ASC' } });
  }
}
