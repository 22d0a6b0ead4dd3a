import { createHash } from 'node:crypto';
import { derivedOpaqueToken, hashOpaqueToken, newOpaqueToken } from './opaque-token';

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

  it('derive one child per parent and key, shaped like a random token', () => {
    const [key, otherKey] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const parent = newOpaqueToken().token;
    const child = derivedOpaqueToken(key, parent);
    expect(child.token).toMatch(/^[\w-]{43}$/);
    expect(child.hash).toBe(hashOpaqueToken(child.token));
    expect(derivedOpaqueToken(key, parent)).toEqual(child);
    expect(derivedOpaqueToken(otherKey, parent).token).not.toBe(child.token);
    expect(derivedOpaqueToken(key, newOpaqueToken().token).token).not.toBe(child.token);
    expect(child.token).not.toBe(parent);
  });
});
