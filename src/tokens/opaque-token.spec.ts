import { createHash } from 'node:crypto';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';

describe('opaque tokens', () => {
  it('are 256 random bits in base64url, stored under their SHA-256', () => {
    const { token, hash } = newOpaqueToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashOpaqueToken(token)).toBe(hash);
  });

  it('never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newOpaqueToken().token));
    expect(tokens.size).toBe(1000);
  });
});
