import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import { uniqueViolationMessage } from '../database/database-errors';
import { managerOf, Transaction } from '../database/transaction';
import { CodePurpose, VerificationCode } from './entities/verification-code.entity';

/** The unique key of a code: at most one per tenant, recipient (normalised email or E.164 mobile) and purpose. */
export interface CodeKey {
  tenantId: number;
  recipient: string;
  purpose: CodePurpose;
}

/** A freshly issued code's columns. */
export type FreshCode = Pick<VerificationCode, 'codeHash' | 'sentAt' | 'expiresAt' | 'attempts' | 'consumedAt'>;

/** Every query on verification codes; each decision that races is one conditional write. */
@Injectable()
export class VerificationCodesStore {
  constructor(@InjectRepository(VerificationCode) private readonly codes: Repository<VerificationCode>) {}

  find(key: CodeKey): Promise<VerificationCode | null> {
    return this.codes.findOneBy({ ...key });
  }

  /** Replaces the code of `key` if it was sent at or before `sentBy`; false when there is none so old. */
  async replace(key: CodeKey, fresh: FreshCode, sentBy: number): Promise<boolean> {
    const result = await this.codes.update({ ...key, sentAt: LessThanOrEqual(sentBy) }, fresh);
    return result.affected === 1;
  }

  /** Adds the code of `key`; false when the key has a code already. */
  async insert(key: CodeKey, fresh: FreshCode): Promise<boolean> {
    try {
      await this.codes.insert({ ...key, ...fresh });
      return true;
    } catch (error) {
      if (uniqueViolationMessage(error)) {
        return false;
      }
      throw error;
    }
  }

  async delete(key: CodeKey): Promise<void> {
    await this.codes.delete({ ...key });
  }

  /** Counts a wrong try, unless the tries are used up already. */
  async countWrongTry(id: number, maxAttempts: number): Promise<void> {
    await this.codes.increment({ id, attempts: LessThan(maxAttempts) }, 'attempts', 1);
  }

  /** Marks the code used at `now` if it is still unused, unexpired and has tries left; false otherwise. */
  async consume(transaction: Transaction, id: number, now: number, maxAttempts: number): Promise<boolean> {
    const result = await managerOf(transaction).update(
      VerificationCode,
      { id, consumedAt: IsNull(), expiresAt: MoreThan(now), attempts: LessThan(maxAttempts) },
      { consumedAt: now },
    );
    return result.affected === 1;
  }
}
