import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface OpaqueToken {
  token: string;
  hash: string;
}

/** A random bearer token (256 bits, base64url) and the SHA-256 under which it is stored. */
export function newOpaqueToken(): OpaqueToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/**
 * The one token that follows `parent` under `key` (HMAC-SHA256, in the shape of a random one): every
 * presentation of a parent yields the same child, which only the holder of the key can compute.
 */
export function derivedOpaqueToken(key: Buffer, parent: string): OpaqueToken {
  const token = createHmac('sha256', key).update(parent, 'utf8').digest('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/** A plain SHA-256 suffices: the tokens are random, so there is nothing to guess a preimage from. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
