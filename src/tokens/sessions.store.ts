import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { EntityRows } from '../database/entity-rows';
import { managerOf, Transaction } from '../database/transaction';
import { Session } from './entities/session.entity';

/** Every query on sessions, as plain SQL built once here: every call with a session token reads one. */
@Injectable()
export class SessionsStore {
  private readonly rows: EntityRows<Session>;
  private readonly insertRow: (manager: EntityManager, values: Omit<Session, 'id'>) => Promise<number>;
  private readonly findByHashSql: string;

  constructor(@InjectRepository(Session) sessions: Repository<Session>) {
    this.rows = new EntityRows(sessions.manager.dataSource, Session);
    this.insertRow = this.rows.prepareInsert(['tenantId', 'userId', 'tokenHash', 'createdAt', 'expiresAt', 'tokenEpoch']);
    this.findByHashSql = `SELECT ${this.rows.selectList} FROM ${this.rows.table} WHERE ${this.rows.column('tokenHash')} = ? LIMIT 1`;
  }

  async insert(transaction: Transaction, row: Omit<Session, 'id'>): Promise<void> {
    await this.insertRow(managerOf(transaction), row);
  }

  findByHash(tokenHash: string): Promise<Session | null> {
    return this.rows.findOne(this.findByHashSql, [tokenHash]);
  }
}
