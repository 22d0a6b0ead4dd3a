import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { Tenant, TENANT_CODE_MAX_LENGTH } from './entities/tenant.entity';
import { TENANT_KINDS } from './tenant-kinds';
import { TenantChanges, TenantsStore } from './tenants.store';

/** Raised by admin operations (CLI); HTTP clients never create tenants. */
export class TenantAdminError extends Error {}

export interface NewTenant {
  kind: string;
  code: string;
  name: string;
  enabled?: boolean;
  settings: object;
}

/** Tenants, each of one dialect's kind: the look-up every request makes, and the operators' actions. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsStore,
    private readonly clock: Clock,
    @Inject(TENANT_KINDS) private readonly kinds: readonly string[],
  ) {}

  /**
   * Read from the database on every request, never cached, so that disabling a tenant from the CLI
   * (another process) takes effect on the very next request.
   */
  find(kind: string, code: string): Promise<Tenant | null> {
    return this.tenants.find(kind, code);
  }

  /**
   * The tenant a client named, refusing one that does not exist (TENANT_NOT_FOUND) or is disabled
   * (TENANT_DISABLED); `field` is the request field that named it, in the dialect's spelling.
   */
  async requireActive(kind: string, code: string, field?: string): Promise<Tenant> {
    const tenant = await this.requireExisting(kind, code, field);
    if (!tenant.enabled) {
      throw new DomainError(DomainErrorCode.TENANT_DISABLED, { field });
    }
    return tenant;
  }

  /**
   * The tenant a client named, enabled or not (TENANT_NOT_FOUND when there is none): for routes a disabled
   * tenant still serves, such as sign-in to a userpool closed to new registrations.
   */
  async requireExisting(kind: string, code: string, field?: string): Promise<Tenant> {
    const tenant = code.length <= TENANT_CODE_MAX_LENGTH ? await this.find(kind, code) : null;
    if (!tenant) {
      throw new DomainError(DomainErrorCode.TENANT_NOT_FOUND, { field });
    }
    return tenant;
  }

  /** Replaces some of a tenant's settings, keeping the others. */
  updateSettings(tenant: Tenant, changes: Record<string, unknown>): Promise<Tenant> {
    return this.change(tenant, { settings: { ...tenant.settings, ...changes } });
  }

  async create(input: NewTenant): Promise<Tenant> {
    const now = this.clock.now();
    const tenant = await this.tenants.insert({
      kind: input.kind,
      code: input.code,
      name: input.name,
      enabled: input.enabled ?? true,
      settings: { ...input.settings },
      createdAt: now,
      updatedAt: now,
    });
    if (!tenant) {
      throw new TenantAdminError(`${input.kind} ${input.code} already exists`);
    }
    return tenant;
  }

  /** Returns the tenant, creating it with `input` first when it does not exist yet. */
  async ensure(input: NewTenant): Promise<Tenant> {
    return (await this.find(input.kind, input.code)) ?? this.create(input);
  }

  async setEnabled(kind: string, code: string, enabled: boolean): Promise<Tenant> {
    return this.change(await this.require(kind, code), { enabled });
  }

  /** Finds a tenant from an operator's words: `kind:code`, or a code that names one tenant only. */
  async resolve(spec: string): Promise<Tenant> {
    const separator = spec.indexOf(':');
    if (separator > 0 && this.kinds.includes(spec.slice(0, separator))) {
      return this.require(spec.slice(0, separator), spec.slice(separator + 1));
    }
    const matches = await this.tenants.findByCode(spec);
    if (matches.length === 1) {
      return matches[0];
    }
    if (matches.length === 0) {
      throw new TenantAdminError(`no tenant named ${spec}`);
    }
    const options = matches.map((tenant) => `${tenant.kind}:${tenant.code}`).join(', ');
    throw new TenantAdminError(`${spec} names several tenants; say which: ${options}`);
  }

  /** The tenant an operator named, or a TenantAdminError saying it does not exist. */
  async require(kind: string, code: string): Promise<Tenant> {
    const tenant = await this.find(kind, code);
    if (!tenant) {
      throw new TenantAdminError(`no ${kind} named ${code}`);
    }
    return tenant;
  }

  private async change(tenant: Tenant, changes: Omit<TenantChanges, 'updatedAt'>): Promise<Tenant> {
    const changed = { ...changes, updatedAt: this.clock.now() };
    await this.tenants.update(tenant.id, changed);
    return Object.assign(tenant, changed);
  }
}
