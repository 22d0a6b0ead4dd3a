import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { uniqueViolationMessage } from '../database/database-errors';
import { EntityRows } from '../database/entity-rows';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { Tenant, TENANT_CODE_MAX_LENGTH, TenantKind } from './entities/tenant.entity';

/** Raised by admin operations (CLI); HTTP clients never create tenants. */
export class TenantAdminError extends Error {}

export interface NewTenant {
  kind: TenantKind;
  code: string;
  name: string;
  enabled?: boolean;
  settings: object;
}

@Injectable()
export class TenantsService {
  private readonly rows: EntityRows<Tenant>;
  private readonly findSql: string;

  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {
    this.rows = new EntityRows(tenants.manager.dataSource, Tenant);
    this.findSql = `SELECT ${this.rows.selectList} FROM ${this.rows.table} WHERE ${this.rows.column('kind')} = ? AND ${this.rows.column('code')} = ?`;
  }

  /**
   * Read from the database on every request, never cached, so that disabling a tenant from the CLI
   * (another process) takes effect on the very next request.
   */
  find(kind: TenantKind, code: string): Promise<Tenant | null> {
    return this.rows.findOne(this.findSql, [kind, code]);
  }

  /**
   * The tenant a client named, refusing one that does not exist (TENANT_NOT_FOUND) or is disabled
   * (TENANT_DISABLED); `field` is the request field that named it, in the dialect's spelling.
   */
  async requireActive(kind: TenantKind, code: string, field?: string): Promise<Tenant> {
    const tenant = code.length <= TENANT_CODE_MAX_LENGTH ? await this.find(kind, code) : null;
    if (!tenant) {
      throw new DomainError(DomainErrorCode.TENANT_NOT_FOUND, { field });
    }
    if (!tenant.enabled) {
      throw new DomainError(DomainErrorCode.TENANT_DISABLED, { field });
    }
    return tenant;
  }

  /** Replaces some of a tenant's settings, keeping the others. */
  async updateSettings(tenant: Tenant, changes: Record<string, unknown>): Promise<Tenant> {
    tenant.settings = { ...tenant.settings, ...changes };
    return this.tenants.save(tenant);
  }

  async create(input: NewTenant): Promise<Tenant> {
    try {
      return await this.tenants.save(
        this.tenants.create({ ...input, enabled: input.enabled ?? true, settings: { ...input.settings } }),
      );
    } catch (error) {
      if (uniqueViolationMessage(error)) {
        throw new TenantAdminError(`${input.kind} ${input.code} already exists`);
      }
      throw error;
    }
  }

  /** Returns the tenant, creating it with `input` first when it does not exist yet. */
  async ensure(input: NewTenant): Promise<Tenant> {
    return (await this.find(input.kind, input.code)) ?? this.create(input);
  }

  async setEnabled(kind: TenantKind, code: string, enabled: boolean): Promise<Tenant> {
    const tenant = await this.require(kind, code);
    tenant.enabled = enabled;
    return this.tenants.save(tenant);
  }

  /** Finds a tenant from an operator's words: `kind:code`, or a code that names one tenant only. */
  async resolve(spec: string): Promise<Tenant> {
    const kinds = Object.values(TenantKind) as string[];
    const separator = spec.indexOf(':');
    if (separator > 0 && kinds.includes(spec.slice(0, separator))) {
      return this.require(spec.slice(0, separator) as TenantKind, spec.slice(separator + 1));
    }
    const matches = await this.tenants.findBy({ code: spec });
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
  async require(kind: TenantKind, code: string): Promise<Tenant> {
    const tenant = await this.find(kind, code);
    if (!tenant) {
      throw new TenantAdminError(`no ${kind} named ${code}`);
    }
    return tenant;
  }
}
