import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Session } from './entities/session.entity';

/** Every query on sessions. */
@Injectable()
export class SessionsStore {
  constructor(@InjectRepository(Session) private readonly sessions: Repository<Session>) {}

  async insert(row: Omit<Session, 'id'>): Promise<void> {
    await this.sessions.insert(row);
  }

  findByHash(tokenHash: string): Promise<Session | null> {
    return this.sessions.findOneBy({ tokenHash });
  }
}
