import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsController } from './metrics.controller';
import { RedisModule } from '../redis/redis.module';
import { MetricsModule } from './metrics.module';
import { RegistrationRoutes } from './registration-routes';
import { RequestMetrics } from './request-metrics.middleware';

/** The HTTP service's side of the metrics: the per-request counts, the scrape endpoint and the runtime metrics. */
@Module({
  imports: [MetricsModule, RedisModule, DiscoveryModule],
  controllers: [MetricsController],
  providers: [RegistrationRoutes, RequestMetrics],
  exports: [RequestMetrics],
})
export class MetricsHttpModule {}
