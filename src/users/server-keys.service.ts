import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { ServerKey } from './entities/server-key.entity';
import { Tenant } from './entities/tenant.entity';
import { SecretBoxService } from './secret-box.service';

export interface IssuedServerKey {
  keyName: string;
  /** Shown to the operator once; stored only sealed. */
  keySecret: string;
}

/** A key found by name with its secret opened, for verifying a signature. */
export interface ActiveServerKey {
  keyName: string;
  secret: string;
  tenant: Tenant;
}

/** Server keys of tenants: several per tenant, so a secret can be rotated without downtime. */
@Injectable()
export class ServerKeysService {
  constructor(
    @InjectRepository(ServerKey) private readonly keys: Repository<ServerKey>,
    private readonly box: SecretBoxService,
    private readonly clock: Clock,
  ) {}

  async create(tenant: Tenant, keyPrefix = 'key'): Promise<IssuedServerKey> {
    const keyName = `${keyPrefix}_${randomBytes(12).toString('hex')}`;
    const keySecret = randomBytes(32).toString('base64url');
    await this.keys.insert({
      tenantId: tenant.id,
      keyName,
      secretSealed: this.box.seal(keySecret),
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    return { keyName, keySecret };
  }

  /**
   * The active key of that name with its tenant, or null when it is unknown, revoked, or sealed under
   * another JWT_SECRET. Read on every request, so a revocation takes effect on the very next one.
   */
  async findActive(keyName: string): Promise<ActiveServerKey | null> {
    const key = await this.keys.findOne({ where: { keyName, revokedAt: IsNull() }, relations: { tenant: true } });
    const secret = key ? this.box.open(key.secretSealed) : null;
    if (!key?.tenant || secret === null) {
      return null;
    }
    return { keyName: key.keyName, secret, tenant: key.tenant };
  }

  /** Revokes a key; returns false when no active key has that name. */
  async revoke(keyName: string): Promise<boolean> {
    const result = await this.keys.update({ keyName, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    return result.affected === 1;
  }

  list(tenant: Tenant): Promise<ServerKey[]> {
    return this.keys.find({ where: { tenantId: tenant.id }, order: { id: 'ASC' } });
  }
}
