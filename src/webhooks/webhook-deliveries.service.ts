import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { isRetryableConflict } from '../database/database-errors';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { OutboxStore } from '../events/outbox.store';
import { MetricsService } from '../metrics/metrics.service';
import { SecretBoxService } from '../users/secret-box.service';
import { retryDelayMs } from './retry-schedule';
import { AttemptRecord, NewWebhookDelivery, WebhookDeliveriesStore } from './webhook-deliveries.store';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsStore } from './webhook-endpoints.store';
import { SendOutcome, WebhookSender } from './webhook-sender';
import { signatures } from './webhook-secrets';

/** How long an instance holds a delivery it sends: well beyond the 15 s an attempt may take. */
export const LEASE_MS = 60_000;
/** An endpoint whose deliveries have all failed for this long is disabled. */
export const FAILING_DAYS_BEFORE_DISABLE = 5;
/** Events handed to deliveries per transaction, and batches per tick, so that one tick after a big import ends. */
const DISPATCH_BATCH = 200;
const DISPATCH_BATCHES_PER_TICK = 10;
/**
 * Sends in flight at once per instance. The pool outlives a tick: a tick fills only the free slots and does not
 * wait for its sends, so one hanging receiver holds one slot, not every tenant's deliveries.
 */
export const CONCURRENT_SENDS = 16;
/** Due deliveries looked at per free slot: other instances may take some of them first. */
const CANDIDATES_PER_SLOT = 4;

const USER_AGENT = `unireg-webhooks/${(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version}`;

/**
 * Delivers the outbox's events to the tenants' endpoints. A tick hands new events to deliveries (one per
 * enabled endpoint that takes the type), then sends the due ones, each under a lease, and records the outcome:
 * delivered on a 2xx, otherwise retried on the Standard Webhooks schedule and failed after the last attempt.
 * Every instance of the HTTP app ticks (WebhookWorker); the tests call `tick()` themselves, then await `settled()`.
 */
@Injectable()
export class WebhookDeliveriesService {
  private readonly logger = new Logger('Webhooks');
  /** Names this instance in the leases it takes. */
  private readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** The sends in flight, each from its claim to its record. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Cuts the sends in flight short when the instance stops. */
  private readonly aborter = new AbortController();

