import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { RedisModule } from '../redis/redis.module';
import { MetricsModule } from './metrics.module';

/** The HTTP service's side of the metrics: the scrape endpoint and the runtime metrics. */
@Module({
  imports: [MetricsModule, RedisModule],
  controllers: [MetricsController],
})
export class MetricsHttpModule {}
