import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { Tenant } from '../../users/entities/tenant.entity';
import { SecretBoxService } from '../../users/secret-box.service';
import { ServerKey } from './server-key.entity';
import { ServerKeysStore } from './server-keys.store';

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
    private readonly keys: ServerKeysStore,
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
    const key = await this.keys.findActive(keyName);
    const secret = key ? this.box.open(key.secretSealed) : null;
    if (!key?.tenant || secret === null) {
      return null;
    }
    return { keyName: key.keyName, secret, tenant: key.tenant };
  }

  /** Revokes a key; returns false when no active key has that name. */
  revoke(keyName: string): Promise<boolean> {
    return this.keys.revoke(keyName, this.clock.now());
  }

  list(tenant: Tenant): Promise<ServerKey[]> {
    return this.keys.list(tenant.id);
  }
}
