import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, OnModuleInit, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { MetricsService } from './metrics.service';

/** `GET /metrics` in Prometheus' text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  onModuleInit(): void {
    this.metrics.collectDefaultMetrics();
    if (this.redis) {
      this.metrics.watchRedis(this.redis);
    }
  }

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const token = this.config.metrics.token;
    // The scheme name is case-insensitive (RFC 7235); the token is not.
    const given = /^bearer +(.*)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (token !== undefined && !sameSecret(given, token)) {
      response.set('WWW-Authenticate', 'Bearer');
      throw new DomainError(DomainErrorCode.UNAUTHORIZED, { reason: 'metrics need the METRICS_TOKEN bearer token' });
    }
    response.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
