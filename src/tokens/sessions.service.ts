import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';
import { SessionsStore } from './sessions.store';

export interface OpenedSession {
  token: string;
  expiresAt: number;
}

/** Opaque session tokens: random, stored only as a hash, with an expiry and the user's token epoch. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsStore,
    private readonly transactions: TransactionRunnerService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async open(tenantId: number, user: Pick<User, 'id' | 'tokenEpoch'>, ttlSeconds: number): Promise<OpenedSession> {
    const { token, hash } = newOpaqueToken();
    const createdAt = this.clock.now();
    const expiresAt = createdAt + ttlSeconds * 1000;
    const row = { tenantId, userId: user.id, tokenHash: hash, createdAt, expiresAt, tokenEpoch: user.tokenEpoch };
    await this.transactions.runStatement((transaction) => this.sessions.insert(transaction, row));
    return { token, expiresAt };
  }

  /**
   * The active user of a live session of the tenant, or null for an unknown, expired or foreign token,
   * and for a session opened before the user's sessions were ended.
   */
  async userOf(tenantId: number, token: string): Promise<User | null> {
    const session = token.length <= 256 ? await this.sessions.findByHash(hashOpaqueToken(token)) : null;
    if (!session || session.tenantId !== tenantId || session.expiresAt <= this.clock.now()) {
      return null;
    }
    return this.users.findSignedIn(tenantId, session.userId, session.tokenEpoch);
  }
}
