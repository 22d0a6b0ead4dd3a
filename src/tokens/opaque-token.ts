import { createHash, randomBytes } from 'node:crypto';

/** A random bearer token (256 bits, base64url) and the SHA-256 under which it is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/** A plain SHA-256 suffices: the tokens are random, so there is nothing to guess a preimage from. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
