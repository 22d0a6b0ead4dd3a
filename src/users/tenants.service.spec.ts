import { Test } from '@nestjs/testing';
import { FakeClock } from '../../test/utils/fake-clock';
import { Clock } from '../clock/clock';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { Tenant, TENANT_CODE_MAX_LENGTH } from './entities/tenant.entity';
import { TENANT_KINDS } from './tenant-kinds';
import { TenantAdminError, TenantsService } from './tenants.service';
import { TenantsStore } from './tenants.store';

const tenantOf = (kind: string, code: string, enabled = true): Tenant =>
  Object.assign(new Tenant(), { id: 1, kind, code, name: code, enabled, settings: { keep: 1 }, createdAt: 0, updatedAt: 0 });

/** Tenants in memory, keyed by kind and code as the unique index is. */
function fakeStore(...tenants: Tenant[]) {
  return {
    find: jest.fn((kind: string, code: string) => Promise.resolve(tenants.find((t) => t.kind === kind && t.code === code) ?? null)),
    findByCode: jest.fn((code: string) => Promise.resolve(tenants.filter((t) => t.code === code))),
    insert: jest.fn((row: Omit<Tenant, 'id'>) =>
      Promise.resolve(tenants.some((t) => t.kind === row.kind && t.code === row.code) ? null : Object.assign(new Tenant(), row, { id: 2 })),
    ),
    update: jest.fn(() => Promise.resolve()),
  };
}

describe('TenantsService', () => {
  const clock = new FakeClock();

  async function serviceWith(store: ReturnType<typeof fakeStore>, kinds = ['pool', 'site']): Promise<TenantsService> {
    const moduleRef = await Test.createTestingModule({
      providers: [
        TenantsService,
        { provide: TenantsStore, useValue: store },
        { provide: Clock, useValue: clock },
        { provide: TENANT_KINDS, useValue: kinds },
      ],
    }).compile();
    return moduleRef.get(TenantsService);
  }

  describe('requireActive', () => {
    it('returns an enabled tenant', async () => {
      const tenants = await serviceWith(fakeStore(tenantOf('pool', 'a')));
      await expect(tenants.requireActive('pool', 'a')).resolves.toMatchObject({ kind: 'pool', code: 'a' });
    });

    it('refuses an unknown tenant, a tenant of another kind and an overlong code (no query) with TENANT_NOT_FOUND', async () => {
      const store = fakeStore(tenantOf('site', 'a'));
      const tenants = await serviceWith(store);
      for (const [kind, code] of [
        ['pool', 'b'],
        ['pool', 'a'],
        ['pool', 'x'.repeat(TENANT_CODE_MAX_LENGTH + 1)],
      ]) {
        await expect(tenants.requireActive(kind, code, 'poolId')).rejects.toMatchObject({
          code: DomainErrorCode.TENANT_NOT_FOUND,
          details: { field: 'poolId' },
        });
      }
      expect(store.find).toHaveBeenCalledTimes(2);
    });

    it('refuses a disabled tenant with TENANT_DISABLED', async () => {
      const tenants = await serviceWith(fakeStore(tenantOf('pool', 'a', false)));
      await expect(tenants.requireActive('pool', 'a', 'poolId')).rejects.toMatchObject({
        code: DomainErrorCode.TENANT_DISABLED,
        details: { field: 'poolId' },
      });
    });
  });

  describe('requireExisting', () => {
    it('returns a disabled tenant too, and refuses an unknown one with TENANT_NOT_FOUND', async () => {
      const tenants = await serviceWith(fakeStore(tenantOf('pool', 'a', false)));
      await expect(tenants.requireExisting('pool', 'a', 'poolId')).resolves.toMatchObject({ code: 'a', enabled: false });
      await expect(tenants.requireExisting('pool', 'b', 'poolId')).rejects.toMatchObject({
        code: DomainErrorCode.TENANT_NOT_FOUND,
        details: { field: 'poolId' },
      });
    });
  });

  describe('resolve', () => {
    it('reads `kind:code` for a kind a mounted dialect declares', async () => {
      const tenants = await serviceWith(fakeStore(tenantOf('pool', 'a'), tenantOf('site', 'a')));
      await expect(tenants.resolve('site:a')).resolves.toMatchObject({ kind: 'site', code: 'a' });
      await expect(tenants.resolve('pool:b')).rejects.toThrow(new TenantAdminError('no pool named b'));
    });

    it('reads a colon of an unknown kind as part of a bare code', async () => {
      const tenants = await serviceWith(fakeStore(tenantOf('pool', 'x:a')), ['site']);
      await expect(tenants.resolve('x:a')).resolves.toMatchObject({ kind: 'pool', code: 'x:a' });
      await expect(tenants.resolve('pool:x:a')).rejects.toThrow(new TenantAdminError('no tenant named pool:x:a'));
    });

    it('finds a bare code that names one tenant, and asks which of several', async () => {
      const tenants = await serviceWith(fakeStore(tenantOf('pool', 'a'), tenantOf('site', 'a'), tenantOf('site', 'b')));
      await expect(tenants.resolve('b')).resolves.toMatchObject({ kind: 'site', code: 'b' });
      await expect(tenants.resolve('a')).rejects.toThrow(new TenantAdminError('a names several tenants; say which: pool:a, site:a'));
      await expect(tenants.resolve('c')).rejects.toThrow(new TenantAdminError('no tenant named c'));
    });
  });

  it('creates a tenant stamped with the clock, enabled unless told otherwise, and refuses a second of that kind and code', async () => {
    const store = fakeStore(tenantOf('pool', 'a'));
    const tenants = await serviceWith(store);
    await expect(tenants.create({ kind: 'site', code: 'a', name: 'A', settings: { x: 1 } })).resolves.toMatchObject({
      id: 2,
      enabled: true,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    await expect(tenants.create({ kind: 'pool', code: 'a', name: 'A', settings: {} })).rejects.toThrow(
      new TenantAdminError('pool a already exists'),
    );
  });

  it('keeps the other settings when changing some, and stamps the change with the clock', async () => {
    const store = fakeStore();
    const tenants = await serviceWith(store);
    const changed = await tenants.updateSettings(tenantOf('pool', 'a'), { more: 2 });
    expect(store.update).toHaveBeenCalledWith(1, { settings: { keep: 1, more: 2 }, updatedAt: clock.now() });
    expect(changed).toMatchObject({ settings: { keep: 1, more: 2 }, updatedAt: clock.now() });
  });

  it('enables and disables a tenant an operator names', async () => {
    const store = fakeStore(tenantOf('pool', 'a'));
    const tenants = await serviceWith(store);
    await expect(tenants.setEnabled('pool', 'a', false)).resolves.toMatchObject({ enabled: false });
    expect(store.update).toHaveBeenCalledWith(1, { enabled: false, updatedAt: clock.now() });
    await expect(tenants.setEnabled('pool', 'b', false)).rejects.toThrow(TenantAdminError);
  });
});
