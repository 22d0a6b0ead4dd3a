import { createHash, createPrivateKey, createPublicKey, generateKeyPair, JsonWebKey, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { TransactionRunnerService } from '../../database/transaction-runner.service';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { SecretBoxService } from '../../users/secret-box.service';
import { SigningKey } from './signing-key.entity';
import { SigningKeysStore } from './signing-keys.store';

/** Quectel's lifetimes: an access token lasts 2 hours, a refresh token 30 days. */
export const ACCESS_TOKEN_TTL_SECONDS = 2 * 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/**
 * How long a retired key keeps verifying: the longest token it can have signed, plus a margin for a token
 * signed by an instance that read the key just before the rotation committed.
 */
export const RETIRED_KEY_VERIFIES_SECONDS = REFRESH_TOKEN_TTL_SECONDS + 300;

const generateRsaKeyPair = promisify(generateKeyPair);

/** A key that signs, opened. */
export interface SigningKeyInUse {
  kid: string;
  privateKey: KeyObject;
}

/**
 * The RS256 key pairs enduser tokens are signed with: the first made on first need, a new current one by
 * `rotate` (`enduser keys rotate`); a retired key verifies for RETIRED_KEY_VERIFIES_SECONDS more. Which keys
 * exist is read from the database on every use, so a rotation made by the CLI holds at once in every instance.
 */
@Injectable()
export class SigningKeysService {
  /** Opened private keys by kid: a key's content never changes, only whether it is current. */
  private readonly opened = new Map<string, KeyObject>();
  /** Parsed public keys by their PEM, for the same reason; parsing one on every token check cost more than the check. */
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    private readonly keys: SigningKeysStore,
    private readonly transactions: TransactionRunnerService,
    private readonly box: SecretBoxService,
    private readonly clock: Clock,
  ) {}

  /** The current key, made now when there is none yet. */
  async signing(): Promise<SigningKeyInUse> {
    let key = await this.keys.current();
    if (!key) {
      await this.add(1);
      key = await this.keys.current();
    }
    const privateKey = key && this.open(key);
    if (!key || !privateKey) {
      throw new DomainError(DomainErrorCode.INTERNAL, {
        reason: 'the enduser signing key was sealed under another JWT_SECRET: run `enduser keys rotate`',
      });
    }
    return { kid: key.kid, privateKey };
  }

  /** The public key of `kid` while it verifies, else null. */
  async verifying(kid: string): Promise<KeyObject | null> {
    const key = kid.length <= 64 ? await this.keys.findByKid(kid) : null;
    return key && this.stillVerifies(key) ? this.publicKeyOf(key) : null;
  }

  /** The JWK Set of every key that verifies, newest first (RFC 7517). */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    const since = () => this.clock.now() - RETIRED_KEY_VERIFIES_SECONDS * 1000;
    let keys = await this.keys.verifying(since());
    if (keys.length === 0) {
      // A verifier may ask before the first sign-in; it then gets the key that sign-in will use.
      await this.add(1);
      keys = await this.keys.verifying(since());
    }
    return {
      keys: keys.map((key) => ({ ...createPublicKey(key.publicKey).export({ format: 'jwk' }), kid: key.kid, use: 'sig', alg: 'RS256' })),
    };
  }

  /** Makes a new current key; the previous one is retired and verifies until its tokens have expired. */
  async rotate(): Promise<{ kid: string; retired: string | null }> {
    const current = await this.keys.current();
    const kid = await this.add((current?.generation ?? 0) + 1);
    if (!kid) {
      throw new Error('another rotation made a key at the same time; run the command again to rotate once more');
    }
    return { kid, retired: current?.kid ?? null };
  }

  /** Adds the key of `generation`; null when one exists already (made by another instance or rotation). */
  private async add(generation: number): Promise<string | null> {
    const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    // RFC 7638 thumbprint: a kid that names the key itself, so two keys can never share one.
    const kid = createHash('sha256')
      .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
      .digest('base64url');
    const row: Omit<SigningKey, 'id'> = {
      generation,
      kid,
      publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      privateKeySealed: this.box.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
      createdAt: this.clock.now(),
      retiredAt: null,
    };
    return (await this.transactions.run((transaction) => this.keys.add(transaction, row))) ? kid : null;
  }

  private stillVerifies(key: SigningKey): boolean {
    return key.retiredAt === null || key.retiredAt + RETIRED_KEY_VERIFIES_SECONDS * 1000 > this.clock.now();
  }

  private publicKeyOf(key: SigningKey): KeyObject {
    let publicKey = this.publicKeys.get(key.publicKey);
    if (!publicKey) {
      publicKey = createPublicKey(key.publicKey);
      this.publicKeys.set(key.publicKey, publicKey);
    }
    return publicKey;
  }

  private open(key: SigningKey): KeyObject | null {
    const cached = this.opened.get(key.kid);
    if (cached) {
      return cached;
    }
    const pem = this.box.open(key.privateKeySealed);
    const privateKey = pem === null ? null : createPrivateKey(pem);
    if (privateKey) {
      this.opened.set(key.kid, privateKey);
    }
    return privateKey;
  }
}
