import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../clock/clock';
import { EventsModule } from '../events/events.module';
import { MetricsModule } from '../metrics/metrics.module';
import { SecretBoxService } from '../users/secret-box.service';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, WEBHOOK_TIMEOUT_MS, WebhookSender } from './webhook-sender';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveriesStore } from './webhook-deliveries.store';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEndpointsStore } from './webhook-endpoints.store';
import { WebhookWorker } from './webhook-worker';

/** Webhook endpoints and deliveries, for the CLI (administration) and the HTTP app (see WebhookWorkerModule). */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery]), ClockModule, EventsModule, MetricsModule],
  providers: [
    SecretBoxService,
    WebhookEndpointsStore,
    WebhookDeliveriesStore,
    WebhookEndpointsService,
    WebhookDeliveriesService,
    WebhookSender,
    { provide: WEBHOOK_TIMEOUT_MS, useValue: DEFAULT_WEBHOOK_TIMEOUT_MS },
  ],
  exports: [WebhookEndpointsService, WebhookDeliveriesService],
})
export class WebhooksModule {}

/** The delivery worker, which every instance of the HTTP app runs. */
@Module({
  imports: [WebhooksModule, MetricsModule],
  providers: [WebhookWorker],
})
export class WebhookWorkerModule {}
