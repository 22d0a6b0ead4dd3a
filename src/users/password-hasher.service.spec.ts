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
    expect(isSupportedHash(`$argon2id$v=19$m=19456,t=2,p=1$${SALT}$${HASH}`)).toBe(true);
    expect(isSupportedHash('$1$md5crypt')).toBe(false);
    expect(isSupportedHash('$2y$10$short')).toBe(false);
    expect(isSupportedHash('5f4dcc3b5aa765d61d8327deb882cf99')).toBe(false);
  });

  /** 16 and 32 bytes of base64, as encoders write salt and hash. */
  const SALT = 'c2FsdHNhbHRzYWx0c2FsdA';
  const HASH = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
  const phc = (params: string, salt = SALT, output = HASH) => `$argon2id$v=19$${params}$${salt}$${output}`;

  it.each([
    ['OWASP argon2id', phc('m=19456,t=2,p=1')],
    ['OWASP argon2id, least memory', phc('m=7168,t=5,p=1')],
    ['argon2-cffi, node-argon2, Authelia', phc('m=65536,t=3,p=4')],
    ["PHP's password_hash", phc('m=65536,t=4,p=1')],
    ['Ory Kratos on a 32-core host', phc('m=131072,t=1,p=64')],
    ["libsodium's moderate", phc('m=262144,t=3,p=1')],
    ['Django', phc('m=102400,t=2,p=8')],
    ['argon2i without a version (libargon2 before 1.3)', `$argon2i$m=4096,t=3,p=1$${SALT}$${HASH}`],
    ['version 16', phc('m=4096,t=3,p=1').replace('v=19', 'v=16')],
    ['the shortest salt and hash', phc('m=4096,t=3,p=1', 'c2FsdHNhbHQ', 'aGFzaGhhc2hoYXNoaGFzaA')],
    ['bcrypt at cost 16', laravel.replace('$10$', '$16$')],
    ['bcrypt at cost 4', laravel.replace('$10$', '$04$')],
  ])('supports %s', (_name, hash) => {
    expect(isSupportedHash(hash)).toBe(true);
  });

  it.each([
    ['a pass count no sign-in could finish', phc('m=19456,t=4294967295,p=1')],
    ['4 GiB of memory', phc('m=4194304,t=1000,p=1')],
    ['more than 256 MiB', phc('m=262145,t=1,p=1')],
    ['more than 16 passes', phc('m=4096,t=17,p=1')],
    ['256 MiB over 5 passes', phc('m=262144,t=5,p=1')],
    ['RFC 9106 first choice, 2 GiB', phc('m=2097152,t=1,p=4')],
    ['no passes', phc('m=4096,t=0,p=1')],
    ['no lanes', phc('m=4096,t=3,p=0')],
    ['256 lanes', phc('m=4096,t=3,p=256')],
    ['less memory than 8 KiB a lane', phc('m=31,t=3,p=4')],
    ['parameters out of order', phc('t=2,m=19456,p=1')],
    ['a secret key id', phc('m=19456,t=2,p=1,keyid=AAAA')],
    ['version 20', phc('m=19456,t=2,p=1').replace('v=19', 'v=20')],
    ['garbage', '$argon2id$garbage'],
    ['no salt', `$argon2id$v=19$m=19456,t=2,p=1$${HASH}`],
    ['a 4-byte salt', phc('m=19456,t=2,p=1', 'c2FsdA')],
    ['a 4-byte hash', phc('m=19456,t=2,p=1', SALT, 'aGFzaA')],
    ['a base64 text that is no whole number of bytes', phc('m=19456,t=2,p=1', SALT + 'AAA')],
    ['padding', phc('m=19456,t=2,p=1', SALT, HASH + '=')],
    ['a line break at the end', phc('m=19456,t=2,p=1') + '\n'],
    ['argon2x', phc('m=19456,t=2,p=1').replace('argon2id', 'argon2x')],
    ['bcrypt at cost 17', laravel.replace('$10$', '$17$')],
    ['bcrypt at cost 31', laravel.replace('$10$', '$31$')],
    ['bcrypt at cost 3', laravel.replace('$10$', '$03$')],
  ])('refuses %s', (_name, hash) => {
    expect(isSupportedHash(hash)).toBe(false);
  });

  it('matches nothing with a stored hash past the limits, without running it', async () => {
    // The modules as the service requires them: a namespace import's properties cannot be replaced.
    const run = jest.spyOn(jest.requireActual<typeof argon2>('@node-rs/argon2'), 'verify');
    const compare = jest.spyOn(jest.requireActual<typeof bcrypt>('bcrypt'), 'compare');
    try {
      const real = await argon2.hash('Tulip-Garden-42', { memoryCost: 1024, timeCost: 1 });
      const costly = real.replace('m=1024,t=1,', 'm=1024,t=4294967295,');
      await expect(hasher.verify('Tulip-Garden-42', costly)).resolves.toBe(false);
      await expect(hasher.verify('Tulip-Garden-42', '$argon2id$garbage')).resolves.toBe(false);
      await expect(hasher.verify('password', laravel.replace('$10$', '$31$'))).resolves.toBe(false);
      expect(run).not.toHaveBeenCalled();
      expect(compare).not.toHaveBeenCalled();
      await expect(hasher.verify('Tulip-Garden-42', real)).resolves.toBe(true);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      run.mockRestore();
      compare.mockRestore();
    }
  });
});
