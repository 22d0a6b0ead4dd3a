import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { Transaction } from '../database/transaction';
import type { Tenant } from '../users/entities/tenant.entity';
import type { User } from '../users/entities/user.entity';
import { TENANT_DIALECTS } from '../users/tenant-kinds';
import { OutboxStore } from './outbox.store';
import { UserEventPayload, UserEventType } from './user-event';

/** Random bytes of a `webhook-id`: 128 bits, 22 base64url characters after `msg_`. */
const MESSAGE_ID_BYTES = 16;

/** The user and tenant an event is about, as they are once the change is made (before it, for a deletion). */
export interface UserEventSubject {
  user: Pick<User, 'id' | 'email' | 'username' | 'phoneNormalized' | 'status' | 'createdAt'>;
  tenant: Pick<Tenant, 'id' | 'kind' | 'code'>;
}

export interface UserEvent {
  type: UserEventType;
  subject: UserEventSubject;
  /** What made the change (UserEventPayload's `data.source`). */
  source: string;
}

/**
 * Writes user events to the outbox inside the transaction of the change, which every writer of users
 * passes in; delivery to the tenants' endpoints happens later, from the outbox (src/webhooks).
 */
@Injectable()
export class UserEventsService {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
    @Inject(TENANT_DIALECTS) private readonly dialects: ReadonlyMap<string, string>,
  ) {}

  record(transaction: Transaction, type: UserEventType, subject: UserEventSubject, source: string): Promise<void> {
    return this.recordMany(transaction, [{ type, subject, source }]);
  }

  recordMany(transaction: Transaction, events: readonly UserEvent[]): Promise<void> {
    const now = this.clock.now();
    // One draw for the whole batch: an import records thousands of events, and a draw per event showed in its profile.
    const random = randomBytes(MESSAGE_ID_BYTES * events.length);
    return this.outbox.insert(
      transaction,
      events.map((event, index) => ({
        messageId: `msg_${random.subarray(index * MESSAGE_ID_BYTES, (index + 1) * MESSAGE_ID_BYTES).toString('base64url')}`,
        tenantId: event.subject.tenant.id,
        type: event.type,
        payload: JSON.stringify(this.payload(event, now)),
        createdAt: now,
      })),
    );
  }

  private payload({ type, subject: { user, tenant }, source }: UserEvent, now: number): UserEventPayload {
    return {
      type,
      timestamp: new Date(now).toISOString(),
      data: {
        tenant: { kind: tenant.kind, id: tenant.code },
        user: {
          id: user.id,
          email: user.email,
          username: user.username,
          mobile: user.phoneNormalized,
          status: user.status,
          createdAt: new Date(user.createdAt).toISOString(),
        },
        dialect: this.dialects.get(tenant.kind) ?? tenant.kind,
        source,
      },
    };
  }
}
