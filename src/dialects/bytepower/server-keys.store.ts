import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { EntityRows } from '../../database/entity-rows';
import { Tenant } from '../../users/entities/tenant.entity';
import { ServerKey } from './server-key.entity';

/** Every query on server keys. The look-up of every server call is plain SQL, built once here. */
@Injectable()
export class ServerKeysStore {
  private readonly rows: EntityRows<ServerKey>;
  private readonly tenantRows: EntityRows<Tenant>;
  private readonly findActiveSql: string;

  constructor(@InjectRepository(ServerKey) private readonly keys: Repository<ServerKey>) {
    const dataSource = keys.manager.dataSource;
    const rows = new EntityRows(dataSource, ServerKey);
    const tenantRows = new EntityRows(dataSource, Tenant);
    this.rows = rows;
    this.tenantRows = tenantRows;
    this.findActiveSql =
      `SELECT ${rows.selectListAs('k')}, ${tenantRows.selectListAs('t')} FROM ${rows.table} k ` +
      `LEFT JOIN ${tenantRows.table} t ON t.${tenantRows.column('id')} = k.${rows.column('tenantId')} ` +
      `WHERE k.${rows.column('keyName')} = ? AND k.${rows.column('revokedAt')} IS NULL LIMIT 1`;
  }

  async insert(row: Omit<ServerKey, 'id' | 'tenant'>): Promise<void> {
    await this.keys.insert(row);
  }

  /** The unrevoked key of that name, with its tenant. */
  async findActive(keyName: string): Promise<ServerKey | null> {
    const [row] = await this.rows.select(this.findActiveSql, [keyName]);
    const key = row ? this.rows.fromRow(row, 'k') : null;
    if (key) {
      key.tenant = this.tenantRows.fromRow(row, 't') ?? undefined;
    }
    return key;
  }

  /** Revokes the unrevoked key of that name at `now`; false when there is none. */
  async revoke(keyName: string, now: number): Promise<boolean> {
    const result = await this.keys.update({ keyName, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected === 1;
  }

  /** A tenant's keys, oldest first. */
  list(tenantId: number): Promise<ServerKey[]> {
    return this.keys.find({ where: { tenantId }, order: { id: 'ASC' } });
  }
}
