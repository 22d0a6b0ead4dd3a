import * as argon2 from '@node-rs/argon2';
import type { Algorithm } from '@node-rs/argon2';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { MetricsService } from '../metrics/metrics.service';
import { isSupportedHash, PasswordHasherService } from './password-hasher.service';

describe('PasswordHasherService', () => {
  const hasher = new PasswordHasherService(
    { security: { bcryptCost: 4 } } as AppConfig,
    { timeHash: (hash: () => Promise<string>) => hash() } as unknown as MetricsService,
  );

  it('hashes and verifies', async () => {
    const hash = await hasher.hash('s3cret!');
    expect(hash).toMatch(/^\$2b\$04\$/);
    await expect(hasher.verify('s3cret!', hash)).resolves.toBe(true);
    await expect(hasher.verify('other', hash)).resolves.toBe(false);
  });

  it('takes the composed and decomposed forms of one password alike', async () => {
    const composed = 'caf\u00e9-latte';
    const decomposed = 'cafe\u0301-latte';
    await expect(hasher.verify(composed, await hasher.hash(decomposed))).resolves.toBe(true);
    await expect(hasher.verify(decomposed, await hasher.hash(composed))).resolves.toBe(true);
  });

  it('still verifies a hash imported from the decomposed text', async () => {
    const decomposed = 'cafe\u0301-latte';
    const imported = await bcrypt.hash(decomposed, 4);
    await expect(hasher.verify(decomposed, imported)).resolves.toBe(true);
    await expect(hasher.verify('other', imported)).resolves.toBe(false);
  });

  it('accepts exactly 72 bytes', async () => {
    await expect(hasher.hash('é'.repeat(36))).resolves.toMatch(/^\$2b\$/);
  });

  it('refuses ill-formed Unicode, which bcrypt would fold into U+FFFD', async () => {
    await expect(hasher.hash('secret\ud800')).rejects.toMatchObject({ code: DomainErrorCode.PASSWORD_INVALID });
  });

  it('refuses 73 bytes instead of truncating', async () => {
    await expect(hasher.hash('a'.repeat(71) + 'é')).rejects.toMatchObject({
      code: DomainErrorCode.PASSWORD_TOO_LONG,
      details: { field: 'password', params: { max: 72 } },
    });
  });
});

describe('PasswordHasherService with imported hashes', () => {
  const hasher = new PasswordHasherService(
    { security: { bcryptCost: 10 } } as AppConfig,
    { timeHash: (hash: () => Promise<string>) => hash() } as unknown as MetricsService,
  );
  /** Laravel's own factory hash of "password", made by PHP's password_hash. */
  const laravel = '$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi';

  it("verifies PHP's $2y$ bcrypt, as Laravel and Discuz! Q store it", async () => {
    await expect(hasher.verify('password', laravel)).resolves.toBe(true);
    await expect(hasher.verify('Password', laravel)).resolves.toBe(false);
  });

  it('verifies $2a$ bcrypt', async () => {
    const hash = (await bcrypt.hash('Tulip-Garden-42', 4)).replace(/^\$2b\$/, '$2a$');
    await expect(hasher.verify('Tulip-Garden-42', hash)).resolves.toBe(true);
    await expect(hasher.verify('Tulip-Garden-43', hash)).resolves.toBe(false);
  });

  it('verifies argon2id, argon2i and argon2d PHC strings', async () => {
    // The library's Algorithm is a const enum, which isolated modules cannot read: 0 argon2d, 1 argon2i, 2 argon2id.
    for (const algorithm of [2, 1, 0] as Algorithm[]) {
      const prefix = ['$argon2d$', '$argon2i$', '$argon2id$'][algorithm];
      const hash = await argon2.hash('Tulip-Garden-42', { algorithm });
      expect(hash.startsWith(prefix)).toBe(true);
      await expect(hasher.verify('Tulip-Garden-42', hash)).resolves.toBe(true);
      await expect(hasher.verify('Tulip-Garden-43', hash)).resolves.toBe(false);
    }
  });

  it('matches nothing with a malformed argon2 string', async () => {
    await expect(hasher.verify('Tulip-Garden-42', '$argon2id$v=19$m=19456,t=2,p=1$bad')).resolves.toBe(false);
  });

  it('verifies an argon2 hash of a password longer than bcrypt takes', async () => {
    const long = 'Tulip-Garden-'.repeat(8);
    await expect(hasher.verify(long, await argon2.hash(long))).resolves.toBe(true);
  });

  it('asks to upgrade every hash but $2b$ at the configured cost', async () => {
    expect(hasher.needsUpgrade(laravel)).toBe(true);
    expect(hasher.needsUpgrade(await argon2.hash('x'))).toBe(true);
    expect(hasher.needsUpgrade(await bcrypt.hash('x', 4))).toBe(true);
    expect(hasher.needsUpgrade(await hasher.hash('Tulip-Garden-42'))).toBe(false);
  });

  it('names the hashes an import may bring', () => {
    expect(isSupportedHash(laravel)).toBe(true);
    expect(isSupportedHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(isSupportedHash('$1$md5crypt')).toBe(false);
    expect(isSupportedHash('$2y$10$short')).toBe(false);
    expect(isSupportedHash('5f4dcc3b5aa765d61d8327deb882cf99')).toBe(false);
  });
});
