import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Not, Repository } from 'typeorm';
import { managerOf, Transaction } from '../../database/transaction';
import { SigningKey } from './signing-key.entity';

/** Every query on enduser signing keys. */
@Injectable()
export class SigningKeysStore {
  constructor(@InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>) {}

  /** The key that signs: the newest generation. */
  current(): Promise<SigningKey | null> {
    return this.keys.findOne({ where: {}, order: { generation: 'DESC' } });
  }

  findByKid(kid: string): Promise<SigningKey | null> {
    return this.keys.findOneBy({ kid });
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
