import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { Tenant } from '../../users/entities/tenant.entity';
import { SecretBoxService } from '../../users/secret-box.service';
import { DomainSecretsStore } from './domain-secrets.store';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The vendor's secrets are 44 letters and digits (about 262 bits), safe to paste into a shell or a config file. */
const SECRET_LENGTH = 44;

const newSecret = () => Array.from({ length: SECRET_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Thrown to the CLI when a secret cannot be shown; the HTTP side answers TENANT_MISCONFIGURED instead. */
export class DomainSecretUnreadableError extends Error {}

/**
 * Each user domain's `userDomainSecret`: made on first need (a login, or the operator asking the CLI), stored
 * sealed, replaced by `rotate`. Apps prove they know it by the emailPwdLogin signature.
 */
@Injectable()
export class DomainSecretsService {
  constructor(
    private readonly secrets: DomainSecretsStore,
    private readonly box: SecretBoxService,
    private readonly clock: Clock,
  ) {}

  /** The domain's secret, made now when it has none; null when it was sealed under another JWT_SECRET. */
  async secretOf(tenant: Pick<Tenant, 'id'>): Promise<string | null> {
    let row = await this.secrets.find(tenant.id);
    if (!row) {
      await this.secrets.insertIfAbsent({ tenantId: tenant.id, secretSealed: this.box.seal(newSecret()), updatedAt: this.clock.now() });
      row = await this.secrets.find(tenant.id);
    }
    return row ? this.box.open(row.secretSealed) : null;
  }

  /** Replaces the domain's secret and returns the new one; signatures made with the old one fail from now on. */
  async rotate(tenant: Pick<Tenant, 'id'>): Promise<string> {
    const secret = newSecret();
    const sealed = this.box.seal(secret);
    const now = this.clock.now();
    await this.secrets.insertIfAbsent({ tenantId: tenant.id, secretSealed: sealed, updatedAt: now });
    await this.secrets.replace(tenant.id, sealed, now);
    return secret;
  }

  /**
   * Whether `signature` is the hex SHA-256 of `parts` joined and followed by the domain's secret, compared in
   * constant time. A secret sealed under another JWT_SECRET is the operator's to fix: TENANT_MISCONFIGURED.
   */
  async signatureMatches(tenant: Pick<Tenant, 'id'>, parts: readonly string[], signature: string): Promise<boolean> {
    const secret = await this.secretOf(tenant);
    if (secret === null) {
      throw new DomainError(DomainErrorCode.TENANT_MISCONFIGURED, {
        reason: 'the user domain secret was sealed under another JWT_SECRET: rotate it (user-domain secret --rotate)',
      });
    }
    const expected = createHash('sha256')
      .update(`${parts.join('')}${secret}`, 'utf8')
      .digest();
    return /^[0-9a-fA-F]{64}$/.test(signature) && timingSafeEqual(expected, Buffer.from(signature, 'hex'));
  }
}
