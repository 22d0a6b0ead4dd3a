import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
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
  /** The secret as a key for jsonwebtoken, which would otherwise parse the string anew on every check. */
  verifier: KeyObject;
  tenant: Tenant;
}

/** Opened keys kept at most; far more than any deployment's live keys, so the cache never churns in use. */
const OPENED_KEYS_KEPT = 1000;

/** Server keys of tenants: several per tenant, so a secret can be rotated without downtime. */
@Injectable()
export class ServerKeysService {
  /**
   * Opened secrets by their sealed form. A key's secret never changes (rotation makes a new key), and whether
   * it is still active is read from the database on every request all the same; only the opening is kept.
   */
  private readonly opened = new Map<string, { secret: string; verifier: KeyObject }>();

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
    const opened = key ? this.open(key.secretSealed) : null;
    if (!key?.tenant || opened === null) {
      return null;
    }
    return { keyName: key.keyName, ...opened, tenant: key.tenant };
  }

  private open(sealed: string): { secret: string; verifier: KeyObject } | null {
    const kept = this.opened.get(sealed);
    if (kept) {
      return kept;
    }
    const secret = this.box.open(sealed);
    if (secret === null) {
      return null;
    }
    if (this.opened.size >= OPENED_KEYS_KEPT) {
      this.opened.clear();
    }
    const opened = { secret, verifier: createSecretKey(Buffer.from(secret, 'utf8')) };
    this.opened.set(sealed, opened);
    return opened;
  }

  /** Revokes a key; returns false when no active key has that name. */
  revoke(keyName: string): Promise<boolean> {
    return this.keys.revoke(keyName, this.clock.now());
  }

  list(tenant: Tenant): Promise<ServerKey[]> {
    return this.keys.list(tenant.id);
  }
}
