import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/**
 * Ticks the deliveries every WEBHOOK_POLL_MS in each instance of the HTTP app (the CLI has none). Everything
 * is in the database, so a restart or a crash loses nothing: a lease runs out and any instance takes over.
 * A tick only starts sends (WebhookDeliveriesService keeps them in its pool), so it is short whatever the receivers do.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly deliveries: WebhookDeliveriesService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.watchWebhookBacklog(() => this.deliveries.oldestUndeliveredSeconds());
    this.timer = setInterval(() => this.tick(), this.config.webhooks.pollMs);
    this.timer.unref();
  }

  /** Before the database closes (onApplicationShutdown): the leases of the sends cut short are given back in it. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.deliveries.stop();
  }

  private tick(): void {
    // A tick slower than the interval is not started twice in one instance.
    this.running ??= this.deliveries
      .tick()
      .catch((error: unknown) => this.logger.warn(`webhook delivery tick failed, tried again next time: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }
}
