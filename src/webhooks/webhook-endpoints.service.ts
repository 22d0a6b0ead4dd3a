import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { USER_EVENT_TYPES } from '../events/user-event';
import type { Tenant } from '../users/entities/tenant.entity';
import { SecretBoxService } from '../users/secret-box.service';
import { assertPublicHost, parseWebhookUrl } from './webhook-address';
import { DeliveryFilter, WebhookDeliveriesStore } from './webhook-deliveries.store';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsStore } from './webhook-endpoints.store';
import { newWebhookSecret } from './webhook-secrets';

/** An operator's request that cannot be done (unknown id, bad event type, nothing to change), in words for the CLI. */
export class WebhookAdminError extends Error {}

/** An endpoint and its secret, which is shown this once and stored only sealed. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** What operators do with endpoints and deliveries (the `webhooks` CLI). */
@Injectable()
export class WebhookEndpointsService {
  private readonly allowPrivate: boolean;

  constructor(
    private readonly endpoints: WebhookEndpointsStore,
    private readonly deliveries: WebhookDeliveriesStore,
    private readonly secretBox: SecretBoxService,
    private readonly transactions: TransactionRunnerService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.allowPrivate = config.webhooks.allowPrivate;
  }

  /** Adds an endpoint for the tenant's events of `eventTypes` (every type when none is given). */
  async add(tenant: Pick<Tenant, 'id'>, url: string, eventTypes?: readonly string[]): Promise<EndpointWithSecret> {
    const parsed = parseWebhookUrl(url);
    if (!this.allowPrivate) {
      await assertPublicHost(parsed);
    }
    const types = eventTypes === undefined ? null : checkedEventTypes(eventTypes);
    const secret = newWebhookSecret();
    const endpoint = await this.endpoints.insert({
      tenantId: tenant.id,
      url: parsed.href,
      eventTypes: types?.join(',') ?? null,
      secretSealed: this.secretBox.seal(secret),
      createdAt: this.clock.now(),
    });
    return { endpoint, secret };
  }

  list(tenantId?: number): Promise<WebhookEndpoint[]> {
    return this.endpoints.list(tenantId);
  }

  /** A new secret; the current one keeps signing beside it for `graceHours` (none: it stops at once). */
  async rotateSecret(id: number, graceHours: number): Promise<EndpointWithSecret> {
    const endpoint = await this.require(id);
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const change = {
      secretSealed: this.secretBox.seal(secret),
      previousSecretSealed: graceHours > 0 ? endpoint.secretSealed : null,
      previousSecretUntil: graceHours > 0 ? now + graceHours * 3600_000 : null,
      updatedAt: now,
    };
    await this.endpoints.update(id, change);
    return { endpoint: { ...endpoint, ...change }, secret };
  }

  /** Stops deliveries to the endpoint; its pending ones wait, and go when it is enabled again. */
  async disable(id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.require(id);
    if (!endpoint.enabled) {
      throw new WebhookAdminError(`webhook endpoint ${id} is already disabled: nothing changed`);
    }
    const now = this.clock.now();
    const change = { enabled: false, disabledReason: 'disabled by an operator', disabledAt: now, updatedAt: now };
    await this.endpoints.update(id, change);
    return { ...endpoint, ...change };
  }

  /** Resumes deliveries and forgets its failures; the deliveries held while it was disabled are due at once. */
  async enable(id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.require(id);
    if (endpoint.enabled) {
      throw new WebhookAdminError(`webhook endpoint ${id} is already enabled: nothing changed`);
    }
    const now = this.clock.now();
    const change = { enabled: true, disabledReason: null, disabledAt: null, failingSince: null, updatedAt: now };
    await this.transactions.run(async (transaction) => {
      await this.endpoints.update(id, change, transaction);
      await this.deliveries.makeDueNow(transaction, id, now);
    });
    return { ...endpoint, ...change };
  }

  /** Deliveries, newest first; `endpointId` must name an endpoint. */
  async listDeliveries(filter: DeliveryFilter): Promise<WebhookDelivery[]> {
    if (filter.endpointId !== undefined) {
      await this.require(filter.endpointId);
    }
    return this.deliveries.list(filter);
  }

  /** Sends the delivery again now, with the same webhook-id; its attempts start over. */
  async replay(id: number): Promise<WebhookDelivery> {
    const delivery = await this.deliveries.find(id);
    if (!delivery) {
      throw new WebhookAdminError(`no webhook delivery with id ${id}`);
    }
    await this.transactions.runStatement((transaction) => this.deliveries.requeue(transaction, id, this.clock.now()));
    return delivery;
  }

  private async require(id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(id);
    if (!endpoint) {
      throw new WebhookAdminError(`no webhook endpoint with id ${id}`);
    }
    return endpoint;
  }
}

function checkedEventTypes(types: readonly string[]): string[] {
  const unknown = types.find((type) => !(USER_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown !== undefined) {
    throw new WebhookAdminError(`unknown event type ${JSON.stringify(unknown)}; the types are ${USER_EVENT_TYPES.join(', ')}`);
  }
  if (types.length === 0) {
    throw new WebhookAdminError(`name at least one event type: ${USER_EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(types)];
}
