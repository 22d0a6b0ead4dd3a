import { AppConfig } from '../config/app-config';
import { SecretBoxService } from './secret-box.service';

const boxUnder = (jwtSecret: string) => new SecretBoxService({ security: { jwtSecret, bcryptCost: 4 } } as AppConfig);

describe('SecretBoxService', () => {
  const box = boxUnder('a-jwt-secret-long-enough');

  it('opens what it sealed, and seals the same secret differently each time', () => {
    const first = box.seal('s3cr3t-ключ');
    const second = box.seal('s3cr3t-ключ');
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(second).not.toBe(first);
    expect(first).not.toContain('s3cr3t');
    expect(box.open(first)).toBe('s3cr3t-ключ');
    expect(box.open(second)).toBe('s3cr3t-ключ');
  });

  it('opens with another instance under the same JWT_SECRET, not under another one', () => {
    const sealed = box.seal('secret');
    expect(boxUnder('a-jwt-secret-long-enough').open(sealed)).toBe('secret');
    expect(boxUnder('another-jwt-secret-long-enough').open(sealed)).toBeNull();
  });

  it.each([1, 2, 3])('refuses a value whose part %i was altered', (part) => {
    const parts = box.seal('secret').split('.');
    const last = parts[part].at(-2) === 'A' ? 'B' : 'A';
    parts[part] = `${parts[part].slice(0, -2)}${last}${parts[part].slice(-1)}`;
    expect(box.open(parts.join('.'))).toBeNull();
  });

  it.each(['', 'plain', 'v1.x.y', 'v2.a.b.c', `v0.${'A'.repeat(16)}.${'A'.repeat(22)}.AAAA`])('refuses the malformed value %j', (value) => {
    expect(box.open(value)).toBeNull();
  });
});
