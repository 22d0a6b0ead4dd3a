import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import { OutboxEvent } from '../events/outbox-event.entity';
import { RefreshToken } from '../tokens/entities/refresh-token.entity';
import { Session } from '../tokens/entities/session.entity';
import { Tenant } from '../users/entities/tenant.entity';
import { User } from '../users/entities/user.entity';
import { VerificationCode } from '../users/entities/verification-code.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';

/** Tables a dialect adds to the shared schema: entities (SQLite synchronizes them) and the MySQL migrations that create them. */
export interface DialectTables {
  entities?: readonly Type<unknown>[];
  migrations?: readonly Type<MigrationInterface>[];
}

/** The shared core's entities, listed by hand so that a build never depends on file globs; parents before children. */
export const CORE_ENTITIES: readonly Type<unknown>[] = [
  Tenant,
  User,
  VerificationCode,
  RefreshToken,
  Session,
  OutboxEvent,
  WebhookEndpoint,
  WebhookDelivery,
];

/** Every entity of the core and of the given dialects, parents (the core's tenants and users) first. */
export function entitiesOf(dialects: readonly DialectTables[]): Type<unknown>[] {
  return [...CORE_ENTITIES, ...dialects.flatMap((dialect) => dialect.entities ?? [])];
}
