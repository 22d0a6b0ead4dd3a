import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Not, Repository } from 'typeorm';
import { EntityRows } from '../../database/entity-rows';
import { managerOf, Transaction } from '../../database/transaction';
import { SigningKey } from './signing-key.entity';

/** Every query on enduser signing keys. Those of every token signed or checked are plain SQL, built once here. */
@Injectable()
export class SigningKeysStore {
  private readonly rows: EntityRows<SigningKey>;
  private readonly currentSql: string;
  private readonly findByKidSql: string;

  constructor(@InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>) {
    this.rows = new EntityRows(keys.manager.dataSource, SigningKey);
    this.currentSql = `SELECT ${this.rows.selectList} FROM ${this.rows.table} ORDER BY ${this.rows.column('generation')} DESC LIMIT 1`;
    this.findByKidSql = `SELECT ${this.rows.selectList} FROM ${this.rows.table} WHERE ${this.rows.column('kid')} = ? LIMIT 1`;
  }

  /** The key that signs: the newest generation. */
  current(): Promise<SigningKey | null> {
    return this.rows.findOne(this.currentSql, []);
  }

  findByKid(kid: string): Promise<SigningKey | null> {
    return this.rows.findOne(this.findByKidSql, [kid]);
  }

  /** Keys still verifying: the current one and those retired after `retiredSince`, newest first. */
  verifying(retiredSince: number): Promise<SigningKey[]> {
    return this.keys.find({ where: [{ retiredAt: IsNull() }, { retiredAt: MoreThan(retiredSince) }], order: { generation: 'DESC' } });
  }

  /**
   * Adds the key of its generation and retires the others, in one transaction; false when that generation
   * exists already (another instance or rotation made it first), and then nothing is written.
   */
  async add(transaction: Transaction, row: Omit<SigningKey, 'id'>): Promise<boolean> {
    const manager = managerOf(transaction);
    await manager.createQueryBuilder().insert().into(SigningKey).values(row).orIgnore().execute();
    // Read back rather than counting affected rows, which the two drivers report differently for an ignored insert.
    const stored = await manager.findOneBy(SigningKey, { generation: row.generation });
    if (stored?.kid !== row.kid) {
      return false;
    }
    await manager.update(SigningKey, { retiredAt: IsNull(), kid: Not(row.kid) }, { retiredAt: row.createdAt });
    return true;
  }
}
