import type { JwtService, JwtVerifyOptions } from '@nestjs/jwt';

/**
 * The claims of a JWT whose signature and registered claims `options` accept, or null for any failure. No header
 * extension is understood anywhere in unireg, so a token marking one critical (`crit`) is refused (RFC 7515 §4.1.11).
 */
export async function verifiedClaims<Claims extends object>(
  jwt: JwtService,
  token: string,
  options: JwtVerifyOptions,
): Promise<Claims | null> {
  try {
    const claims = await jwt.verifyAsync<Claims>(token, options);
    const { header } = jwt.decode<{ header: object }>(token, { complete: true });
    return 'crit' in header ? null : claims;
  } catch {
    return null;
  }
}
