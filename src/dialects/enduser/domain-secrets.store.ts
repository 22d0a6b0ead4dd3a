import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainSecret } from './domain-secret.entity';

/** Every query on user-domain secrets. */
@Injectable()
export class DomainSecretsStore {
  constructor(@InjectRepository(DomainSecret) private readonly secrets: Repository<DomainSecret>) {}

  find(tenantId: number): Promise<DomainSecret | null> {
    return this.secrets.findOneBy({ tenantId });
  }

  /** Stores the domain's first secret; a row already there (a racing first use) is kept. */
  async insertIfAbsent(row: Omit<DomainSecret, 'tenant'>): Promise<void> {
    await this.secrets.createQueryBuilder().insert().into(DomainSecret).values(row).orIgnore().execute();
  }

  async replace(tenantId: number, secretSealed: string, now: number): Promise<void> {
    await this.secrets.update({ tenantId }, { secretSealed, updatedAt: now });
  }
}
