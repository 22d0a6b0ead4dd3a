import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { managerOf, Transaction } from '../../database/transaction';
import { Invite } from './invite.entity';

/** Every query on invites. */
@Injectable()
export class InvitesStore {
  constructor(@InjectRepository(Invite) private readonly invites: Repository<Invite>) {}

  /** Adds the invites and returns them with their ids. */
  insert(rows: Omit<Invite, 'id' | 'tenant'>[]): Promise<Invite[]> {
    return this.invites.save(rows.map((row) => this.invites.create(row)));
  }

  /** A tenant's invites, oldest first. */
  list(tenantId: number): Promise<Invite[]> {
    return this.invites.find({ where: { tenantId }, order: { id: 'ASC' } });
  }

  find(tenantId: number, code: string): Promise<Invite | null> {
    return this.invites.findOneBy({ tenantId, code });
  }

  /** Marks an invite used by `userId` at `now` if it is unused and unexpired; false otherwise. */
  async spend(transaction: Transaction, id: number, userId: number, now: number): Promise<boolean> {
    const manager = managerOf(transaction);
    const where = { id, usedAt: IsNull() };
    const result = await manager.update(
      Invite,
      [
        { ...where, expiresAt: IsNull() },
        { ...where, expiresAt: MoreThan(now) },
      ],
      { usedAt: now, usedBy: userId },
    );
    return result.affected === 1;
  }
}
