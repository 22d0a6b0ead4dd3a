import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { SecretBoxService } from '../../users/secret-box.service';
import { FakeClock } from '../../../test/utils/fake-clock';
import { DomainSecret } from './domain-secret.entity';
import { DomainSecretsService } from './domain-secrets.service';
import { DomainSecretsStore } from './domain-secrets.store';

/** The store's behaviour in memory: one row per tenant, a second first insert ignored. */
class FakeSecretsStore {
  readonly rows = new Map<number, Omit<DomainSecret, 'tenant'>>();
  find(tenantId: number) {
    return Promise.resolve(this.rows.get(tenantId) ?? null);
  }
  insertIfAbsent(row: Omit<DomainSecret, 'tenant'>) {
    if (!this.rows.has(row.tenantId)) this.rows.set(row.tenantId, row);
    return Promise.resolve();
  }
  replace(tenantId: number, secretSealed: string, updatedAt: number) {
    this.rows.set(tenantId, { tenantId, secretSealed, updatedAt });
    return Promise.resolve();
  }
}

const box = (jwtSecret: string) => new SecretBoxService({ security: { jwtSecret } } as AppConfig);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('DomainSecretsService', () => {
  const tenant = { id: 3 };
  let store: FakeSecretsStore;
  let secrets: DomainSecretsService;

  beforeEach(() => {
    store = new FakeSecretsStore();
    secrets = new DomainSecretsService(store as unknown as DomainSecretsStore, box('one-secret-long-enough'), new FakeClock());
  });

  it('makes a 44-character secret on first need, stores it sealed, and keeps it', async () => {
    const secret = await secrets.secretOf(tenant);
    expect(secret).toMatch(/^[A-Za-z0-9]{44}$/);
    expect(store.rows.get(3)!.secretSealed).not.toContain(secret);
    await expect(secrets.secretOf(tenant)).resolves.toBe(secret);
  });

  it('keeps the first secret when two first uses race', async () => {
    const [a, b] = await Promise.all([secrets.secretOf(tenant), secrets.secretOf(tenant)]);
    expect(a).toBe(b);
  });

  it('matches the hex SHA-256 of the parts and the secret, in either case, and nothing else', async () => {
    const secret = (await secrets.secretOf(tenant))!;
    const good = sha256(`a@b.cpwdr${secret}`);
    await expect(secrets.signatureMatches(tenant, ['a@b.c', 'pwd', 'r'], good)).resolves.toBe(true);
    await expect(secrets.signatureMatches(tenant, ['a@b.c', 'pwd', 'r'], good.toUpperCase())).resolves.toBe(true);
    await expect(secrets.signatureMatches(tenant, ['a@b.c', 'pwd', ''], good)).resolves.toBe(false);
    await expect(secrets.signatureMatches(tenant, ['a@b.c', 'pwd', 'r'], good.slice(0, 63))).resolves.toBe(false);
    await expect(secrets.signatureMatches(tenant, ['a@b.c', 'pwd', 'r'], `${good.slice(0, 63)}g`)).resolves.toBe(false);
  });

  it('rotates to a new secret, after which the old signature fails', async () => {
    const old = (await secrets.secretOf(tenant))!;
    const fresh = await secrets.rotate(tenant);
    expect(fresh).not.toBe(old);
    await expect(secrets.secretOf(tenant)).resolves.toBe(fresh);
    await expect(secrets.signatureMatches(tenant, ['x'], sha256(`x${old}`))).resolves.toBe(false);
  });

  it('reports a secret sealed under another JWT_SECRET as the tenant misconfigured', async () => {
    await secrets.secretOf(tenant);
    const moved = new DomainSecretsService(store as unknown as DomainSecretsStore, box('another-secret-long-enough'), new FakeClock());
    await expect(moved.secretOf(tenant)).resolves.toBeNull();
    await expect(moved.signatureMatches(tenant, ['x'], '0'.repeat(64))).rejects.toMatchObject({
      code: DomainErrorCode.TENANT_MISCONFIGURED,
    });
  });
});
