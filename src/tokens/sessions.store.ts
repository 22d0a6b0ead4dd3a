import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { managerOf, Transaction } from '../database/transaction';
import { Session } from './entities/session.entity';

/** Every query on sessions. */
@Injectable()
export class SessionsStore {
  constructor(@InjectRepository(Session) private readonly sessions: Repository<Session>) {}

  async insert(transaction: Transaction, row: Omit<Session, 'id'>): Promise<void> {
    await managerOf(transaction).getRepository(Session).insert(row);
  }

  findByHash(tokenHash: string): Promise<Session | null> {
    return this.sessions.findOneBy({ tokenHash });
  }
}
