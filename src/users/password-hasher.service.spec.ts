import * as bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { MetricsService } from '../metrics/metrics.service';
import { PasswordHasherService } from './password-hasher.service';

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
