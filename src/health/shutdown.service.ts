import type { Server } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REQUEST_LOGGER, RequestLogger } from '../logging/logging.module';

/**
 * A graceful stop (SIGTERM, SIGINT): readiness turns 503 at once, while the service keeps answering every
 * request for SHUTDOWN_DRAIN_SECONDS, long enough for a load balancer to see it and send traffic elsewhere
 * (closing the listener at once would refuse connections instead of answering 503). Nest then closes the
 * listener and waits for the requests in flight, and only after that closes the database. Requests still
 * running SHUTDOWN_GRACE_SECONDS after the listener closes have their connections cut, so a stop never hangs.
 */
@Injectable()
export class ShutdownService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private stopping = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REQUEST_LOGGER) private readonly requestLogger: RequestLogger,
  ) {}

  get isShuttingDown(): boolean {
    return this.stopping;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    const { shutdownDrainSeconds: drain, shutdownGraceSeconds: grace } = this.config.server;
    this.logger.log(
      `${signal ?? 'shutdown'}: readiness 503, serving for ${drain} s more, then answering the requests in flight (at most ${grace} s) and stopping`,
    );
    await new Promise((resolve) => setTimeout(resolve, drain * 1000));
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    setTimeout(() => server?.closeAllConnections(), grace * 1000).unref();
  }

  /** The process ends right after this: the last request lines must reach the log first. */
  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => this.requestLogger.logger.flush(() => resolve()));
  }
}
