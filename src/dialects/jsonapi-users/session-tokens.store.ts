import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { managerOf, Transaction } from '../../database/transaction';
import { SessionToken } from './session-token.entity';

/**
 * Every query on session tokens; spending one is a single conditional write, so a race has one winner.
 * The payload is simple-json, which takes any object; TypeORM's partial type only knows its own shapes.
 */
@Injectable()
export class SessionTokensStore {
  constructor(@InjectRepository(SessionToken) private readonly tokens: Repository<SessionToken>) {}

  async insert(row: Omit<SessionToken, 'id' | 'tenant'>): Promise<void> {
    await this.tokens.insert(row as QueryDeepPartialEntity<SessionToken>);
  }

  /** The unspent, unexpired token of the tenant with this hash, or null. */
  findLive(tenantId: number, tokenHash: string, now: number): Promise<SessionToken | null> {
    return this.tokens.findOneBy({ tenantId, tokenHash, consumedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** Marks the token spent if it is still live; false when it was spent or expired meanwhile. */
  async consume(transaction: Transaction | undefined, id: number, now: number): Promise<boolean> {
    const manager = transaction ? managerOf(transaction) : this.tokens.manager;
    const result = await manager.update(SessionToken, { id, consumedAt: IsNull(), expiresAt: MoreThan(now) }, { consumedAt: now });
    return result.affected === 1;
  }

  /** Fills in a live token's user and payload (a PC QR login the phone completed); false when it is no longer live. */
  async complete(id: number, change: Pick<SessionToken, 'userId' | 'payload'>, now: number): Promise<boolean> {
    const result = await this.tokens.update(
      { id, consumedAt: IsNull(), expiresAt: MoreThan(now) },
      change as QueryDeepPartialEntity<SessionToken>,
    );
    return result.affected === 1;
  }
}
