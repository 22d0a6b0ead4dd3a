import type { KeyObject } from 'node:crypto';
import { verify, VerifyOptions } from 'jsonwebtoken';

/**
 * The claims of a JWT whose signature under `key` and registered claims `options` accept, or null for any failure.
 * No header extension is understood anywhere in unireg, so a token marking one critical (`crit`) is refused
 * (RFC 7515 §4.1.11). The key is a KeyObject made once: given a string, jsonwebtoken first tries to parse it
 * as a PEM public key on every call, and that failed parse cost most of a token check (docs/performance.md).
 */
export function verifiedClaims<Claims extends object>(token: string, key: KeyObject, options: VerifyOptions): Claims | null {
  try {
    const { header, payload } = verify(token, key, { ...options, complete: true });
    return typeof payload === 'object' && !('crit' in header) ? (payload as Claims) : null;
  } catch {
    return null;
  }
}
