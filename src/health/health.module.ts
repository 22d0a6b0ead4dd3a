import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../redis/redis.module';
import { HealthController, ReadinessController } from './health.controller';
import { ShutdownService } from './shutdown.service';

/** Liveness (/healthz), readiness (/readyz) and the graceful stop. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), RedisModule],
  controllers: [HealthController, ReadinessController],
  providers: [ShutdownService],
})
export class HealthModule {}