  constructor(
    private readonly outbox: OutboxStore,
    private readonly deliveries: WebhookDeliveriesStore,
    private readonly endpoints: WebhookEndpointsStore,
    private readonly sender: WebhookSender,
    private readonly secretBox: SecretBoxService,
    private readonly transactions: TransactionRunnerService,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {
    // Each send in flight listens to it.
    setMaxListeners(CONCURRENT_SENDS, this.aborter.signal);
  }

  /** Hands new events to deliveries and starts sending due ones into the free slots; it does not wait for the sends. */
  async tick(): Promise<void> {
    if (this.aborter.signal.aborted) {
      return;
    }
    await this.dispatch();
    await this.startDue();
  }

  /** Resolves once no send is in flight, those started meanwhile included. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /**
   * Stops sending for good: no more claims, the sends in flight are cut short and not counted as attempts, and
   * their leases are given back, so another instance sends them at once (with the same webhook-id: a receiver
   * that got one drops the duplicate).
   */
  async stop(): Promise<void> {
    this.aborter.abort();
    await this.settled();
    try {
      await this.transactions.runStatement((transaction) => this.deliveries.releaseLeases(transaction, this.owner));
    } catch (error) {
      this.logger.warn(`webhook leases not given back, other instances take them when they run out: ${(error as Error).message}`);
    }
  }

  /** Seconds since the oldest event still waiting (not yet handed out, or pending for an enabled endpoint) was written; 0 when none. */
  async oldestUndeliveredSeconds(): Promise<number> {
    const times = (await Promise.all([this.outbox.oldestUndispatchedAt(), this.deliveries.oldestPendingEventAt()])).filter(
      (time): time is number => time !== null,
    );
    return times.length === 0 ? 0 : Math.max(0, (this.clock.now() - Math.min(...times)) / 1000);
  }

  /**
   * Turns undispatched events into deliveries. Each event some endpoint takes is claimed with a conditional UPDATE
   * in the transaction that inserts its deliveries, so with several instances each event fans out once (the unique
   * index on event and endpoint stands behind it); the others are marked dispatched together.
   */
  private async dispatch(): Promise<void> {
    for (let batch = 0; batch < DISPATCH_BATCHES_PER_TICK; batch++) {
      const events = await this.outbox.undispatched(DISPATCH_BATCH);
      if (events.length === 0) {
        return;
      }
      const endpoints = await this.endpoints.enabledFor([...new Set(events.map((event) => event.tenantId))]);
      const takers = (event: (typeof events)[number]) =>
        endpoints.filter((candidate) => candidate.tenantId === event.tenantId && takes(candidate, event.type));
      const withTakers = events.filter((event) => takers(event).length > 0);
      await this.transactions.run(async (transaction) => {
        const now = this.clock.now();
        // An event no endpoint takes needs no delivery, so which instance marks it does not matter: one UPDATE
        // for all of them, where each sign-in's event would otherwise cost a statement of its own.
        await this.outbox.markDispatched(
          transaction,
          events.filter((event) => !withTakers.includes(event)).map((event) => event.id),
          now,
        );
        const rows: NewWebhookDelivery[] = [];
        for (const event of withTakers) {
          if (await this.outbox.claimForDispatch(transaction, event.id, now)) {
            for (const endpoint of takers(event)) {
              rows.push({ eventId: event.id, endpointId: endpoint.id, nextAttemptAt: now, createdAt: now });
            }
          }
        }
        await this.deliveries.insert(transaction, rows);
      });
      if (events.length < DISPATCH_BATCH) {
        return;
      }
    }
  }

  /** Claims as many due deliveries as there are free slots, and starts sending each. */
  private async startDue(): Promise<void> {
    const free = () => CONCURRENT_SENDS - this.inFlight.size;
    if (free() <= 0) {
      return;
    }
    const due = await this.deliveries.due(this.clock.now(), free() * CANDIDATES_PER_SLOT);
    for (const id of due) {
      if (free() <= 0 || this.aborter.signal.aborted) {
        return;
      }
      if (await this.claim(id)) {
        const send = this.deliverOne(id)
          .catch((error: unknown) =>
            this.logger.warn(`webhook delivery ${id} not recorded, sent again after its lease: ${(error as Error).message}`),
          )
          .finally(() => this.inFlight.delete(send));
        this.inFlight.add(send);
      }
    }
  }

  /** Sends a delivery this instance holds the lease of, and records the outcome. */
  private async deliverOne(id: number): Promise<void> {
    const delivery = await this.deliveries.findForSending(id);
    if (!delivery?.event || !delivery.endpoint) {
      return;
    }
    const { event, endpoint } = delivery;
    const secrets = this.secrets(endpoint);
    let outcome: SendOutcome;
    if (secrets === null) {
      outcome = { error: 'its secret cannot be opened: was JWT_SECRET changed? Rotate the secret' };
    } else {
      // Wall time, not the Clock: receivers check it against their own clocks to refuse replays.
      const signedAt = new Date();
      outcome = await this.sender.send(
        endpoint.url,
        {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': event.messageId,
          'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
          'webhook-signature': signatures(secrets, event.messageId, signedAt, event.payload),
        },
        event.payload,
        this.aborter.signal,
      );
    }
    if ('aborted' in outcome) {
      return;
    }
    await this.record(delivery, endpoint, event.messageId, outcome);
  }

  /** True when this instance took the delivery's lease; a conflict another node won means it is not ours. */
  private async claim(id: number): Promise<boolean> {
    const now = this.clock.now();
    try {
      return await this.transactions.runStatement((transaction) => this.deliveries.claim(transaction, id, this.owner, now, now + LEASE_MS));
    } catch (error) {
      if (isRetryableConflict(error)) {
        return false;
      }
      throw error;
    }
  }

  /** The current secret, and the previous one while its grace lasts; null when the current one cannot be opened. */
  private secrets(endpoint: WebhookEndpoint): string[] | null {
    const current = this.secretBox.open(endpoint.secretSealed);
    if (current === null) {
      return null;
    }
    const inGrace = endpoint.previousSecretSealed !== null && (endpoint.previousSecretUntil ?? 0) > this.clock.now();
    const previous = inGrace ? this.secretBox.open(endpoint.previousSecretSealed!) : null;
    return previous === null ? [current] : [current, previous];
  }

  private async record(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    messageId: string,
    outcome: Exclude<SendOutcome, { aborted: true }>,
  ): Promise<void> {
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    const status = 'status' in outcome ? outcome.status : null;
    if (status !== null && status >= 200 && status <= 299) {
      const saved = await this.save(delivery.id, {
        status: DeliveryStatus.Delivered,
        attempts,
        nextAttemptAt: delivery.nextAttemptAt,
        lastAttemptAt: now,
        lastStatus: status,
        lastError: null,
        deliveredAt: now,
      });
      if (saved) {
        this.metrics.webhookAttempt('delivered');
        await this.endpoints.clearFailing(endpoint.id);
      }
      return;
    }
    const reason = 'error' in outcome ? outcome.error : `HTTP ${status}`;
    const delay = retryDelayMs(attempts);
    const nextAttemptAt = delay === null ? delivery.nextAttemptAt : now + delay;
    const saved = await this.save(delivery.id, {
      status: delay === null ? DeliveryStatus.Failed : DeliveryStatus.Pending,
      attempts,
      nextAttemptAt,
      lastAttemptAt: now,
      lastStatus: status,
      lastError: reason.slice(0, 255),
      deliveredAt: null,
    });
    if (!saved) {
      return;
    }
    this.metrics.webhookAttempt(delay === null ? 'failed' : 'retried');
    this.logger.warn(
      `webhook attempt failed: endpoint ${endpoint.id}, delivery ${delivery.id}, webhook-id ${messageId}, attempt ${attempts}, ` +
        `${reason}; ${delay === null ? 'no attempt left: failed' : `next attempt at ${new Date(nextAttemptAt).toISOString()}`}`,
    );
    await this.endpoints.markFailing(endpoint.id, now);
    await this.disableIfFailingTooLong(endpoint, now);
  }

  /** False when the lease ran out meanwhile and the delivery went to another instance (or a replay): its outcome is theirs to count. */
  private save(id: number, attempt: AttemptRecord): Promise<boolean> {
    return this.transactions.runStatement((transaction) => this.deliveries.record(transaction, id, this.owner, attempt));
  }

  private async disableIfFailingTooLong(endpoint: WebhookEndpoint, now: number): Promise<void> {
    const since = now - FAILING_DAYS_BEFORE_DISABLE * 86_400_000;
    const reason = `every delivery failed for ${FAILING_DAYS_BEFORE_DISABLE} days`;
    if (await this.endpoints.disableFailing(endpoint.id, since, reason, now)) {
      this.metrics.webhookEndpointDisabled();
      this.logger.error(
        `webhook endpoint ${endpoint.id} of tenant ${endpoint.tenantId} disabled: ${reason}; its pending deliveries wait. ` +
          `Fix the receiver, then: webhooks enable ${endpoint.id}`,
      );
    }
  }
}

function takes(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.eventTypes === null || endpoint.eventTypes.split(',').includes(type);
}
