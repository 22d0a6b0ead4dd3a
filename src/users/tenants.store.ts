import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { uniqueViolationMessage } from '../database/database-errors';
import { EntityRows } from '../database/entity-rows';
import { Tenant } from './entities/tenant.entity';

/** What a tenant's admin operations may change. */
export type TenantChanges = Partial<Pick<Tenant, 'enabled' | 'settings'>> & Pick<Tenant, 'updatedAt'>;

/** Every query on tenants. The look-up that every request makes is plain SQL, built once here. */
@Injectable()
export class TenantsStore {
  private readonly rows: EntityRows<Tenant>;
  private readonly findSql: string;

  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {
    this.rows = new EntityRows(tenants.manager.dataSource, Tenant);
    this.findSql = `SELECT ${this.rows.selectList} FROM ${this.rows.table} WHERE ${this.rows.column('kind')} = ? AND ${this.rows.column('code')} = ?`;
  }

  find(kind: string, code: string): Promise<Tenant | null> {
    return this.rows.findOne(this.findSql, [kind, code]);
  }

  /** Tenants of every kind that have this code. */
  findByCode(code: string): Promise<Tenant[]> {
    return this.tenants.findBy({ code });
  }

  /** Adds a tenant; null when one of that kind and code exists already. */
  async insert(row: Omit<Tenant, 'id'>): Promise<Tenant | null> {
    try {
      return await this.tenants.save(this.tenants.create(row));
    } catch (error) {
      if (uniqueViolationMessage(error)) {
        return null;
      }
      throw error;
    }
  }

  async update(id: number, changes: TenantChanges): Promise<void> {
    // Settings are simple-json, which takes any object; TypeORM's partial type only knows its own shapes.
    await this.tenants.update({ id }, changes as QueryDeepPartialEntity<Tenant>);
  }
}
