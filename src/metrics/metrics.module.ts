import { Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The metrics themselves, for the modules that count something (users, mail). */
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
