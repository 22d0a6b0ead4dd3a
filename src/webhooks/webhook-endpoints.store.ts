import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThanOrEqual, Not, Repository } from 'typeorm';
import { managerOf, Transaction } from '../database/transaction';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export type NewWebhookEndpoint = Pick<WebhookEndpoint, 'tenantId' | 'url' | 'eventTypes' | 'secretSealed' | 'createdAt'>;

/** Every query on webhook endpoints. */
@Injectable()
export class WebhookEndpointsStore {
  constructor(@InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>) {}

  insert(row: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.endpoints.save(this.endpoints.create({ ...row, enabled: true, updatedAt: row.createdAt }));
  }

  find(id: number): Promise<WebhookEndpoint | null> {
    return this.endpoints.findOne({ where: { id }, relations: { tenant: true } });
  }

  list(tenantId?: number): Promise<WebhookEndpoint[]> {
    return this.endpoints.find({ where: tenantId === undefined ? {} : { tenantId }, relations: { tenant: true }, order: { id: 'ASC' } });
  }

  /** The enabled endpoints of these tenants, which get deliveries of the tenants' events. */
  enabledFor(tenantIds: readonly number[]): Promise<WebhookEndpoint[]> {
    return tenantIds.length === 0 ? Promise.resolve([]) : this.endpoints.findBy({ tenantId: In([...tenantIds]), enabled: true });
  }

  /** Changes the endpoint, in `transaction` when one is given. */
  async update(id: number, change: Partial<Omit<WebhookEndpoint, 'id' | 'tenant'>>, transaction?: Transaction): Promise<void> {
    await (transaction ? managerOf(transaction).getRepository(WebhookEndpoint) : this.endpoints).update({ id }, change);
  }

  /** Notes the first failure since the last success; later failures leave the date alone. */
  async markFailing(id: number, now: number): Promise<void> {
    await this.endpoints.update({ id, failingSince: IsNull() }, { failingSince: now });
  }

  async clearFailing(id: number): Promise<void> {
    await this.endpoints.update({ id, failingSince: Not(IsNull()) }, { failingSince: null });
  }

  /**
   * Disables the endpoint when it is enabled and has failed since `failingSince` or earlier: a conditional
   * UPDATE, so of instances noticing it at once exactly one gets true, and tells the operator.
   */
  async disableFailing(id: number, failingSince: number, reason: string, now: number): Promise<boolean> {
    const result = await this.endpoints.update(
      { id, enabled: true, failingSince: LessThanOrEqual(failingSince) },
      { enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now },
    );
    return result.affected === 1;
  }
}
