import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';
import { SessionsStore } from './sessions.store';

export interface OpenedSession {
  token: string;
  expiresAt: number;
}

/** Opaque session tokens: random, stored only as a hash, with an expiry. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsStore,
    private readonly clock: Clock,
  ) {}

  async open(tenantId: number, userId: number, ttlSeconds: number): Promise<OpenedSession> {
    const { token, hash } = newOpaqueToken();
    const createdAt = this.clock.now();
    const expiresAt = createdAt + ttlSeconds * 1000;
    await this.sessions.insert({ tenantId, userId, tokenHash: hash, createdAt, expiresAt });
    return { token, expiresAt };
  }

  /** The user id of a live session of the tenant, or null for an unknown, expired or foreign token. */
  async userOf(tenantId: number, token: string): Promise<number | null> {
    const session = token.length <= 256 ? await this.sessions.findByHash(hashOpaqueToken(token)) : null;
    if (!session || session.tenantId !== tenantId || session.expiresAt <= this.clock.now()) {
      return null;
    }
    return session.userId;
  }
}
